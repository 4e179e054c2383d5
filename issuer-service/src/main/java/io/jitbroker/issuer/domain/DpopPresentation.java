package io.jitbroker.issuer.domain;

import java.net.URI;
import java.util.Objects;

/**
 * A DPoP proof (RFC 9449) as presented with one HTTP request, with that request's method and URI, which
 * the proof's {@code htm} and {@code htu} must name.
 *
 * @param proof the compact JWT from the {@code DPoP} header; not secret (it proves, it does not grant)
 */
public record DpopPresentation(String proof, String method, URI uri) {

    public DpopPresentation {
        Objects.requireNonNull(proof, "proof");
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(uri, "uri");
    }
}
