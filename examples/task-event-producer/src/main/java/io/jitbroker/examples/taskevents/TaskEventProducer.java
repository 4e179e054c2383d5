package io.jitbroker.examples.taskevents;

import io.jitbroker.events.v1.TaskEventType;
import java.util.Locale;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code TaskEventProducer <COMPLETED|FAILED|CANCELLED|STARTED|HEARTBEAT> <taskId> <workloadId>}:
 * reports one task event on jit.task-events.v1 as the Kafka user in the environment (see
 * {@link TaskEventPublisher#producerConfig}) and exits 0 once the broker has it; 1 if it refused or
 * did not answer, 2 on bad arguments. README.md next to this module says how to run it.
 */
public final class TaskEventProducer {

    private static final Logger LOG = LoggerFactory.getLogger(TaskEventProducer.class);

    private TaskEventProducer() {
    }

    public static void main(String[] args) throws InterruptedException {
        if (args.length != 3) {
            System.err.println("usage: TaskEventProducer <COMPLETED|FAILED|CANCELLED|STARTED|HEARTBEAT> <taskId> <workloadId>");
            System.exit(2);
        }
        TaskEventType type;
        try {
            type = TaskEventType.valueOf(args[0].toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            System.err.println("unknown task event type " + args[0]);
            System.exit(2);
            return;
        }
        try (TaskEventPublisher publisher = new TaskEventPublisher(TaskEventPublisher.producerConfig(System.getenv()))) {
            RecordMetadata written = publisher.publish(args[1], args[2], type);
            LOG.info("task {} of {}: {} written to {}-{} at offset {}", args[1], args[2], type, written.topic(),
                    written.partition(), written.offset());
        } catch (ExecutionException e) {
            LOG.error("task {} of {}: {} refused: {}", args[1], args[2], type, e.getCause().toString());
            System.exit(1);
        } catch (java.util.concurrent.TimeoutException | RuntimeException e) {
            LOG.error("task {} of {}: {} not written: {}", args[1], args[2], type, e.toString());
            System.exit(1);
        }
    }
}
