package io.jitbroker.request.domain;

import io.jitbroker.contracts.SpiffeId;
import java.util.Set;

/**
 * Who may act on other workloads' grants. Detectors (JIT_DETECTOR_WORKLOADS) and SREs
 * (JIT_SRE_WORKLOADS) may report context events, but only SREs may clear a workload: a detector
 * may raise, only a human clears. Only SREs may revoke by hand and decide approvals, never on their
 * own requests. Nobody is either unless listed.
 */
public final class OperatorRoles {

    private final Set<String> sres;
    private final Set<String> detectors;

    public OperatorRoles(Set<String> sres, Set<String> detectors) {
        this.sres = Set.copyOf(sres);
        this.detectors = Set.copyOf(detectors);
    }

    /**
     * @param sres      SPIFFE IDs as JIT_SRE_WORKLOADS lists them, comma-separated; blank means nobody
     * @param detectors SPIFFE IDs as JIT_DETECTOR_WORKLOADS lists them, comma-separated; blank means nobody
     * @throws IllegalArgumentException when an entry is not a SPIFFE ID
     */
    public static OperatorRoles fromLists(String sres, String detectors) {
        return new OperatorRoles(SpiffeId.parseList("SRE workload", sres), SpiffeId.parseList("detector workload", detectors));
    }

    public int detectorCount() {
        return detectors.size();
    }

    public boolean mayReportContext(String caller) {
        return detectors.contains(caller) || sres.contains(caller);
    }

    /** Whether {@code caller} may report a context event of this kind (after {@link #mayReportContext}). */
    public boolean mayReport(String caller, ContextEventKind kind) {
        return kind == ContextEventKind.WORKLOAD_CLEARED ? sres.contains(caller) : mayReportContext(caller);
    }

    public boolean mayRevoke(String caller) {
        return sres.contains(caller);
    }

    /** Whether {@code caller} may query the whole ledger, the dead letters and the alerts. */
    public boolean mayAudit(String caller) {
        return sres.contains(caller);
    }

    /** Whether {@code caller} may approve or deny requests at all; {@link ApprovalValidator} refuses its own. */
    public boolean mayApprove(String caller) {
        return sres.contains(caller);
    }
}
