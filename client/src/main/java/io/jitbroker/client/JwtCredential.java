package io.jitbroker.client;

import java.time.Instant;
import java.util.Map;

/**
 * A signed access token for the granted resources.
 *
 * @param token     the secret itself; present it as {@code Authorization: <tokenType> <token>}
 * @param tokenType {@code Bearer}, or {@code DPoP} when bound to the workload's DPoP key
 */
public record JwtCredential(String token, String tokenType, Instant expiresAt) implements Credential {

    @Override
    public String type() {
        return "jwt";
    }

    @Override
    public Map<String, String> environment() {
        return Map.of("JIT_CREDENTIAL", token, "JIT_CREDENTIAL_TYPE", tokenType);
    }

    @Override
    public String toString() {
        return "JwtCredential[tokenType=" + tokenType + ", expiresAt=" + expiresAt + ", token=<redacted>]";
    }
}
