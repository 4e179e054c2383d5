package io.jitbroker.client;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jitbroker.devstack.Directories;
import io.jitbroker.devstack.launcher.DevStack;
import io.jitbroker.devstack.launcher.DevStackOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The client against the whole dev stack (four services, Kafka, registry, PostgreSQL, the dev
 * identity provider) on free ports, started once for the class: each flow the library offers, and
 * each error code it carries, as the real services answer them.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class JitClientIT {

    private static final String DEPLOYER = "spiffe://dev.local/ci/deployer";
    private static final Duration FLOW_TIMEOUT = Duration.ofSeconds(60);

    private static DevStack stack;
    private static JitClient deployer;
    private static JitClient sre;

    @BeforeAll
    static void startStack() throws IOException {
        stack = DevStack.start(DevStackOptions.onFreePorts(DevStackOptions.locateRepositoryRoot(),
                Files.createTempDirectory("jit-client-it-")));
        deployer = clientFor(DEPLOYER);
        sre = clientFor(DevStackOptions.DEV_SRE_WORKLOAD);
    }

    @AfterAll
    static void stopStack() {
        if (stack != null) {
            stack.close();
            Directories.deleteRecursively(stack.options().dataDir());
        }
    }

    private static JitClient clientFor(String workload) {
        DevStackOptions options = stack.options();
        return JitClient.builder()
                .requestServiceUrl("http://" + DevStackOptions.HOST + ":" + options.requestPort())
                .issuerServiceUrl("http://" + DevStackOptions.HOST + ":" + options.issuerPort())
                .token(() -> stack.infrastructure().identityProvider().mint(workload))
                .build();
    }

    private static AccessRequest.Builder staging(String task, String resource) {
        return AccessRequest.builder().taskId(task).environment("staging").resource(Resource.parse(resource))
                .ttl(Duration.ofMinutes(5)).justification("JitClientIT");
    }

    private static LedgerEntry awaitRevoked(String requestId) {
        await().atMost(FLOW_TIMEOUT).until(() -> LedgerEntry.REVOKED.equals(deployer.status(requestId).status()));
        return deployer.status(requestId);
    }

    private static String task() {
        return "client-it-" + UUID.randomUUID();
    }

    @Test
    void shouldIssueOnceAndRevokeWithTaskCompletedWhenTheTaskCompletes() {
        // given
        String task = task();
        String requestId = deployer.requestAccess(staging(task, "http:inventory-api:read").build()).requestId();

        // when
        LedgerEntry issued = deployer.awaitOutcome(requestId, FLOW_TIMEOUT, AwaitListener.NONE);
        Credential credential = deployer.pickUp(issued.grantId());
        JitApiException secondPickUp = assertThrows(JitApiException.class, () -> deployer.pickUp(issued.grantId()));
        deployer.started(task);
        deployer.complete(task);

        // then
        assertEquals("APPROVED", issued.decision());
        assertEquals(List.of(Resource.of("http", "inventory-api", "read")), issued.grantedResources());
        JwtCredential jwt = (JwtCredential) credential;
        assertEquals("Bearer", jwt.tokenType());
        assertFalse(jwt.toString().contains(jwt.token()), jwt.toString());
        assertEquals(410, secondPickUp.status());
        LedgerEntry revoked = awaitRevoked(requestId);
        assertEquals("TASK_COMPLETED", revoked.revocationReason());
    }

    @Test
    void shouldGiveTheSameRequestWhenTheIdempotencyKeyIsSentAgain() {
        // given
        AccessRequest request = staging(task(), "http:inventory-api:read").build();
        String key = UUID.randomUUID().toString();

        // when
        RequestAccepted first = deployer.requestAccess(request, key);
        RequestAccepted again = deployer.requestAccess(request, key);

        // then
        assertEquals(first.requestId(), again.requestId());
        deployer.awaitOutcome(first.requestId(), FLOW_TIMEOUT, AwaitListener.NONE);
        deployer.cancel(request.taskId());
        assertEquals("TASK_CANCELLED", awaitRevoked(first.requestId()).revocationReason());
    }

    @Test
    void shouldPickUpALoginForOneTableWhenThePostgresGrantIsIssued() {
        // given
        String task = task();
        String requestId = deployer.requestAccess(staging(task, "postgres:orders-db/public.orders:SELECT").build())
                .requestId();

        // when
        LedgerEntry issued = deployer.awaitOutcome(requestId, FLOW_TIMEOUT, AwaitListener.NONE);
        Credential credential = deployer.pickUp(issued.grantId());

        // then
        PostgresCredential login = (PostgresCredential) credential;
        assertEquals("orders", login.database());
        assertTrue(login.username().startsWith("jit_"), login.toString());
        assertFalse(login.toString().contains(login.password()), login.toString());
        deployer.fail(task);
        assertEquals("TASK_FAILED", awaitRevoked(requestId).revocationReason());
    }

    /** First: a live staging grant would keep prod out (environment separation), and policy learns of revocations late. */
    @Test
    @Order(0)
    void shouldReportPendingApprovalWithItsDeadlineThenTheDenialWhenAnSreRefuses() {
        // given: a prod write needs a change number and a human
        String task = task();
        String requestId = deployer.requestAccess(AccessRequest.builder().taskId(task).environment("prod")
                .resource(Resource.parse("http:inventory-api:write")).ttl(Duration.ofMinutes(5))
                .justification("release CHG-123").build()).requestId();
        List<LedgerEntry> seen = new CopyOnWriteArrayList<>();
        Thread sreAnswers = new Thread(() -> {
            await().atMost(FLOW_TIMEOUT).until(() -> seen.stream().anyMatch(LedgerEntry::pendingApproval));
            sre.deny(requestId, "not during the freeze");
        });
        sreAnswers.start();

        // when
        LedgerEntry outcome = deployer.awaitOutcome(requestId, FLOW_TIMEOUT, seen::add);

        // then
        LedgerEntry pending = seen.stream().filter(LedgerEntry::pendingApproval).findFirst().orElseThrow();
        assertNotNull(pending.approvalDeadline(), pending.toString());
        assertTrue(outcome.denied(), outcome.toString());
        assertEquals("APPROVAL_DENIED", outcome.denyCode());
        assertEquals(DevStackOptions.DEV_SRE_WORKLOAD, outcome.approvedBy());
        JitApiException answeredTwice = assertThrows(JitApiException.class, () -> sre.approve(requestId, "after all"));
        assertEquals(409, answeredTwice.status());
        assertEquals("not_pending_approval", answeredTwice.error());
    }

    @Test
    void shouldCarryTheServersCodeAndMessageWhenARequestIsInvalid() {
        // given: no justification, and an environment nobody declared
        AccessRequest invalid = AccessRequest.builder().taskId(task()).environment("moon")
                .resource(Resource.parse("http:inventory-api:read")).ttl(Duration.ofMinutes(5)).justification("x").build();

        // when
        JitApiException refused = assertThrows(JitApiException.class, () -> deployer.requestAccess(invalid));

        // then
        assertEquals(400, refused.status());
        assertTrue(refused.serverMessage().contains("environment"), refused.serverMessage());
    }

    @Test
    void shouldBeForbiddenWhenAWorkloadAsksForTheLedger() {
        // when
        JitApiException refused = assertThrows(JitApiException.class,
                () -> deployer.ledger(LedgerQuery.builder().limit(1).build()));

        // then
        assertEquals(403, refused.status());
        assertFalse(refused.serverMessage().isBlank());
    }

    @Test
    void shouldRevokeByHandAndFindItInTheLedgerWhenAnSreRevokesAGrant() {
        // given
        String task = task();
        String requestId = deployer.requestAccess(staging(task, "http:inventory-api:read").build()).requestId();
        LedgerEntry issued = deployer.awaitOutcome(requestId, FLOW_TIMEOUT, AwaitListener.NONE);

        // when
        RevocationAccepted accepted = sre.revokeGrant(issued.grantId(), "INC-4711");

        // then
        assertEquals("GRANT", accepted.scope());
        assertEquals(task, accepted.taskId());
        LedgerEntry revoked = awaitRevoked(requestId);
        assertEquals("MANUAL", revoked.revocationReason());
        LedgerPage page = sre.ledger(LedgerQuery.builder().taskId(task).reason("MANUAL").build());
        assertEquals(List.of(requestId), page.entries().stream().map(LedgerEntry::requestId).toList());
    }
}
