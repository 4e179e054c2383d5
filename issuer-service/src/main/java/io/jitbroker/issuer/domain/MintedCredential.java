package io.jitbroker.issuer.domain;

import java.time.Instant;

/**
 * A credential just minted for its workload. Secret: it goes into one HTTP response and nowhere else
 * (not in logs, not in the database, not on Kafka), hence no record toString that prints it.
 */
public final class MintedCredential implements IssuedCredential {

    /** RFC 6750: whoever holds the token may use it. */
    public static final String BEARER = "Bearer";
    /** RFC 9449: usable only with a proof signed by the key the token is bound to. */
    public static final String DPOP = "DPoP";

    private final String token;
    private final String type;
    private final String tokenType;
    private final Instant expiresAt;

    /**
     * @param type      the credential kind ({@code jwt})
     * @param tokenType how it is presented: {@link #BEARER} or {@link #DPOP}
     */
    public MintedCredential(String token, String type, String tokenType, Instant expiresAt) {
        this.token = token;
        this.type = type;
        this.tokenType = tokenType;
        this.expiresAt = expiresAt;
    }

    public String token() {
        return token;
    }

    @Override
    public String type() {
        return type;
    }

    public String tokenType() {
        return tokenType;
    }

    @Override
    public Instant expiresAt() {
        return expiresAt;
    }

    @Override
    public String toString() {
        return "MintedCredential[type=" + type + ", tokenType=" + tokenType + ", expiresAt=" + expiresAt + ", token=<redacted>]";
    }
}
