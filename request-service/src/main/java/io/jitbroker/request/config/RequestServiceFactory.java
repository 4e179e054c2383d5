package io.jitbroker.request.config;

import io.jitbroker.events.v1.DenyCode;
import io.jitbroker.events.v1.RevocationReason;
import io.jitbroker.request.domain.AccessRequestValidator;
import io.jitbroker.request.domain.ContextEventValidator;
import io.jitbroker.request.domain.LedgerAccess;
import io.jitbroker.request.domain.LedgerQueryValidator;
import io.jitbroker.request.domain.OperatorRoles;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Value;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Builds the domain objects from configuration (see application.yml, section jit). */
@Factory
public class RequestServiceFactory {

    private static final Logger LOG = LoggerFactory.getLogger(RequestServiceFactory.class);

    @Singleton
    Clock clock() {
        return Clock.systemUTC();
    }

    @Singleton
    AccessRequestValidator accessRequestValidator(@Value("${jit.environments}") String environments,
                                          @Value("${jit.max-ttl-seconds}") long maxTtlSeconds) {
        Set<String> names = environmentNames(environments);
        LOG.info("access requests accepted for environments {} with ttl up to {} s", names, maxTtlSeconds);
        return new AccessRequestValidator(names, maxTtlSeconds);
    }

    @Singleton
    ContextEventValidator contextEventValidator(@Value("${jit.environments}") String environments) {
        return new ContextEventValidator(environmentNames(environments));
    }

    @Singleton
    LedgerAccess ledgerAccess(@Value("${jit.sre-workloads:}") String sreWorkloads) {
        LedgerAccess access = LedgerAccess.fromList(sreWorkloads);
        LOG.info("{} SRE workload(s) may read every ledger entry", access.sreCount());
        return access;
    }

    @Singleton
    OperatorRoles operatorRoles(@Value("${jit.sre-workloads:}") String sreWorkloads,
                                @Value("${jit.detector-workloads:}") String detectorWorkloads) {
        OperatorRoles roles = OperatorRoles.fromLists(sreWorkloads, detectorWorkloads);
        LOG.info("{} detector workload(s) and the SREs may report context events; only SREs may revoke by hand",
                roles.detectorCount());
        return roles;
    }

    /** The ledger's "reason" filter takes every deny code and every revocation reason the schemas define. */
    @Singleton
    LedgerQueryValidator ledgerQueryValidator() {
        Set<String> reasonCodes = Stream.concat(Arrays.stream(DenyCode.values()), Arrays.stream(RevocationReason.values()))
                .map(Enum::name)
                .collect(Collectors.toUnmodifiableSet());
        return new LedgerQueryValidator(reasonCodes);
    }

    private static Set<String> environmentNames(String commaSeparated) {
        return Arrays.stream(commaSeparated.split(","))
                .map(String::trim)
                .filter(name -> !name.isEmpty())
                .collect(Collectors.toUnmodifiableSet());
    }
}
