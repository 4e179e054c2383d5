package io.jitbroker.issuer.domain;

import java.time.Instant;

/**
 * A credential just minted for its workload. Secret: it goes into one HTTP response and nowhere else
 * (not in logs, not in the database, not on Kafka), hence no record toString that prints it.
 */
public final class MintedCredential {

    private final String token;
    private final String type;
    private final Instant expiresAt;

    public MintedCredential(String token, String type, Instant expiresAt) {
        this.token = token;
        this.type = type;
        this.expiresAt = expiresAt;
    }

    public String token() {
        return token;
    }

    public String type() {
        return type;
    }

    public Instant expiresAt() {
        return expiresAt;
    }

    @Override
    public String toString() {
        return "MintedCredential[type=" + type + ", expiresAt=" + expiresAt + ", token=<redacted>]";
    }
}
