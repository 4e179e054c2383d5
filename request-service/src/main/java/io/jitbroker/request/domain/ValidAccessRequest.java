package io.jitbroker.request.domain;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * An access request body that passed every rule; the workload comes from the token, not from here.
 *
 * @param heartbeatIntervalSeconds how often the task must report STARTED or HEARTBEAT; null when it need not
 * @param breakGlass               an emergency request (its justification has at least 10 non-blank characters)
 * @param dpopJkt                  RFC 7638 thumbprint of the DPoP key the credential must be bound to; null when not bound
 */
public record ValidAccessRequest(String taskId, String environment, List<RequestedResource> resources,
                                 long ttlSeconds, Long heartbeatIntervalSeconds, String justification,
                                 boolean breakGlass, String dpopJkt) {

    public ValidAccessRequest {
        resources = List.copyOf(resources);
    }

    /**
     * A digest of what was asked, independent of JSON formatting and action order: two submissions
     * under one Idempotency-Key are the same request exactly when their fingerprints are equal.
     */
    public String fingerprint() {
        StringBuilder canonical = new StringBuilder();
        field(canonical, taskId);
        field(canonical, environment);
        field(canonical, Long.toString(ttlSeconds));
        field(canonical, justification);
        for (RequestedResource resource : resources) {
            field(canonical, resource.type());
            field(canonical, resource.id());
            field(canonical, String.join(",", resource.actions()));
        }
        // Last and only when set: requests without them keep the fingerprints already stored.
        if (heartbeatIntervalSeconds != null) {
            canonical.append("heartbeat=");
            field(canonical, Long.toString(heartbeatIntervalSeconds));
        }
        if (breakGlass) {
            canonical.append("breakGlass=");
            field(canonical, "true");
        }
        if (dpopJkt != null) {
            canonical.append("dpopJkt=");
            field(canonical, dpopJkt);
        }
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(canonical.toString().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every Java platform", e);
        }
    }

    /** Length-prefixed, so that no two different field lists produce the same text. */
    private static void field(StringBuilder canonical, String value) {
        canonical.append(value.length()).append(':').append(value).append(';');
    }
}
