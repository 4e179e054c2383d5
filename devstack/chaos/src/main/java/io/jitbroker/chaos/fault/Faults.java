package io.jitbroker.chaos.fault;

import io.jitbroker.chaos.cluster.Broker;
import io.jitbroker.chaos.cluster.Cluster;
import io.jitbroker.chaos.cluster.ServiceInstance;
import io.jitbroker.chaos.net.Host;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.TopicPartitionInfo;

/**
 * The faults of the chaos schedule. Each holds its fault long enough to matter: past a Kafka
 * Streams session timeout (10 s) for a pause, 30 s for a network partition, and 20 s for a killed
 * broker or instance before it is started again.
 */
public final class Faults {

    /** Longer than the Streams apps' session timeout (10 s), so that the paused instance is fenced. */
    static final Duration PAUSE = Duration.ofSeconds(20);
    static final Duration PARTITION = Duration.ofSeconds(30);
    static final Duration DOWN = Duration.ofSeconds(20);

    private final Cluster cluster;

    public Faults(Cluster cluster) {
        this.cluster = cluster;
    }

    /** SIGKILL of the broker leading the most partitions, started again after a while. */
    public Fault killPartitionLeader() {
        return new Fault("SIGKILL of the broker leading the most partitions", () -> {
            Broker broker = cluster.broker(mostPartitionsLed());
            return killAndRestart(broker);
        });
    }

    /** SIGKILL of the active controller (the quorum's leader), started again after a while. */
    public Fault killController() {
        return new Fault("SIGKILL of the active controller", () -> {
            return killAndRestart(cluster.broker(cluster.activeController()));
        });
    }

    private String killAndRestart(Broker broker) throws InterruptedException {
        broker.kill();
        hold(DOWN);
        broker.start();
        return broker.toString();
    }

    /** SIGKILL of the first instance of {@code service}, started again after a while. */
    public Fault killInstance(String service) {
        return new Fault("SIGKILL of one " + service + " instance", () -> {
            ServiceInstance instance = cluster.instances(service).get(0);
            instance.kill();
            hold(DOWN);
            instance.start();
            instance.awaitHealthy(Duration.ofMinutes(3));
            return instance.toString();
        });
    }

    /** SIGSTOP of one instance for longer than its session timeout, then SIGCONT: the zombie must be fenced. */
    public Fault pause(String service) {
        return new Fault("SIGSTOP of one " + service + " instance past its session timeout, then SIGCONT", () -> {
            ServiceInstance instance = cluster.instances(service).get(1);
            instance.pause();
            hold(PAUSE);
            instance.resume();
            return instance.toString();
        });
    }

    /** The instance's link down for 30 s: it reaches nothing and nothing reaches it. */
    public Fault partitionInstance(String service) {
        return new Fault("network partition of one " + service + " instance for 30 s", () -> {
            ServiceInstance instance = cluster.instances(service).get(0);
            return partition(instance.host(), instance.toString());
        });
    }

    /** A broker's link down for 30 s (one that is not the active controller). */
    public Fault partitionBroker() {
        return new Fault("network partition of one broker for 30 s", () -> {
            int controller = cluster.activeController();
            Broker broker = cluster.brokers().stream().filter(b -> b.nodeId() != controller).findFirst().orElseThrow();
            return partition(broker.host(), broker.toString());
        });
    }

    private String partition(Host host, String what) throws InterruptedException {
        cluster.network().partition(host);
        try {
            hold(PARTITION);
        } finally {
            cluster.network().heal(host);
        }
        return what;
    }

    /** PostgreSQL stopped (sessions cut) and started again on the same data. */
    public Fault restartPostgres() {
        return new Fault("PostgreSQL restart", () -> {
            cluster.restartPostgres();
            return "postgresql";
        });
    }

    /**
     * One issuer instance cut off from Kafka (its packets to the brokers dropped) for 30 s while the load
     * keeps revoking credentials: it must not answer active for a credential it cannot know is unrevoked.
     */
    public Fault cutIssuerFromKafka() {
        return new Fault("an issuer instance cut off from Kafka for 30 s", () -> {
            ServiceInstance issuer = cluster.instances("issuer-service").get(0);
            List<String> brokers = cluster.brokers().stream().map(b -> b.host().address()).toList();
            cluster.network().dropTraffic(issuer.host(), brokers);
            try {
                hold(PARTITION);
            } finally {
                cluster.network().allowTraffic(issuer.host(), brokers);
            }
            return issuer.toString();
        });
    }

    private int mostPartitionsLed() throws Exception {
        Map<Integer, Integer> led = new HashMap<>();
        for (TopicPartitionInfo partition : cluster.partitions(Duration.ofSeconds(10))) {
            if (partition.leader() != null) {
                led.merge(partition.leader().id(), 1, Integer::sum);
            }
        }
        return led.entrySet().stream().max(Map.Entry.comparingByValue()).map(Map.Entry::getKey)
                .orElseThrow(() -> new IllegalStateException("no partition has a leader"));
    }

    static void hold(Duration duration) throws InterruptedException {
        Thread.sleep(duration.toMillis()); // the fault lasts this long while the load goes on: not a synchronisation
    }
}
