package io.jitbroker.request.domain;

import java.util.Map;
import java.util.Objects;
import java.util.Set;

/** The rules a context event body must pass before it is published. Every failure names its field. */
public final class ContextEventValidator {

    public static final int MAX_REASON_LENGTH = 500;
    private static final Set<String> FIELDS = Set.of("workloadId", "type", "environment", "reason");

    private final KnownEnvironments environments;

    public ContextEventValidator(Set<String> environments) {
        this.environments = new KnownEnvironments(environments);
    }

    /** @param body the request body parsed as a JSON object */
    public ValidContextEvent validate(Map<String, Object> body) {
        Objects.requireNonNull(body, "body");
        JsonFields.rejectUnknown("", body, FIELDS);
        String workloadId = JsonFields.requiredSpiffeId("workloadId", body.get("workloadId"));
        ContextEventKind kind = JsonFields.requiredEnum("type", body.get("type"), ContextEventKind.values());
        String environment = environments.optional("environment", body.get("environment"));
        String reason = JsonFields.requiredText("reason", body.get("reason"), MAX_REASON_LENGTH);
        return new ValidContextEvent(workloadId, kind, environment, reason);
    }
}
