package io.jitbroker.chaos;

import io.jitbroker.chaos.cluster.Cluster;
import io.jitbroker.chaos.load.InstanceRouter;
import java.time.Duration;

/** When the cluster is whole again: every broker up with every replica in sync, every instance healthy. */
final class Recovery {

    private static final Duration POLL = Duration.ofMillis(500);

    private final Cluster cluster;
    private final InstanceRouter router;

    Recovery(Cluster cluster, InstanceRouter router) {
        this.cluster = cluster;
        this.router = router;
    }

    /** Seconds until the cluster is whole, or -1 if it was not within {@code timeout}. */
    double await(Duration timeout) throws InterruptedException {
        long started = System.nanoTime();
        long deadline = started + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (whole()) {
                return (System.nanoTime() - started) / 1e9;
            }
            Thread.sleep(POLL.toMillis());
        }
        return -1;
    }

    /** What is not whole (nothing when the cluster is), for a report that says why recovery timed out. */
    String missing() {
        StringBuilder missing = new StringBuilder();
        cluster.brokers().stream().filter(b -> !b.alive()).forEach(b -> missing.append(b).append(" down; "));
        cluster.allInstances().stream().filter(i -> !router.healthy(i)).forEach(i -> missing.append(i).append(" unhealthy; "));
        try {
            long behind = underReplicated();
            if (behind > 0) {
                missing.append(behind).append(" partitions under-replicated");
            }
        } catch (Exception e) {
            missing.append("replication unknown (").append(e.getMessage()).append(")");
        }
        return missing.toString();
    }

    private boolean whole() {
        return missing().isEmpty();
    }

    private long underReplicated() throws Exception {
        return cluster.partitions(Duration.ofSeconds(5)).stream()
                .filter(partition -> partition.isr().size() < partition.replicas().size()).count();
    }
}
