package io.jitbroker.request.api;

import io.jitbroker.micronaut.http.ApiException;
import io.jitbroker.request.domain.OperatorRoles;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Lets only SREs read what spans every workload: the ledger, the dead letters, the alerts. */
@Singleton
public class SreAccess {

    private static final Logger LOG = LoggerFactory.getLogger(SreAccess.class);

    private final OperatorRoles roles;

    public SreAccess(OperatorRoles roles) {
        this.roles = roles;
    }

    /**
     * Checked before any parameter is read: a non-SRE learns nothing, not even which parameters exist.
     *
     * @param what what is read, for the log and the error, e.g. {@code the ledger}
     * @throws ApiException 403 for anyone but an SRE
     */
    public void requireSre(String caller, String what) {
        if (!roles.mayAudit(caller)) {
            LOG.warn("workload {} is not an SRE; its reading of {} was refused", caller, what);
            throw ApiException.forbidden("only SREs (JIT_SRE_WORKLOADS) may read " + what);
        }
    }
}
