package io.jitbroker.micronaut.health;

import io.micronaut.context.annotation.Requires;
import io.micronaut.context.annotation.Value;
import io.micronaut.health.HealthStatus;
import io.micronaut.management.health.indicator.AbstractHealthIndicator;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.AdminClient;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.common.Node;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Readiness is DOWN while no Kafka broker answers: the service's admin client (logged in as the
 * service) asks the cluster for its brokers, which needs no ACL beyond a login. It replaces
 * micronaut-kafka's restricted health check, whose network client is not thread-safe: two health
 * probes at once (a load balancer's and the orchestrator's) corrupted it for good, and the instance
 * then stayed DOWN although Kafka was fine (found by ./jit-broker chaos). The admin client is
 * thread-safe, and each probe has its own deadline.
 */
@Singleton
@Requires(property = "kafka.health.enabled", value = "false")
@Requires(beans = AdminClient.class)
public class KafkaBrokersHealthIndicator extends AbstractHealthIndicator<Map<String, Object>> {

    private static final Logger LOG = LoggerFactory.getLogger(KafkaBrokersHealthIndicator.class);

    private final AdminClient admin;
    private final Duration timeout;

    public KafkaBrokersHealthIndicator(AdminClient admin, @Value("${kafka.health-timeout:5s}") Duration timeout) {
        this.admin = admin;
        this.timeout = timeout;
    }

    @Override
    protected String getName() {
        return "kafka";
    }

    @Override
    protected Map<String, Object> getHealthInformation() {
        try {
            Collection<Node> brokers = admin.describeCluster(new DescribeClusterOptions().timeoutMs((int) timeout.toMillis()))
                    .nodes().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            healthStatus = brokers.isEmpty() ? HealthStatus.DOWN : HealthStatus.UP;
            return Map.of("brokers", brokers.size());
        } catch (ExecutionException | TimeoutException e) {
            healthStatus = HealthStatus.DOWN;
            Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
            LOG.warn("no Kafka broker answered within {}: {}", timeout, cause.toString());
            return Map.of("error", cause.getClass().getSimpleName());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            healthStatus = HealthStatus.DOWN;
            return Map.of("error", "interrupted");
        }
    }
}
