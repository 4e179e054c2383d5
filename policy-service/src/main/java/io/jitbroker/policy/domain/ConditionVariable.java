package io.jitbroker.policy.domain;

import dev.cel.common.types.CelType;
import dev.cel.common.types.ListType;
import dev.cel.common.types.MapType;
import dev.cel.common.types.SimpleType;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Every variable a rule condition may read, with its CEL type. Each is declared to the CEL checker
 * under its qualified name ({@code request.ttlSeconds} is one variable, not a map lookup), so a
 * misspelled field or a wrong type stops the policy from loading instead of failing a decision.
 */
enum ConditionVariable {
    REQUEST_ENVIRONMENT("request.environment", SimpleType.STRING, "the environment asked for"),
    REQUEST_TTL_SECONDS("request.ttlSeconds", SimpleType.INT, "the lifetime asked for"),
    REQUEST_TASK_ID("request.taskId", SimpleType.STRING, "the task, \"\" when none"),
    REQUEST_JUSTIFICATION("request.justification", SimpleType.STRING, "the caller's reason, \"\" when none"),
    REQUEST_RESOURCE_COUNT("request.resourceCount", SimpleType.INT, "distinct resources asked for"),
    REQUEST_BREAK_GLASS("request.breakGlass", SimpleType.BOOL, "whether it is a break-glass request"),
    WORKLOAD_ID("workload.id", SimpleType.STRING, "the caller's SPIFFE ID"),
    WORKLOAD_TRUST_DOMAIN("workload.trustDomain", SimpleType.STRING, "e.g. dev.local"),
    WORKLOAD_PATH("workload.path", SimpleType.STRING, "e.g. /ci/deployer"),
    WORKLOAD_CLAIMS("workload.claims", MapType.create(SimpleType.STRING, SimpleType.STRING),
            "string claims of the caller's identity token"),
    RESOURCE_TYPE("resource.type", SimpleType.STRING, "the requested resource being decided: its kind"),
    RESOURCE_ID("resource.id", SimpleType.STRING, "its id"),
    RESOURCE_ACTIONS("resource.actions", ListType.create(SimpleType.STRING), "the actions asked for on it"),
    NOW("now", SimpleType.TIMESTAMP, "when the decision is made (UTC)");

    private static final Map<String, ConditionVariable> BY_NAME = new HashMap<>();

    static {
        for (ConditionVariable variable : values()) {
            BY_NAME.put(variable.qualifiedName, variable);
        }
    }

    private final String qualifiedName;
    private final CelType type;
    private final String meaning;

    ConditionVariable(String qualifiedName, CelType type, String meaning) {
        this.qualifiedName = qualifiedName;
        this.type = type;
        this.meaning = meaning;
    }

    String qualifiedName() {
        return qualifiedName;
    }

    CelType type() {
        return type;
    }

    String meaning() {
        return meaning;
    }

    /** The variable with this qualified name; null when there is none (the lookup of every evaluation). */
    static ConditionVariable named(String qualifiedName) {
        return BY_NAME.get(qualifiedName);
    }

    /** The fields declared under a root such as {@code request}, e.g. [environment, ttlSeconds, ...]; empty for others. */
    static List<String> fieldsOf(String root) {
        List<String> fields = new ArrayList<>();
        String prefix = root + ".";
        for (ConditionVariable variable : values()) {
            if (variable.qualifiedName.startsWith(prefix)) {
                fields.add(variable.qualifiedName.substring(prefix.length()));
            }
        }
        return fields;
    }
}
