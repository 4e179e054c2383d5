package io.jitbroker.request.support;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.jitbroker.events.v1.DecisionOutcome;
import io.jitbroker.events.v1.DenyCode;
import io.jitbroker.events.v1.GrantIssued;
import io.jitbroker.events.v1.Revocation;
import io.jitbroker.events.v1.RevocationReason;
import io.jitbroker.request.support.Api.Reply;
import io.jitbroker.testkit.Tokens;
import io.jitbroker.contracts.Topics;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Takes access requests through their life on the real service: a workload asks over HTTP, and the
 * test plays policy-service, issuer-service and revocation-service by writing their events.
 */
public final class Lifecycle {

    /** Reads the ledger as this SRE. */
    private final String sre;
    private final Api api;
    private final Tokens tokens;
    private final Events events;

    public Lifecycle(Api api, Tokens tokens, Events events, String sre) {
        this.api = api;
        this.tokens = tokens;
        this.events = events;
        this.sre = sre;
    }

    /** An access request as the ledger got it. */
    public record Request(String id, String workload, String taskId, String environment) {
    }

    /** A workload asks for read access to the orders database for a new task. */
    public Request submit(String workload, String environment, boolean breakGlass, String justification) {
        String taskId = "task-" + UUID.randomUUID();
        Reply reply = api.post("/v1/access-requests", tokens.valid(workload), """
                {"taskId":"%s","environment":"%s","resources":[{"type":"postgres","id":"orders-db","actions":["read"]}],
                 "ttlSeconds":900,"justification":"%s","breakGlass":%s}""".formatted(taskId, environment, justification,
                breakGlass));
        assertEquals(202, reply.status(), reply.body());
        return new Request((String) api.json(reply.body()).get("requestId"), workload, taskId, environment);
    }

    public Request submit(String workload, String environment) {
        return submit(workload, environment, false, "nightly report, INC-12");
    }

    public void approve(Request request, boolean breakGlass) {
        events.send(Topics.ACCESS_DECISIONS, request.id(), Decisions.decision(request.id(), request.workload(),
                request.taskId(), DecisionOutcome.APPROVED, List.of("rule orders-read allows it"), now())
                .setEnvironment(request.environment()).setBreakGlass(breakGlass).build());
        awaitStatus(request, "APPROVED");
    }

    public void deny(Request request, DenyCode code) {
        events.send(Topics.ACCESS_DECISIONS, request.id(), Decisions.decision(request.id(), request.workload(),
                request.taskId(), DecisionOutcome.DENIED, List.of("denied: " + code), now())
                .setEnvironment(request.environment()).setDenyCode(code).build());
        awaitStatus(request, "DENIED");
    }

    public void askForApproval(Request request) {
        events.send(Topics.ACCESS_DECISIONS, request.id(), Decisions.pendingApproval(request.id(), request.workload(),
                request.taskId(), now().plus(Duration.ofMinutes(15)), now()).setEnvironment(request.environment()).build());
        awaitStatus(request, "PENDING_APPROVAL");
    }

    /** @return the grant id */
    public String issue(Request request, Duration lifetime) {
        String grantId = "grant-" + UUID.randomUUID();
        Instant issuedAt = now();
        events.send(Topics.GRANTS, grantId, GrantIssued.newBuilder()
                .setGrantId(grantId)
                .setRequestId(request.id())
                .setWorkloadId(request.workload())
                .setTaskId(request.taskId())
                .setEnvironment(request.environment())
                .setResources(List.of(Decisions.database()))
                .setCredentialType("jwt")
                .setCredentialId("jti-" + grantId)
                .setIssuedAt(issuedAt)
                .setExpiresAt(issuedAt.plus(lifetime))
                .build());
        awaitStatus(request, "ISSUED");
        return grantId;
    }

    public void revoke(Request request, String grantId, RevocationReason reason, String detail) {
        Instant revokedAt = now();
        events.send(Topics.REVOCATIONS, grantId, Revocation.newBuilder()
                .setGrantId(grantId)
                .setRequestId(request.id())
                .setWorkloadId(request.workload())
                .setTaskId(request.taskId())
                .setEnvironment(request.environment())
                .setCredentialId("jti-" + grantId)
                .setReason(reason)
                .setDetail(detail)
                .setCauseEventId(UUID.randomUUID().toString())
                .setExpiresAt(revokedAt.plus(Duration.ofMinutes(10)))
                .setRevokedAt(revokedAt)
                .build());
        awaitStatus(request, "REVOKED");
    }

    /** The ledger entry, as an SRE reads it. */
    public Map<String, Object> read(Request request) {
        Reply reply = api.get("/v1/access-requests/" + request.id(), tokens.valid(sre));
        assertEquals(200, reply.status(), reply.body());
        return api.json(reply.body());
    }

    public Map<String, Object> awaitStatus(Request request, String status) {
        return await().atMost(Duration.ofSeconds(30)).until(() -> read(request), entry -> status.equals(entry.get("status")));
    }

    private static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MILLIS);
    }
}
