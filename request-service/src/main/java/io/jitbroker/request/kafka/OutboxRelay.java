package io.jitbroker.request.kafka;

import io.jitbroker.kafka.Backoff;
import io.jitbroker.kafka.KafkaClientSecurity;
import io.jitbroker.request.persistence.Outbox;
import io.micronaut.context.annotation.Property;
import io.micronaut.context.annotation.Value;
import io.micronaut.context.event.ApplicationEventListener;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.convert.format.MapFormat;
import io.micronaut.runtime.event.ApplicationStartupEvent;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes the {@link Outbox}: woken as soon as a transaction that wrote to it has committed (and
 * every second in case a wake-up was missed, e.g. rows left by a crash), it sends the oldest events
 * in batches, waits for the broker's acknowledgement of the whole batch, and only then lets them be
 * deleted. When Kafka is down the events wait in the database and the relay retries with backoff;
 * the workloads that asked meanwhile already have their answer.
 */
@Singleton
public class OutboxRelay implements ApplicationEventListener<ApplicationStartupEvent> {

    private static final Logger LOG = LoggerFactory.getLogger(OutboxRelay.class);
    private static final int BATCH = 500;
    private static final Duration IDLE_CHECK = Duration.ofSeconds(1);
    private static final Duration FIRST_BACKOFF = Duration.ofMillis(100);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(5);
    private static final Duration ACK_TIMEOUT = Duration.ofSeconds(30);

    private final Outbox outbox;
    private final Producer<String, byte[]> producer;
    private final Semaphore wakeUps = new Semaphore(0);
    private volatile boolean running = true;
    private Thread thread;

    /**
     * @param settings {@code kafka.producers.outbox.*}: producer settings of the relay beyond those below
     */
    public OutboxRelay(Outbox outbox, @Property(name = "kafka.bootstrap.servers") String bootstrapServers,
                       KafkaClientSecurity security,
                       @Nullable @Property(name = "kafka.producers.outbox")
                       @MapFormat(transformation = MapFormat.MapTransformation.FLAT) Map<String, Object> settings,
                       @Value("${jit.outbox.linger:1ms}") Duration linger) {
        this.outbox = outbox;
        Map<String, Object> config = new HashMap<>(security.clientConfig());
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(ProducerConfig.CLIENT_ID_CONFIG, "request-service-outbox");
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.put(ProducerConfig.LINGER_MS_CONFIG, (int) linger.toMillis());
        config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) ACK_TIMEOUT.toMillis());
        config.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) ACK_TIMEOUT.toMillis() - 1000);
        if (settings != null) {
            settings.forEach((key, value) -> config.put(key, String.valueOf(value)));
        }
        this.producer = new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer());
    }

    @Override
    public void onApplicationEvent(ApplicationStartupEvent event) {
        thread = new Thread(this::run, "outbox-relay");
        thread.setDaemon(true);
        thread.start();
    }

    /** Something was committed to the outbox: publish it now. */
    public void wakeUp() {
        wakeUps.release();
    }

    private void run() {
        Duration backoff = Duration.ZERO;
        Backoff failures = new Backoff(FIRST_BACKOFF, MAX_BACKOFF);
        while (running) {
            try {
                if (backoff.isZero()) {
                    wakeUps.tryAcquire(IDLE_CHECK.toMillis(), TimeUnit.MILLISECONDS);
                } else {
                    Thread.sleep(backoff.toMillis());
                }
                wakeUps.drainPermits();
                while (running && outbox.publishOldest(BATCH, this::publish) == BATCH) {
                    // a full batch: there may be more
                }
                backoff = Duration.ZERO;
                failures.reset();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                backoff = failures.next();
                LOG.warn("the outbox could not be published ({}); the events wait in the database, retrying in {} ms",
                        e.toString(), backoff.toMillis());
            }
        }
    }

    /** Sends the batch and returns once the broker acknowledged every record; throws otherwise. */
    private void publish(List<Outbox.OutboxRecord> records) {
        List<Future<RecordMetadata>> sent = new ArrayList<>(records.size());
        for (Outbox.OutboxRecord record : records) {
            ProducerRecord<String, byte[]> event = new ProducerRecord<>(record.topic(), record.key(), record.payload());
            // The request's trace continues in the consumers (the relay's own thread has none).
            addHeader(event, "traceparent", record.traceParent());
            addHeader(event, "tracestate", record.traceState());
            sent.add(producer.send(event));
        }
        try {
            for (int i = 0; i < sent.size(); i++) {
                RecordMetadata at = sent.get(i).get(ACK_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                LOG.debug("published outbox event {} (key {}) to {}-{}@{}", records.get(i).id(), records.get(i).key(),
                        at.topic(), at.partition(), at.offset());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while publishing the outbox", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("the broker did not acknowledge the outbox batch", e);
        }
    }

    private static void addHeader(ProducerRecord<String, byte[]> record, String key, String value) {
        if (value != null) {
            record.headers().add(key, value.getBytes(StandardCharsets.UTF_8));
        }
    }

    @PreDestroy
    void close() {
        running = false;
        wakeUp();
        if (thread != null) {
            try {
                thread.join(TimeUnit.SECONDS.toMillis(10));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        producer.close(Duration.ofSeconds(5));
    }
}
