package io.jitbroker.request.domain;

import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;

/** Who may see a ledger entry: the workload that made the request, and SREs. */
public final class LedgerAccess {

    private final Set<String> sreWorkloads;

    public LedgerAccess(Set<String> sreWorkloads) {
        this.sreWorkloads = Set.copyOf(sreWorkloads);
    }

    /**
     * @param commaSeparated SPIFFE IDs as JIT_SRE_WORKLOADS lists them; blank means nobody
     * @throws IllegalArgumentException when an entry is not a SPIFFE ID: a typo must not pass unnoticed
     */
    public static LedgerAccess fromList(String commaSeparated) {
        if (commaSeparated == null || commaSeparated.isBlank()) {
            return new LedgerAccess(Set.of());
        }
        Set<String> ids = Arrays.stream(commaSeparated.split(","))
                .map(String::trim)
                .filter(id -> !id.isEmpty())
                .collect(Collectors.toUnmodifiableSet());
        for (String id : ids) {
            if (!SpiffeId.isWorkloadId(id)) {
                throw new IllegalArgumentException("SRE workload '" + id + "' is not a SPIFFE ID (spiffe://<trust domain>/<path>)");
            }
        }
        return new LedgerAccess(ids);
    }

    public int sreCount() {
        return sreWorkloads.size();
    }

    public boolean isSre(String workloadId) {
        return sreWorkloads.contains(workloadId);
    }

    public boolean mayRead(String workloadId, LedgerEntry entry) {
        return entry.workloadId().equals(workloadId) || isSre(workloadId);
    }
}
