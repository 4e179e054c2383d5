package io.jitbroker.micronaut.health;

import io.jitbroker.kafka.RegistryProbe;
import io.micronaut.context.annotation.Value;
import io.micronaut.health.HealthStatus;
import io.micronaut.management.health.indicator.AbstractHealthIndicator;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Readiness is DOWN while the schema registry ({@code jit.schema-registry.url}) does not answer:
 * no event can be written or read without it (see {@link RegistryProbe}).
 */
@Singleton
public class SchemaRegistryHealthIndicator extends AbstractHealthIndicator<Map<String, Object>> {

    private static final Logger LOG = LoggerFactory.getLogger(SchemaRegistryHealthIndicator.class);

    private final RegistryProbe probe;

    public SchemaRegistryHealthIndicator(@Value("${jit.schema-registry.url}") String registryUrl,
                                         @Value("${jit.health.schema-registry-timeout:2s}") Duration timeout) {
        this.probe = new RegistryProbe(registryUrl, timeout);
    }

    @Override
    protected String getName() {
        return "schemaRegistry";
    }

    @Override
    protected Map<String, Object> getHealthInformation() {
        RegistryProbe.Result result = probe.check();
        healthStatus = result.up() ? HealthStatus.UP : HealthStatus.DOWN;
        if (!result.up()) {
            LOG.warn("schema registry at {} did not answer: {}", probe.shownUrl(), result.details());
        }
        return result.details();
    }
}
