package io.jitbroker.request.domain;

import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The claims of a workload's verified token that policy may read (e.g. an environment binding):
 * the string-valued ones, except the registered JWT claims, which say who issued the token to whom
 * and when, not what the workload is. The token itself is never copied anywhere.
 */
public final class WorkloadClaims {

    /** RFC 7519 section 4.1: iss, sub, aud, exp, nbf, iat, jti. */
    public static final Set<String> REGISTERED = Set.of("iss", "sub", "aud", "exp", "nbf", "iat", "jti");

    private WorkloadClaims() {
    }

    /**
     * @param claims the verified token's claims, as the authentication carries them
     * @return the string-valued, non-registered claims, sorted by name
     */
    public static Map<String, String> of(Map<String, Object> claims) {
        Map<String, String> copied = new TreeMap<>();
        claims.forEach((name, value) -> {
            if (!REGISTERED.contains(name) && value instanceof String text) {
                copied.put(name, text);
            }
        });
        return copied;
    }
}
