package io.jitbroker.request.domain;

import java.util.Set;

/**
 * Who may act on other workloads' grants. Detectors (JIT_DETECTOR_WORKLOADS) and SREs
 * (JIT_SRE_WORKLOADS) may report context events; only SREs may revoke by hand. Nobody is either
 * unless listed.
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

    public boolean mayRevoke(String caller) {
        return sres.contains(caller);
    }
}
