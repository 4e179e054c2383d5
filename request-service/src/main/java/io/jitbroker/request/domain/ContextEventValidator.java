package io.jitbroker.request.domain;

import java.util.Set;

/** The rules a context event body must pass before it is published. Every failure names its field. */
public final class ContextEventValidator {

    public static final int MAX_REASON_LENGTH = 500;

    private final KnownEnvironments environments;

    public ContextEventValidator(Set<String> environments) {
        this.environments = new KnownEnvironments(environments);
    }

    /** The event as the body said it; any field may be null. */
    public ValidContextEvent validate(String workloadId, String type, String environment, String reason) {
        String workload = JsonFields.requiredSpiffeId("workloadId", workloadId);
        ContextEventKind kind = JsonFields.requiredEnum("type", type, ContextEventKind.values());
        String known = environments.optional("environment", environment);
        return new ValidContextEvent(workload, kind, known, JsonFields.requiredText("reason", reason, MAX_REASON_LENGTH));
    }
}
