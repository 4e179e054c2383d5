package io.jitbroker.policy.topology;

import io.jitbroker.events.v1.AccessDecision;
import io.jitbroker.events.v1.AccessRequest;
import io.jitbroker.events.v1.ApprovalDecision;
import io.jitbroker.events.v1.ContextEvent;
import io.jitbroker.events.v1.DecisionOutcome;
import io.jitbroker.events.v1.DenyCode;
import io.jitbroker.events.v1.GrantIssued;
import io.jitbroker.events.v1.Revocation;
import io.jitbroker.micronaut.logging.LogContext;
import io.jitbroker.policy.domain.Decision;
import io.jitbroker.policy.domain.Policy;
import io.jitbroker.policy.domain.PolicyEngine;
import io.jitbroker.policy.domain.WorkloadState;
import io.jitbroker.policy.metrics.PolicyMetrics;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides access requests from live state, one workload at a time: every input arrives here keyed
 * by workload id, so two requests of one workload are decided in order by one Streams task and the
 * second sees the first's reservation (the cap race cannot be lost). Out come decisions, alerts and,
 * when a policy change takes a grant back, revocation requests.
 *
 * <p>What each input does: an access request is decided (and a break-glass one raises an alert); an
 * approval closes a pending request (approved: decided again on the current policy and state, so a
 * change while it waited counts; denied: DENIED, APPROVAL_DENIED); a grant and a revocation keep the
 * active grants exact; a context event marks a workload compromised (WORKLOAD_COMPROMISED,
 * IDENTITY_DISABLED) or clears it (WORKLOAD_CLEARED). On wall-clock time: pending requests past their
 * deadline are closed as DENIED (EXPIRED), expired entries are forgotten, and when the policy version
 * changes every active grant is re-evaluated in bounded batches (the cursor is in the store, so a
 * restart resumes where it stopped).
 */
final class DecisionProcessor implements Processor<String, SpecificRecord, String, SpecificRecord> {

    private static final Logger LOG = LoggerFactory.getLogger(DecisionProcessor.class);

    private final Supplier<PolicyEngine> policy;
    private final PolicyMetrics metrics;
    private final PolicyTopology.Settings settings;
    private ProcessorContext<String, SpecificRecord> context;
    private PolicyState state;

    DecisionProcessor(Supplier<PolicyEngine> policy, PolicyMetrics metrics, PolicyTopology.Settings settings) {
        this.policy = policy;
        this.metrics = metrics;
        this.settings = settings;
    }

    @Override
    public void init(ProcessorContext<String, SpecificRecord> context) {
        this.context = context;
        this.state = new PolicyState(context);
        context.schedule(settings.approvalSweepInterval(), PunctuationType.WALL_CLOCK_TIME, this::closeOverdueApprovals);
        context.schedule(settings.reevaluationInterval(), PunctuationType.WALL_CLOCK_TIME, this::reevaluateOnPolicyChange);
        context.schedule(settings.expirySweepInterval(), PunctuationType.WALL_CLOCK_TIME, this::forgetExpired);
    }

    @Override
    public void process(Record<String, SpecificRecord> record) {
        try (LogContext ids = idsOf(record.value())) {
            handle(record);
        }
    }

    /** What each input is about, for the log lines written while it is handled. */
    private static LogContext idsOf(SpecificRecord value) {
        if (value instanceof AccessRequest request) {
            return LogContext.of(LogContext.REQUEST_ID, request.getRequestId(), LogContext.WORKLOAD_ID,
                    request.getWorkloadId(), LogContext.TASK_ID, request.getTaskId());
        } else if (value instanceof ApprovalDecision approval) {
            return LogContext.of(LogContext.REQUEST_ID, approval.getRequestId(), LogContext.WORKLOAD_ID,
                    approval.getWorkloadId());
        } else if (value instanceof GrantIssued grant) {
            return LogContext.of(LogContext.GRANT_ID, grant.getGrantId(), LogContext.REQUEST_ID, grant.getRequestId(),
                    LogContext.WORKLOAD_ID, grant.getWorkloadId(), LogContext.TASK_ID, grant.getTaskId());
        } else if (value instanceof Revocation revocation) {
            return LogContext.of(LogContext.GRANT_ID, revocation.getGrantId(), LogContext.REQUEST_ID,
                    revocation.getRequestId(), LogContext.WORKLOAD_ID, revocation.getWorkloadId());
        } else if (value instanceof ContextEvent event) {
            return LogContext.of(LogContext.WORKLOAD_ID, event.getWorkloadId());
        }
        return LogContext.of();
    }

    private void handle(Record<String, SpecificRecord> record) {
        SpecificRecord value = record.value();
        if (value instanceof AccessRequest request) {
            decide(request, record.timestamp());
        } else if (value instanceof ApprovalDecision approval) {
            close(approval, record.timestamp());
        } else if (value instanceof GrantIssued grant) {
            track(grant, record.timestamp());
        } else if (value instanceof Revocation revocation) {
            state.recordRevocation(revocation);
        } else if (value instanceof ContextEvent event) {
            mark(event);
        } else {
            throw new IllegalArgumentException("unexpected input " + value.getClass().getName());
        }
    }

    private void decide(AccessRequest request, long timestamp) {
        if (state.knows(request.getWorkloadId(), request.getRequestId())) {
            LOG.info("Request {} of {} is decided already (redelivered); ignoring it", request.getRequestId(),
                    request.getWorkloadId());
            return;
        }
        Instant now = now();
        PolicyEngine engine = policy.get();
        Decision decision = evaluate(engine, request, now);
        Instant deadline = now.plusSeconds(engine.policy().approvalTimeoutSeconds());
        AccessDecision event = DecisionEvents.toDecision(request, decision, now, deadline);
        switch (event.getOutcome()) {
            case APPROVED -> state.reserve(request, event);
            case PENDING_APPROVAL -> state.awaitApproval(request, event);
            case DENIED -> { }
        }
        publish(request, event, timestamp);
    }

    private void close(ApprovalDecision approval, long timestamp) {
        Optional<AccessDecision> pending = state.pendingDecision(approval.getWorkloadId(), approval.getRequestId());
        Optional<AccessRequest> request = state.request(approval.getWorkloadId(), approval.getRequestId());
        if (pending.isEmpty() || request.isEmpty()) {
            metrics.staleApproval();
            LOG.warn("Approval {} by {} for request {} of {} ignored: the request is not waiting for approval "
                            + "(decided, expired or unknown)", approval.getEventId(), approval.getDecidedBy(),
                    approval.getRequestId(), approval.getWorkloadId());
            return;
        }
        Instant now = now();
        if (!pending.get().getApprovalDeadline().isAfter(now)) {
            // Too late: the sweep closes it as EXPIRED (it may not have run yet); an answer never revives it.
            metrics.staleApproval();
            LOG.warn("Approval {} by {} for request {} of {} came after the deadline {}; ignored",
                    approval.getEventId(), approval.getDecidedBy(), approval.getRequestId(), approval.getWorkloadId(),
                    pending.get().getApprovalDeadline());
            return;
        }
        // It waits no more, and must not count against its own caps when it is decided again.
        state.closePending(approval.getWorkloadId(), approval.getRequestId());
        AccessDecision outcome;
        if (!approval.getApproved()) {
            outcome = AccessDecision.newBuilder(DecisionEvents.closed(request.get(), pending.get(),
                            DenyCode.APPROVAL_DENIED, "denied by " + approval.getDecidedBy() + ": " + approval.getReason(),
                            now))
                    .setApprovedBy(approval.getDecidedBy())
                    .setApprovalReason(approval.getReason())
                    .build();
        } else {
            // Decided again: the policy or the workload's state may have changed while it waited.
            Decision decision = evaluate(policy.get(), request.get(), now);
            outcome = DecisionEvents.approved(DecisionEvents.toDecision(request.get(), decision, now, null), approval);
            if (outcome.getOutcome() == DecisionOutcome.APPROVED) {
                state.reserve(request.get(), outcome);
            }
        }
        metrics.approval(approval.getApproved());
        publish(request.get(), outcome, timestamp);
    }

    private void closeOverdueApprovals(long wallClockMillis) {
        Instant now = Instant.ofEpochMilli(wallClockMillis);
        for (AccessDecision overdue : state.overdueApprovals(now, settings.maxEntriesPerSweep())) {
            Optional<AccessRequest> request = state.request(overdue.getWorkloadId(), overdue.getRequestId());
            state.closePending(overdue.getWorkloadId(), overdue.getRequestId());
            if (request.isEmpty()) {
                continue;
            }
            AccessDecision expired = DecisionEvents.closed(request.get(), overdue, DenyCode.EXPIRED,
                    "nobody approved or denied it by " + overdue.getApprovalDeadline() + "; closed", now);
            publish(request.get(), expired, wallClockMillis);
        }
    }

    private void track(GrantIssued grant, long timestamp) {
        if (!state.recordGrant(grant)) {
            LOG.debug("Grant {} of {} was revoked before it reached policy-service", grant.getGrantId(),
                    grant.getWorkloadId());
            return;
        }
        // Decided under an older version than the one applied to the other grants: check it now.
        String applied = state.progress(PolicyState.APPLIED_VERSION).orElse(null);
        state.approvedDecision(grant.getWorkloadId(), grant.getRequestId())
                .filter(decision -> applied != null && !applied.equals(decision.getPolicyVersion()))
                .ifPresent(decision -> reevaluate(decision, Optional.of(grant), policy.get(), timestamp));
    }

    private void mark(ContextEvent event) {
        switch (event.getType()) {
            case WORKLOAD_COMPROMISED, IDENTITY_DISABLED -> {
                state.markCompromised(event);
                LOG.info("Workload {} marked {} ({}) by {}: its requests are denied until cleared",
                        event.getWorkloadId(), event.getType(),
                        event.getEnvironment() == null ? "all environments" : event.getEnvironment(), event.getSource());
            }
            case WORKLOAD_CLEARED -> LOG.info("Workload {} cleared by {} ({}): {} mark(s) lifted", event.getWorkloadId(),
                    event.getSource(), event.getReason(), state.clear(event));
            default -> LOG.debug("Context event {} ({}) of {} does not change decisions", event.getEventId(),
                    event.getType(), event.getWorkloadId());
        }
    }

    /**
     * When the current policy version is not the one last applied to this task's grants, checks a
     * batch of them; the version counts as applied once the last batch is done. Never against the
     * deny-all stand-in used before any bundle is loaded: that would revoke everything.
     */
    private void reevaluateOnPolicyChange(long wallClockMillis) {
        PolicyEngine engine = policy.get();
        String version = engine.policy().version();
        if (Policy.DENY_ALL_VERSION.equals(version) || version.equals(state.progress(PolicyState.APPLIED_VERSION).orElse(null))) {
            return;
        }
        String cursorKey = PolicyState.REEVALUATION_CURSOR;
        String cursor = state.progress(cursorKey).filter(saved -> saved.startsWith(version + "|"))
                .map(saved -> saved.substring(version.length() + 1)).orElse(null);
        String last = state.visitApproved(cursor, settings.maxEntriesPerSweep(),
                (decision, grant) -> reevaluate(decision, grant, engine, wallClockMillis));
        if (last == null) {
            state.setProgress(PolicyState.APPLIED_VERSION, version);
            state.setProgress(cursorKey, null);
            LOG.info("Policy {} applied to every active grant of this partition", version);
        } else {
            state.setProgress(cursorKey, version + "|" + last);
        }
    }

    private void reevaluate(AccessDecision decision, Optional<GrantIssued> grant, PolicyEngine engine, long timestamp) {
        if (grant.isEmpty()) {
            return; // checked when it arrives (track)
        }
        Optional<AccessRequest> request = state.request(decision.getWorkloadId(), decision.getRequestId());
        if (request.isEmpty()) {
            LOG.warn("Grant {} of {}: its request is unknown here, so policy {} cannot re-check it",
                    grant.get().getGrantId(), decision.getWorkloadId(), engine.policy().version());
            return;
        }
        Optional<String> why;
        try {
            why = engine.whyNoLongerAllowed(DecisionEvents.toQuery(request.get()),
                    DecisionEvents.toResources(decision.getGrantedResources()));
        } catch (RuntimeException e) {
            LOG.error("Re-evaluating grant {} under policy {} failed; revoking it (fail closed)",
                    grant.get().getGrantId(), engine.policy().version(), e);
            why = Optional.of("policy " + engine.policy().version() + " could not be evaluated for it (fail closed)");
        }
        why.ifPresent(reason -> {
            metrics.policyChangeRevocation();
            LOG.info("Grant {} of {} (request {}) is no longer allowed: {}", grant.get().getGrantId(),
                    decision.getWorkloadId(), decision.getRequestId(), reason);
            context.forward(new Record<>(decision.getWorkloadId(),
                    DecisionEvents.policyChanged(grant.get(), engine.policy().version(), reason, now()), timestamp));
        });
    }

    private void forgetExpired(long wallClockMillis) {
        int forgotten = state.forgetExpired(Instant.ofEpochMilli(wallClockMillis), settings.maxEntriesPerSweep());
        if (forgotten > 0) {
            LOG.debug("Forgot {} expired grants and revocation markers", forgotten);
        }
    }

    /** The engine's answer; should the engine itself fail, a denial (fail closed) rather than a stuck partition. */
    private Decision evaluate(PolicyEngine engine, AccessRequest request, Instant now) {
        try {
            WorkloadState workload = new WorkloadState(
                    state.compromiseOf(request.getWorkloadId(), request.getEnvironment())
                            .map(event -> event.getType() + " reported by " + event.getSource() + ": " + event.getReason()),
                    state.activeGrantsOf(request.getWorkloadId(), now));
            return engine.decide(DecisionEvents.toQuery(request), workload);
        } catch (RuntimeException e) {
            LOG.error("Evaluating request {} of {} failed; denying it", request.getRequestId(), request.getWorkloadId(), e);
            return Decision.denied(engine.policy().version(),
                    List.of("internal error while evaluating the policy; denied (fail closed)"));
        }
    }

    private void publish(AccessRequest request, AccessDecision decision, long timestamp) {
        context.forward(new Record<>(request.getRequestId(), decision, timestamp));
        if (request.getBreakGlass()) {
            context.forward(new Record<>(request.getWorkloadId(), DecisionEvents.breakGlassAlert(request, decision),
                    timestamp));
            LOG.warn("BREAK-GLASS request {} of {} in {}: {}", request.getRequestId(), request.getWorkloadId(),
                    request.getEnvironment(), decision.getOutcome());
        }
        metrics.decision(decision);
        LOG.info("Request {} (task {}) from {} in {}: {} {} for {} s by rules {} of policy {}; {}; reasons {}",
                request.getRequestId(), request.getTaskId(), request.getWorkloadId(), request.getEnvironment(),
                decision.getOutcome(), decision.getGrantedResources().stream()
                        .map(r -> r.getType() + ":" + r.getId() + r.getActions()).toList(),
                decision.getGrantedTtlSeconds(), decision.getMatchedRules(), decision.getPolicyVersion(),
                decision.getDenyCode() == null ? "-" : decision.getDenyCode(), decision.getReasons());
    }

    private Instant now() {
        return Instant.ofEpochMilli(context.currentSystemTimeMs());
    }
}
