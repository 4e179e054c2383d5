package io.jitbroker.policy.kafka;

import io.jitbroker.policy.app.CurrentPolicy;
import io.micronaut.core.async.publisher.Publishers;
import io.micronaut.health.HealthStatus;
import io.micronaut.management.health.indicator.HealthIndicator;
import io.micronaut.management.health.indicator.HealthResult;
import io.micronaut.management.health.indicator.annotation.Readiness;
import jakarta.inject.Singleton;
import java.util.Map;
import org.reactivestreams.Publisher;

/**
 * /health (and /health/readiness) is DOWN until the bundle reader has caught up with jit.policies.v1:
 * before that the instance would decide with the deny-all placeholder, not with the policy.
 */
@Singleton
@Readiness
public class BundleReadiness implements HealthIndicator {

    private static final String NAME = "policyBundle";

    private final PolicyBundleReader reader;
    private final CurrentPolicy current;

    public BundleReadiness(PolicyBundleReader reader, CurrentPolicy current) {
        this.reader = reader;
        this.current = current;
    }

    @Override
    public Publisher<HealthResult> getResult() {
        boolean caughtUp = reader.caughtUp();
        return Publishers.just(HealthResult.builder(NAME, caughtUp ? HealthStatus.UP : HealthStatus.DOWN)
                .details(Map.of("bundle", current.name(), "version", current.version(), "caughtUp", caughtUp))
                .build());
    }
}
