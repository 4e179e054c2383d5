package io.jitbroker.issuer.domain;

import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;

/** The workloads allowed to operate the issuer (rotate its signing keys): JIT_SRE_WORKLOADS. */
public final class SreWorkloads {

    private final Set<String> ids;

    private SreWorkloads(Set<String> ids) {
        this.ids = ids;
    }

    /**
     * @param commaSeparated SPIFFE IDs, comma-separated; blank means nobody
     * @throws IllegalArgumentException when an entry is not a SPIFFE ID: a typo must not pass unnoticed
     */
    public static SreWorkloads fromList(String commaSeparated) {
        if (commaSeparated == null || commaSeparated.isBlank()) {
            return new SreWorkloads(Set.of());
        }
        Set<String> ids = Arrays.stream(commaSeparated.split(","))
                .map(String::trim)
                .filter(id -> !id.isEmpty())
                .collect(Collectors.toUnmodifiableSet());
        for (String id : ids) {
            if (!id.matches("spiffe://[a-z0-9._-]+(/[A-Za-z0-9._-]+)+")) {
                throw new IllegalArgumentException("SRE workload '" + id + "' is not a SPIFFE ID (spiffe://<trust domain>/<path>)");
            }
        }
        return new SreWorkloads(ids);
    }

    public boolean contains(String workloadId) {
        return ids.contains(workloadId);
    }

    public int size() {
        return ids.size();
    }
}
