package io.jitbroker.policy.support;

/** Policy documents for tests. */
public final class PolicyDocs {

    private PolicyDocs() {
    }

    /**
     * A valid policy: the CI deployer may read the inventory API in staging.
     * Lines: 1 version, 2 maxTtlSeconds, 3 environments, 4 rules, 5 - id, 6 workload, 7 environments,
     * 8 resources, 9 the resource, 10 condition.
     */
    public static String valid(String version) {
        return """
                version: "%s"
                maxTtlSeconds: 3600
                environments: [dev, staging]
                rules:
                  - id: deployer-reads-inventory
                    workload: "spiffe://dev.local/ci/deployer"
                    environments: [staging]
                    resources:
                      - {type: http, ids: [inventory-api], actions: [read]}
                    condition: "request.ttlSeconds <= 600"
                """.formatted(version);
    }
}
