package io.jitbroker.issuer.domain;

import io.jitbroker.contracts.SpiffeId;
import java.util.Set;

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
        return new SreWorkloads(SpiffeId.parseList("SRE workload", commaSeparated));
    }

    public boolean contains(String workloadId) {
        return ids.contains(workloadId);
    }

    public int size() {
        return ids.size();
    }
}
