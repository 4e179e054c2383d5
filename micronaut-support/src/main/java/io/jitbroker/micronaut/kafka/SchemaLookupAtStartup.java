package io.jitbroker.micronaut.kafka;

import io.jitbroker.contracts.Topics;
import io.jitbroker.kafka.Backoff;
import io.jitbroker.kafka.RegistrySerdes;
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
 * Looks every topic's value schema up in the registry when the service starts, before it reports
 * ready, and keeps it in the shared serializer of its producers, so that a burst of first requests
 * sends nothing to the registry. The service never registers a schema (the deploy step does:
 * {@link io.jitbroker.kafka.SchemaDeployment}); until the deploy step has run it stays not ready,
 * says why in /health, and keeps looking.
 */
@Singleton
public class SchemaLookupAtStartup implements ApplicationEventListener<ApplicationStartupEvent>, HealthIndicator {

    private static final Logger LOG = LoggerFactory.getLogger(SchemaLookupAtStartup.class);
    private static final Duration FIRST_BACKOFF = Duration.ofMillis(200);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(10);

    private final RegistrySerdes serdes;
    private volatile String state = "looking up";
    private volatile boolean done;

    public SchemaLookupAtStartup(RegistrySerdes serdes) {
        this.serdes = serdes;
    }

    @Override
    public void onApplicationEvent(ApplicationStartupEvent event) {
        Thread lookingUp = new Thread(this::lookUp, "schema-lookup");
        lookingUp.setDaemon(true);
        lookingUp.start();
    }

    private void lookUp() {
        Backoff backoff = new Backoff(FIRST_BACKOFF, MAX_BACKOFF);
        while (!done) {
            try {
                serdes.warmUp(Topics.ALL);
                state = "found";
                done = true;
            } catch (RuntimeException e) {
                state = "not found: " + e.getMessage() + " (are the schemas deployed? docs/OPERATIONS.md, \"Event schemas\")";
                Duration delay = backoff.next();
                LOG.warn("the event schemas could not be looked up in the registry ({}); not ready, retrying in {} ms",
                        e.toString(), delay.toMillis());
                try {
                    Thread.sleep(delay.toMillis());
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    @Override
    public Publisher<HealthResult> getResult() {
        return Publishers.just(HealthResult.builder("eventSchemas", done ? HealthStatus.UP : HealthStatus.DOWN)
                .details(Map.of("state", state))
                .build());
    }
}
