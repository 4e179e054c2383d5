package io.jitbroker.chaos.load;

import io.jitbroker.bench.FlowTargets;
import io.jitbroker.chaos.cluster.Cluster;
import io.jitbroker.chaos.cluster.ServiceInstance;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What a load balancer in front of each service does: checks every instance's /health twice a second
 * and sends each call to the next healthy instance in turn; with none healthy, to any (the call then
 * fails and the client sends it again). A paused or cut-off instance stops answering its checks and
 * gets no new calls after about a second; calls already sent to it wait for their timeouts.
 */
public final class InstanceRouter implements FlowTargets, AutoCloseable {

    private static final Duration CHECK_EVERY = Duration.ofMillis(500);
    private static final Duration CHECK_TIMEOUT = Duration.ofSeconds(1);
    private static final Map<String, String> SERVICES = Map.of("REQUEST", "request-service", "ISSUER", "issuer-service",
            "POLICY", "policy-service", "REVOCATION", "revocation-service");

    private final Cluster cluster;
    private final Set<String> healthy = ConcurrentHashMap.newKeySet();
    private final AtomicLong turn = new AtomicLong();
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(CHECK_TIMEOUT).build();
    private final ScheduledExecutorService checker = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "chaos-health-checks");
        thread.setDaemon(true);
        return thread;
    });

    public InstanceRouter(Cluster cluster) {
        this.cluster = cluster;
        checkAll();
        checker.scheduleWithFixedDelay(this::checkAll, CHECK_EVERY.toMillis(), CHECK_EVERY.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public String url(String service) {
        if ("IDP".equals(service)) {
            return cluster.identityProvider().issuer();
        }
        String name = SERVICES.get(service);
        if (name == null) {
            throw new IllegalArgumentException("no service " + service);
        }
        List<ServiceInstance> instances = cluster.instances(name);
        List<ServiceInstance> up = instances.stream().filter(i -> healthy.contains(i.name())).toList();
        List<ServiceInstance> pool = up.isEmpty() ? instances : up;
        return pool.get((int) Math.floorMod(turn.getAndIncrement(), (long) pool.size())).url();
    }

    /** Whether the instance answered its last health check with 200. */
    public boolean healthy(ServiceInstance instance) {
        return healthy.contains(instance.name());
    }

    private void checkAll() {
        for (ServiceInstance instance : cluster.allInstances()) {
            http.sendAsync(HttpRequest.newBuilder(URI.create(instance.url() + "/health")).timeout(CHECK_TIMEOUT).GET().build(),
                            HttpResponse.BodyHandlers.discarding())
                    .orTimeout(CHECK_TIMEOUT.toMillis() + 500, TimeUnit.MILLISECONDS)
                    .whenComplete((response, error) -> {
                        if (error == null && response.statusCode() == 200) {
                            healthy.add(instance.name());
                        } else {
                            healthy.remove(instance.name());
                        }
                    });
        }
    }

    @Override
    public void close() {
        checker.shutdownNow();
    }
}
