package io.jitbroker.chaos.load;

import io.jitbroker.bench.FlowObserver;
import io.jitbroker.chaos.check.FlowObservation;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Every flow's steps as the driver saw them, for the checker. */
final class FlowLog implements FlowObserver {

    private static final class Flow {
        final String workload;
        volatile String requestId;
        volatile long acceptedAt;
        volatile String grantId;
        volatile long taskEndedAt;
        volatile long revocationReadAt;
        final List<FlowObservation.Introspection> introspections = new ArrayList<>();

        Flow(String workload) {
            this.workload = workload;
        }
    }

    private final Map<String, Flow> flows = new ConcurrentHashMap<>();

    @Override
    public void started(String taskId, String workload) {
        flows.put(taskId, new Flow(workload));
    }

    @Override
    public void accepted(String taskId, String requestId, long atMillis) {
        Flow flow = flows.get(taskId);
        flow.requestId = requestId;
        flow.acceptedAt = atMillis;
    }

    @Override
    public void issued(String taskId, String grantId) {
        flows.get(taskId).grantId = grantId;
    }

    @Override
    public void taskEnded(String taskId, long atMillis) {
        flows.get(taskId).taskEndedAt = atMillis;
    }

    @Override
    public void revocationRead(String taskId, long atMillis) {
        flows.get(taskId).revocationReadAt = atMillis;
    }

    @Override
    public void introspected(String taskId, long sentAtMillis, long answeredAtMillis, int status, Boolean active) {
        FlowObservation.Answer answer = status == 200 ? (Boolean.TRUE.equals(active) ? FlowObservation.Answer.ACTIVE
                : FlowObservation.Answer.INACTIVE) : status == 503 ? FlowObservation.Answer.FAIL_CLOSED : FlowObservation.Answer.ERROR;
        Flow flow = flows.get(taskId);
        synchronized (flow.introspections) {
            flow.introspections.add(new FlowObservation.Introspection(sentAtMillis, answeredAtMillis, answer));
        }
    }

    List<FlowObservation> observations() {
        List<FlowObservation> all = new ArrayList<>();
        flows.forEach((taskId, flow) -> {
            synchronized (flow.introspections) {
                all.add(new FlowObservation(flow.workload, taskId, flow.requestId, flow.acceptedAt, flow.grantId,
                        flow.taskEndedAt, flow.revocationReadAt, flow.introspections));
            }
        });
        return all;
    }
}
