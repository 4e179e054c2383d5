package io.jitbroker.client;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * A hypothetical request for {@link JitClient#explainPolicy}: what would policy decide for this
 * workload, and why, rule by rule.
 *
 * @param justification  null: none
 * @param proposedBundle null: the running bundle; else a YAML bundle to evaluate instead (nothing is published)
 */
public record PolicyQuestion(String workloadId, String environment, List<Resource> resources, Duration ttl,
                             String justification, String proposedBundle) {

    public PolicyQuestion {
        Objects.requireNonNull(workloadId, "workloadId");
        Objects.requireNonNull(environment, "environment");
        resources = List.copyOf(Objects.requireNonNull(resources, "resources"));
        Objects.requireNonNull(ttl, "ttl");
    }
}
