package io.jitbroker.revocation.topology;

import io.jitbroker.micronaut.logging.LogContext;
import io.jitbroker.revocation.metrics.RevocationMetrics;
import io.jitbroker.events.v1.GrantIssued;
import io.jitbroker.events.v1.Revocation;
import io.jitbroker.events.v1.RevocationReason;
import io.jitbroker.events.v1.TaskEvent;
import io.jitbroker.revocation.domain.Heartbeats;
import io.jitbroker.revocation.domain.Revocations;
import io.jitbroker.revocation.domain.TaskOutcomes;
import io.jitbroker.contracts.Topics;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Task side, the hot path: takes in task lifecycle events (keyed by task id, read as published): a
 * task's end revokes every active grant of that task of that workload, and no other workload's
 * (two workloads may reuse a task id); STARTED and HEARTBEAT push the deadlines of its heartbeat
 * grants.
 */
final class TaskEventProcessor implements Processor<String, TaskEvent, String, Revocation> {

    private static final Logger LOG = LoggerFactory.getLogger(TaskEventProcessor.class);

    private final RevocationMetrics metrics;
    private final RevocationTopology.Settings settings;
    private ProcessorContext<String, Revocation> context;
    private TaskSideState state;
    private Revoker revoker;

    TaskEventProcessor(RevocationMetrics metrics, RevocationTopology.Settings settings) {
        this.metrics = metrics;
        this.settings = settings;
    }

    @Override
    public void init(ProcessorContext<String, Revocation> context) {
        this.context = context;
        this.state = new TaskSideState(context, settings, metrics);
        this.revoker = new Revoker(context, state, metrics);
    }

    @Override
    public void process(Record<String, TaskEvent> record) {
        TaskEvent event = record.value();
        try (LogContext ids = LogContext.of(LogContext.TASK_ID, event.getTaskId(), LogContext.WORKLOAD_ID,
                event.getWorkloadId())) {
            handle(event);
        }
    }

    private void handle(TaskEvent event) {
        Optional<TaskEvent> earlierEnd = state.endOf(event.getWorkloadId(), event.getTaskId());
        if (earlierEnd.isPresent()) {
            LOG.debug("Ignoring task event {} ({}) of task {} (workload {}): the task already ended with event {} ({})",
                    event.getEventId(), event.getType(), event.getTaskId(), event.getWorkloadId(),
                    earlierEnd.get().getEventId(), earlierEnd.get().getType());
            return;
        }
        Instant now = Instant.ofEpochMilli(context.currentSystemTimeMs());
        Optional<RevocationReason> reason = TaskOutcomes.revocationReasonFor(event.getType());
        if (reason.isPresent()) {
            end(event, reason.get(), now);
        } else {
            beat(event, now);
        }
    }

    private void end(TaskEvent event, RevocationReason reason, Instant now) {
        state.recordEnd(event, now);
        List<GrantIssued> grants = state.activeGrantsOfTask(event.getWorkloadId(), event.getTaskId());
        if (grants.isEmpty()) {
            metrics.unknownTarget(Topics.TASK_EVENTS.name());
            LOG.warn("Task event {} ({}) of task {} (workload {}) matches no active grant; remembering the end for {}",
                    event.getEventId(), event.getType(), event.getTaskId(), event.getWorkloadId(), settings.retention());
            return;
        }
        for (GrantIssued grant : grants) {
            revoker.revokeFor(grant, Revocations.forTaskEnd(grant, event, reason, false, now), event.getOccurredAt());
        }
    }

    private void beat(TaskEvent event, Instant now) {
        Instant beat = Heartbeats.effectiveBeat(event.getOccurredAt(), now);
        boolean moved = state.recordHeartbeat(event.getWorkloadId(), event.getTaskId(), beat);
        if (state.activeGrantsOfTask(event.getWorkloadId(), event.getTaskId()).isEmpty()) {
            metrics.unknownTarget(Topics.TASK_EVENTS.name());
            // Routine when a task starts before its grant reaches this side: DEBUG, like every beat.
            LOG.debug("Task event {} ({}) of task {} (workload {}) matches no active grant; remembering it",
                    event.getEventId(), event.getType(), event.getTaskId(), event.getWorkloadId());
            return;
        }
        LOG.debug("Task event {} ({}) of task {} (workload {}) at {}{}", event.getEventId(), event.getType(),
                event.getTaskId(), event.getWorkloadId(), beat, moved ? "" : ": not later than the last heartbeat");
    }
}
