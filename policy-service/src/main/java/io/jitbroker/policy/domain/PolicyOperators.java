package io.jitbroker.policy.domain;

import io.jitbroker.contracts.SpiffeId;
import java.util.Set;

/**
 * Who may do what with the policy. Policy admins (JIT_POLICY_ADMINS) publish bundles; admins and
 * SREs (JIT_SRE_WORKLOADS) read the current bundle and ask for explanations. Nobody is either
 * unless listed: an empty list closes the door.
 */
public final class PolicyOperators {

    private final Set<String> admins;
    private final Set<String> sres;

    public PolicyOperators(Set<String> admins, Set<String> sres) {
        this.admins = Set.copyOf(admins);
        this.sres = Set.copyOf(sres);
    }

    /**
     * @param admins SPIFFE IDs as JIT_POLICY_ADMINS lists them, comma-separated; blank means nobody
     * @param sres   SPIFFE IDs as JIT_SRE_WORKLOADS lists them, comma-separated; blank means nobody
     * @throws IllegalArgumentException when an entry is not a SPIFFE ID
     */
    public static PolicyOperators fromLists(String admins, String sres) {
        return new PolicyOperators(SpiffeId.parseList("policy admin", admins), SpiffeId.parseList("SRE workload", sres));
    }

    public int adminCount() {
        return admins.size();
    }

    public int sreCount() {
        return sres.size();
    }

    /** Publish a new bundle version. */
    public boolean mayPublish(String caller) {
        return admins.contains(caller);
    }

    /** Read the running bundle and explain decisions: seeing the policy tells exactly what it would approve. */
    public boolean mayRead(String caller) {
        return admins.contains(caller) || sres.contains(caller);
    }
}
