package io.jitbroker.revocation.topology;

import io.jitbroker.events.v1.RevocationRequest;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Workload side: sends a revoke command to the task side, keyed by the task id of the grant it names. */
final class RevokeCommandSender {

    private static final Logger LOG = LoggerFactory.getLogger(RevokeCommandSender.class);

    private final ProcessorContext<String, RevocationRequest> context;

    RevokeCommandSender(ProcessorContext<String, RevocationRequest> context) {
        this.context = context;
    }

    /** @param timestamp the record timestamp of the event that caused it */
    void send(RevocationRequest command, long timestamp) {
        context.forward(new Record<>(command.getTaskId(), command, timestamp));
        LOG.debug("Revoke command {} ({}) for grant {} of task {} (workload {})", command.getEventId(),
                command.getReason(), command.getGrantId(), command.getTaskId(), command.getWorkloadId());
    }
}
