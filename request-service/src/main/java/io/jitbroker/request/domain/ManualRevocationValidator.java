package io.jitbroker.request.domain;

import java.util.regex.Pattern;

/**
 * The rules a manual revocation body must pass. Each scope takes its own id and no other, so that
 * a body can never be read two ways. Every failure names its field.
 */
public final class ManualRevocationValidator {

    public static final int MAX_REASON_LENGTH = 500;
    /** Grant ids are UUIDs today; the alphabet of task ids leaves room without needing escaping in logs. */
    private static final Pattern GRANT_ID = Pattern.compile("[A-Za-z0-9._:-]{1,256}");

    private ManualRevocationValidator() {
    }

    /** The revocation as the body said it; any field may be null, and null is absent. */
    public static ManualRevocation validate(String scopeName, String grantId, String taskId, String workloadId, String reason) {
        ManualRevocation.Scope scope = JsonFields.requiredEnum("scope", scopeName, ManualRevocation.Scope.values());
        return switch (scope) {
            case GRANT -> {
                rejectPresent(taskId, scope, "taskId", "grantId");
                rejectPresent(workloadId, scope, "workloadId", "grantId");
                yield new ManualRevocation(scope, grantId(grantId), null, null, reason(reason));
            }
            case TASK -> {
                rejectPresent(grantId, scope, "grantId", "taskId (and optionally workloadId)");
                String task = AccessRequestValidator.requireTaskId("taskId", taskId);
                String workload = workloadId == null ? null : JsonFields.requiredSpiffeId("workloadId", workloadId);
                yield new ManualRevocation(scope, null, task, workload, reason(reason));
            }
            case WORKLOAD -> {
                rejectPresent(grantId, scope, "grantId", "workloadId");
                rejectPresent(taskId, scope, "taskId", "workloadId");
                String workload = JsonFields.requiredSpiffeId("workloadId", workloadId);
                yield new ManualRevocation(scope, null, null, workload, reason(reason));
            }
        };
    }

    private static String grantId(String grantId) {
        if (grantId == null) {
            throw new InvalidRequestException("grantId", "grantId is required for scope GRANT");
        }
        if (!GRANT_ID.matcher(grantId).matches()) {
            throw new InvalidRequestException("grantId",
                    "grantId must be 1 to 256 characters of letters, digits, '.', '_', ':' or '-'");
        }
        return grantId;
    }

    private static String reason(String reason) {
        return JsonFields.requiredText("reason", reason, MAX_REASON_LENGTH);
    }

    private static void rejectPresent(String value, ManualRevocation.Scope scope, String field, String expected) {
        if (value != null) {
            throw new InvalidRequestException(field, field + " does not apply to scope " + scope + "; send " + expected);
        }
    }
}
