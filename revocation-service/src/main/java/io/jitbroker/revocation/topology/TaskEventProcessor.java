package io.jitbroker.revocation.topology;

import io.jitbroker.events.v1.GrantIssued;
import io.jitbroker.events.v1.Revocation;
import io.jitbroker.events.v1.RevocationReason;
import io.jitbroker.events.v1.TaskEvent;
import io.jitbroker.revocation.domain.Revocations;
import io.jitbroker.revocation.domain.TaskOutcomes;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Takes in task lifecycle events; a task's end revokes every active grant of that task. */
final class TaskEventProcessor implements Processor<String, TaskEvent, String, Revocation> {

    private static final Logger LOG = LoggerFactory.getLogger(TaskEventProcessor.class);

    private final RevocationMetrics metrics;
    private final RevocationTopology.Settings settings;
    private ProcessorContext<String, Revocation> context;
    private RevocationState state;
    private Revoker revoker;

    TaskEventProcessor(RevocationMetrics metrics, RevocationTopology.Settings settings) {
        this.metrics = metrics;
        this.settings = settings;
    }

    @Override
    public void init(ProcessorContext<String, Revocation> context) {
        this.context = context;
        this.state = RevocationState.of(context, settings.retention());
        this.revoker = new Revoker(context, state, metrics);
    }

    @Override
    public void process(Record<String, TaskEvent> record) {
        TaskEvent event = record.value();
        if (event == null) {
            LOG.warn("Ignoring an empty task event (tombstone) with key {}", record.key());
            return;
        }
        Optional<RevocationReason> reason = TaskOutcomes.revocationReasonFor(event.getType());
        if (reason.isEmpty()) {
            LOG.debug("Task event {} ({}) of task {} does not end it", event.getEventId(), event.getType(), event.getTaskId());
            return;
        }
        Optional<TaskEvent> earlierEnd = state.endOf(event.getTaskId());
        if (earlierEnd.isPresent()) {
            LOG.info("Ignoring task event {} ({}) of task {}: the task already ended with event {} ({})",
                    event.getEventId(), event.getType(), event.getTaskId(),
                    earlierEnd.get().getEventId(), earlierEnd.get().getType());
            return;
        }
        Instant now = Instant.ofEpochMilli(context.currentSystemTimeMs());
        state.recordEnd(event, now);
        List<GrantIssued> grants = state.activeGrantsOf(event.getTaskId());
        if (grants.isEmpty()) {
            metrics.unknownTaskEvent();
            LOG.warn("Task event {} ({}) of task {} (workload {}) matches no active grant; remembering the end for {} "
                            + "in case a grant of that task arrives later",
                    event.getEventId(), event.getType(), event.getTaskId(), event.getWorkloadId(), settings.retention());
            return;
        }
        for (GrantIssued grant : grants) {
            revoker.revoke(grant, Revocations.forTaskEnd(grant, event, reason.get(), false, now));
        }
    }
}
