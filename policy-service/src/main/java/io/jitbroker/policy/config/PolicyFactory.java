package io.jitbroker.policy.config;

import io.jitbroker.policy.domain.PolicyOperators;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Value;
import jakarta.inject.Singleton;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Builds the policy beans from configuration (application.yml, section jit). */
@Factory
public class PolicyFactory {

    private static final Logger LOG = LoggerFactory.getLogger(PolicyFactory.class);

    /** Eager: a list entry that is not a SPIFFE ID stops the service at startup, not at the first call. */
    @Context
    PolicyOperators policyOperators(@Value("${jit.policy.admins:}") String admins,
                                    @Value("${jit.sre-workloads:}") String sres) {
        PolicyOperators operators = PolicyOperators.fromLists(admins, sres);
        LOG.info("{} policy admin(s) may publish bundles; they and {} SRE(s) may read the bundle and explain decisions",
                operators.adminCount(), operators.sreCount());
        return operators;
    }

    @Singleton
    Clock clock() {
        return Clock.systemUTC();
    }
}
