package io.jitbroker.micronaut.kafka;

import io.jitbroker.contracts.Topics;
import io.jitbroker.kafka.RegistrySerdes;
import io.jitbroker.kafka.SchemaRegistration;
import io.micronaut.context.annotation.Value;
import io.micronaut.context.event.ApplicationEventListener;
import io.micronaut.core.async.publisher.Publishers;
import io.micronaut.health.HealthStatus;
import io.micronaut.management.health.indicator.HealthIndicator;
import io.micronaut.management.health.indicator.HealthResult;
import io.micronaut.runtime.event.ApplicationStartupEvent;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.Map;
import org.reactivestreams.Publisher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Registers every topic's value schema when the service starts, one at a time, before the service
 * reports ready, and resolves them in the shared serializer of its producers, so that a burst of
 * first requests sends nothing to the registry. Registration off with
 * {@code jit.schema-registry.register-on-start=false} where a deploy step registers the schemas.
 */
@Singleton
public class SchemaRegistrationAtStartup implements ApplicationEventListener<ApplicationStartupEvent>, HealthIndicator {

    private static final Logger LOG = LoggerFactory.getLogger(SchemaRegistrationAtStartup.class);
    /** Long: a registry that starts after the service is waited for, not given up on. */
    private static final Duration DEADLINE = Duration.ofMinutes(10);

    private final RegistrySerdes serdes;
    private final boolean register;
    private volatile String state = "registering";
    private volatile boolean done;

    public SchemaRegistrationAtStartup(RegistrySerdes serdes,
                                       @Value("${jit.schema-registry.register-on-start:true}") boolean register) {
        this.serdes = serdes;
        this.register = register;
    }

    @Override
    public void onApplicationEvent(ApplicationStartupEvent event) {
        Thread registering = new Thread(this::register, "schema-registration");
        registering.setDaemon(true);
        registering.start();
    }

    private void register() {
        try {
            if (register) {
                SchemaRegistration.registerAll(serdes.registryUrl(), Topics.ALL, DEADLINE);
            }
            serdes.warmUp(Topics.ALL);
            state = "registered";
            done = true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            state = "failed: " + e.getMessage();
            LOG.error("the event schemas could not be registered; this service stays not ready", e);
        }
    }

    @Override
    public Publisher<HealthResult> getResult() {
        return Publishers.just(HealthResult.builder("eventSchemas", done ? HealthStatus.UP : HealthStatus.DOWN)
                .details(Map.of("state", state))
                .build());
    }
}
