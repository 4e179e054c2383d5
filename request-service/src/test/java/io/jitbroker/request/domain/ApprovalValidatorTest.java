package io.jitbroker.request.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ApprovalValidatorTest {

    private static final String SRE = "spiffe://dev.local/sre/alice";
    private static final String WORKLOAD = "spiffe://dev.local/ci/deployer";
    private static final Instant REQUESTED = Instant.parse("2026-01-01T10:00:00Z");
    private static final RequestedResource DB = new RequestedResource("postgres", "orders-db", List.of("write"));

    /** A body that passes every rule; each test breaks one thing. */
    private static Map<String, Object> validBody() {
        Map<String, Object> body = new HashMap<>();
        body.put("approve", true);
        body.put("reason", "INC-7 hotfix, diff reviewed");
        return body;
    }

    /** The validator fed as the HTTP layer feeds it: the body record's fields, their JSON types checked on reading. */
    private static Approval validate(Map<String, Object> body) {
        return ApprovalValidator.validate((Boolean) body.get("approve"), (String) body.get("reason"));
    }

    private static LedgerEntry requestOf(String workload) {
        return LedgerEntry.pending("req-1", workload,
                new ValidAccessRequest("task-1", "prod", List.of(DB), 900, null, "hotfix", false, null), null, REQUESTED);
    }

    private static LedgerEntry waitingForApproval(String workload) {
        return requestOf(workload).apply(new LedgerEvent.Decided("req-1", workload, DecisionOutcome.PENDING_APPROVAL,
                List.of("prod writes need an SRE"), "policy-7", List.of(DB), 900, REQUESTED.plusSeconds(1),
                null, false, REQUESTED.plusSeconds(900), null, null));
    }

    static Stream<Arguments> brokenBodies() {
        return Stream.of(
                broken("missing approve", "approve", "approve is required: true or false", b -> b.remove("approve")),
                broken("missing reason", "reason", "reason is required", b -> b.remove("reason")),
                broken("blank reason", "reason", "reason must not be blank", b -> b.put("reason", "  ")),
                broken("reason over 500 characters", "reason", "reason must be at most 500 characters",
                        b -> b.put("reason", "r".repeat(501))),
                broken("reason with a line break", "reason", "reason must not contain control characters",
                        b -> b.put("reason", "ok\nFAKE AUDIT LINE")));
    }

    private static Arguments broken(String what, String field, String message, Consumer<Map<String, Object>> breakIt) {
        return Arguments.of(what, field, message, breakIt);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("brokenBodies")
    void shouldRejectNamingTheFieldWhenARuleIsBroken(String what, String field, String message,
                                                     Consumer<Map<String, Object>> breakIt) {
        // given
        Map<String, Object> body = validBody();
        breakIt.accept(body);

        // when
        InvalidRequestException error = assertThrows(InvalidRequestException.class, () -> validate(body));

        // then
        assertEquals(field, error.field(), what);
        assertEquals(message, error.getMessage(), what);
    }

    @Test
    void shouldReadTheAnswerAndReasonWhenTheBodyIsValid() {
        // given
        Map<String, Object> denial = validBody();
        denial.put("approve", false);

        // then
        assertEquals(new Approval(true, "INC-7 hotfix, diff reviewed"), validate(validBody()));
        assertEquals(new Approval(false, "INC-7 hotfix, diff reviewed"), validate(denial));
    }

    @Test
    void shouldLetAnotherSreDecideWhenTheRequestWaitsForApproval() {
        // when
        Optional<ApprovalValidator.Refusal> refusal = ApprovalValidator.refusal(SRE, waitingForApproval(WORKLOAD));

        // then
        assertEquals(Optional.empty(), refusal);
    }

    @Test
    void shouldRefuseWhenTheSreMadeTheRequestItself() {
        // when
        ApprovalValidator.Refusal refusal = ApprovalValidator.refusal(SRE, waitingForApproval(SRE)).orElseThrow();

        // then
        assertEquals(ApprovalValidator.Refusal.Kind.OWN_REQUEST, refusal.kind());
        assertEquals("an SRE may not approve or deny a request its own identity made (req-1)", refusal.message());
    }

    @Test
    void shouldRefuseNamingTheStatusWhenTheRequestDoesNotWaitForApproval() {
        // when
        ApprovalValidator.Refusal refusal = ApprovalValidator.refusal(SRE, requestOf(WORKLOAD)).orElseThrow();

        // then
        assertEquals(ApprovalValidator.Refusal.Kind.NOT_PENDING_APPROVAL, refusal.kind());
        assertTrue(refusal.message().startsWith("access request req-1 is PENDING, not PENDING_APPROVAL"), refusal.message());
    }

    @Test
    void shouldRefuseWhenTheRequestWasAlreadyApproved() {
        // given
        LedgerEntry approved = waitingForApproval(WORKLOAD).apply(new LedgerEvent.Decided("req-1", WORKLOAD,
                DecisionOutcome.APPROVED, List.of("approved"), "policy-7", List.of(DB), 900, REQUESTED.plusSeconds(5),
                null, false, null, "spiffe://dev.local/sre/bob", "fine"));

        // when
        ApprovalValidator.Refusal refusal = ApprovalValidator.refusal(SRE, approved).orElseThrow();

        // then
        assertEquals(ApprovalValidator.Refusal.Kind.NOT_PENDING_APPROVAL, refusal.kind());
        assertTrue(refusal.message().contains("is APPROVED"), refusal.message());
    }
}
