package io.jitbroker.client;

import java.net.URI;

/** Makes a fresh DPoP proof (RFC 9449) for one HTTP call, signed with the key the credential is bound to. */
@FunctionalInterface
public interface DpopProofs {

    /** @return the compact JWS to send as the {@code DPoP} header */
    String proof(String method, URI uri);
}
