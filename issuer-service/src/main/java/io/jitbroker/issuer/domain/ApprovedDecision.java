package io.jitbroker.issuer.domain;

import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;

/**
 * An approved access decision, checked before anything is issued for it: every field the grant and
 * its credential are built from must be present and well formed, or nothing is issued.
 *
 * @param heartbeatInterval how often the task must report it is alive; null when the grant requires no heartbeat
 * @param dpopJkt           the thumbprint of the DPoP key the workload declared (RFC 9449): its credential must
 *                          be bound to that key; null when it declared none
 */
public record ApprovedDecision(String requestId, String workloadId, String taskId, String environment,
                               List<GrantedResource> resources, Duration ttl, Duration heartbeatInterval,
                               String dpopJkt) {

    private static final Pattern WHITESPACE = Pattern.compile("\\s");

    public ApprovedDecision {
        requireText("requestId", requestId);
        requireText("workloadId", workloadId);
        if (!workloadId.startsWith("spiffe://")) {
            throw new InvalidEventException("workloadId must be a SPIFFE ID (spiffe://...)");
        }
        requireText("taskId", taskId);
        requireText("environment", environment);
        if (resources == null || resources.isEmpty()) {
            throw new InvalidEventException("grantedResources must not be empty for an approved decision");
        }
        for (GrantedResource resource : resources) {
            requireScopeToken("grantedResources.type", resource.type(), true);
            requireScopeToken("grantedResources.id", resource.id(), false);
            if (resource.actions().isEmpty()) {
                throw new InvalidEventException("grantedResources.actions must not be empty (resource " + resource.id() + ")");
            }
            for (String action : resource.actions()) {
                requireScopeToken("grantedResources.actions", action, true);
            }
        }
        if (ttl == null || ttl.isNegative() || ttl.isZero()) {
            throw new InvalidEventException("grantedTtlSeconds must be positive for an approved decision");
        }
        if (heartbeatInterval != null && (heartbeatInterval.isNegative() || heartbeatInterval.isZero())) {
            throw new InvalidEventException("heartbeatIntervalSeconds must be positive when set");
        }
        if (dpopJkt != null && !DpopVerifier.isThumbprint(dpopJkt)) {
            throw new InvalidEventException("dpopJkt must be a SHA-256 JWK thumbprint (43 base64url characters) when set");
        }
        resources = List.copyOf(resources);
    }

    private static void requireText(String field, String value) {
        if (value == null || value.isBlank()) {
            throw new InvalidEventException(field + " must not be blank");
        }
    }

    /**
     * Scope entries are {@code type:id:action} separated by spaces, so no part may hold whitespace, and
     * type and action may not hold a colon (the id may, e.g. a URL: it sits between the first and last).
     */
    private static void requireScopeToken(String field, String value, boolean colonForbidden) {
        requireText(field, value);
        if (WHITESPACE.matcher(value).find()) {
            throw new InvalidEventException(field + " must not contain whitespace");
        }
        if (colonForbidden && value.indexOf(':') >= 0) {
            throw new InvalidEventException(field + " must not contain ':'");
        }
    }
}
