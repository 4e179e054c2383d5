package io.jitbroker.request.domain;

import io.jitbroker.contracts.SpiffeId;
import java.util.Set;

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
        return new LedgerAccess(SpiffeId.parseList("SRE workload", commaSeparated));
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
