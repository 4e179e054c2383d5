package io.jitbroker.issuer.api;

import io.micronaut.serde.annotation.Serdeable;

/**
 * A picked-up credential.
 *
 * @param credential the JWT itself: secret, served once with Cache-Control: no-store
 * @param type       {@code jwt}
 * @param expiresAt  ISO-8601 instant; the JWT's exp
 */
@Serdeable
public record CredentialResponse(String credential, String type, String expiresAt) {

    @Override
    public String toString() {
        return "CredentialResponse[type=" + type + ", expiresAt=" + expiresAt + ", credential=<redacted>]";
    }
}
