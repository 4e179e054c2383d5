package io.jitbroker.request.domain;

import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The rules a manual revocation body must pass. Each scope takes its own id and no other, so that
 * a body can never be read two ways. Every failure names its field.
 */
public final class ManualRevocationValidator {

    public static final int MAX_REASON_LENGTH = 500;
    /** Grant ids are UUIDs today; the alphabet of task ids leaves room without needing escaping in logs. */
    private static final Pattern GRANT_ID = Pattern.compile("[A-Za-z0-9._:-]{1,256}");
    private static final Set<String> FIELDS = Set.of("scope", "grantId", "taskId", "workloadId", "reason");

    private ManualRevocationValidator() {
    }

    /** @param body the request body parsed as a JSON object */
    public static ManualRevocation validate(Map<String, Object> body) {
        Objects.requireNonNull(body, "body");
        JsonFields.rejectUnknown("", body, FIELDS);
        ManualRevocation.Scope scope = JsonFields.requiredEnum("scope", body.get("scope"), ManualRevocation.Scope.values());
        return switch (scope) {
            case GRANT -> {
                rejectPresent(body, scope, "taskId", "grantId");
                rejectPresent(body, scope, "workloadId", "grantId");
                yield new ManualRevocation(scope, grantId(body.get("grantId")), null, null, reason(body));
            }
            case TASK -> {
                rejectPresent(body, scope, "grantId", "taskId (and optionally workloadId)");
                String taskId = AccessRequestValidator.requireTaskId("taskId", body.get("taskId"));
                Object workload = body.get("workloadId");
                String workloadId = workload == null ? null : JsonFields.requiredSpiffeId("workloadId", workload);
                yield new ManualRevocation(scope, null, taskId, workloadId, reason(body));
            }
            case WORKLOAD -> {
                rejectPresent(body, scope, "grantId", "workloadId");
                rejectPresent(body, scope, "taskId", "workloadId");
                String workloadId = JsonFields.requiredSpiffeId("workloadId", body.get("workloadId"));
                yield new ManualRevocation(scope, null, null, workloadId, reason(body));
            }
        };
    }

    private static String grantId(Object value) {
        if (value == null) {
            throw new InvalidRequestException("grantId", "grantId is required for scope GRANT");
        }
        if (!(value instanceof String grantId) || !GRANT_ID.matcher(grantId).matches()) {
            throw new InvalidRequestException("grantId",
                    "grantId must be 1 to 256 characters of letters, digits, '.', '_', ':' or '-'");
        }
        return grantId;
    }

    private static String reason(Map<String, Object> body) {
        return JsonFields.requiredText("reason", body.get("reason"), MAX_REASON_LENGTH);
    }

    private static void rejectPresent(Map<String, Object> body, ManualRevocation.Scope scope, String field, String expected) {
        if (body.containsKey(field)) {
            throw new InvalidRequestException(field, field + " does not apply to scope " + scope + "; send " + expected);
        }
    }
}
