package io.jitbroker.policy.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jitbroker.devstack.Infrastructure;
import io.jitbroker.policy.support.PolicyDocs;
import io.jitbroker.policy.support.PolicyInfrastructure;
import io.jitbroker.policy.support.Quietly;
import io.jitbroker.policy.support.RunningPolicyService;
import io.jitbroker.policy.support.RunningPolicyService.Reply;
import io.jitbroker.testkit.Tokens;
import io.micronaut.http.MediaType;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code POST /v1/policy/explain} on the running service, bootstrapped with the shipped example
 * policy: for admins and SREs only, against the running bundle or a proposed one.
 */
class PolicyExplainIT {

    private static final String ADMIN = "spiffe://dev.local/sre/policy-admin";
    private static final String SRE = "spiffe://dev.local/sre/oncall";
    private static final String DEPLOYER = "spiffe://dev.local/ci/deployer";
    private static final String EXPLAIN = "/v1/policy/explain";

    private static Infrastructure infra;
    private static Tokens tokens;
    private static RunningPolicyService service;

    @BeforeAll
    static void startServiceOnRealInfrastructure() {
        infra = PolicyInfrastructure.start();
        tokens = new Tokens(infra.identityProvider());
        service = RunningPolicyService.start(infra, Map.of(
                "JIT_POLICY_FILE", "classpath:policies/dev-example.yaml",
                "JIT_POLICY_ADMINS", ADMIN,
                "JIT_SRE_WORKLOADS", SRE));
    }

    @AfterAll
    static void stopEverything() {
        Quietly.close(service, infra);
    }

    @Test
    void shouldExplainApprovalWithEveryRuleWhenDeployerAsksForInventoryInStaging() {
        // given
        Map<String, Object> body = Map.of("workloadId", DEPLOYER, "environment", "staging", "ttlSeconds", 3600,
                "taskId", "deploy-42", "resources", List.of(Map.of("type", "http", "id", "inventory-api",
                        "actions", List.of("read", "write"))));

        // when
        Reply reply = explain(tokens.valid(SRE), body);

        // then
        assertEquals(200, reply.status(), reply.toString());
        Map<String, Object> explanation = reply.json();
        assertEquals("APPROVED", explanation.get("outcome"));
        assertEquals(List.of(Map.of("type", "http", "id", "inventory-api", "actions", List.of("read", "write"))),
                explanation.get("grantedResources"));
        assertEquals(600, explanation.get("grantedTtlSeconds"));
        assertEquals(List.of("ci-deployer-staging-inventory"), explanation.get("matchedRules"));
        assertEquals("2026-11-23.1", explanation.get("policyVersion"));
        assertEquals("current", explanation.get("evaluatedAgainst"));
        assertEquals(List.of("granted [read, write] on http/inventory-api by ci-deployer-staging-inventory",
                "ttl narrowed from 3600 s to 600 s by rule ci-deployer-staging-inventory"), explanation.get("reasons"));
        assertEquals(List.of(
                Map.of("ruleId", "ci-deployer-staging-inventory", "effect", "allow", "matched", true,
                        "why", "allows [read, write] on http/inventory-api"),
                Map.of("ruleId", "ci-deployer-dev-inventory", "effect", "allow", "matched", false,
                        "why", "environment staging is not one of [dev]"),
                Map.of("ruleId", "dev-writes-need-ticket", "effect", "deny", "matched", false,
                        "why", "environment staging is not one of [dev]"),
                Map.of("ruleId", "deployer-prod-inventory-write-with-approval", "effect", "allow", "matched", false,
                        "why", "environment staging is not one of [prod]"),
                Map.of("ruleId", "deployer-prod-inventory-break-glass", "effect", "allow", "matched", false,
                        "why", "environment staging is not one of [prod]"),
                Map.of("ruleId", "ci-deployer-staging-orders-read", "effect", "allow", "matched", false,
                        "why", "names none of the requested actions on the requested resources")),
                explanation.get("evaluations"));
    }

    @Test
    void shouldExplainWhichDenyRuleRemovedWriteWhenDevRequestHasNoTicket() {
        // given
        Map<String, Object> body = Map.of("workloadId", DEPLOYER, "environment", "dev", "ttlSeconds", 120,
                "justification", "smoke test", "resources", List.of(Map.of("type", "http", "id", "inventory-api",
                        "actions", List.of("read", "write"))));

        // when
        Map<String, Object> explanation = explain(tokens.valid(ADMIN), body).json();

        // then
        assertEquals("APPROVED", explanation.get("outcome"));
        assertEquals(List.of(Map.of("type", "http", "id", "inventory-api", "actions", List.of("read"))),
                explanation.get("grantedResources"));
        assertEquals(List.of("ci-deployer-dev-inventory", "dev-writes-need-ticket"), explanation.get("matchedRules"));
        assertEquals(List.of("granted [read] on http/inventory-api by ci-deployer-dev-inventory",
                "denied [write] on http/inventory-api by deny rule dev-writes-need-ticket",
                "action write on http/inventory-api not allowed; granted read"), explanation.get("reasons"));
    }

    @Test
    void shouldEvaluateTheProposedBundleAndLeaveTheRunningOneWhenProposedBundleIsGiven() {
        // given: the running policy grants read and write in staging; the proposal grants read only, for 300 s at most
        Map<String, Object> body = new HashMap<>(Map.of("workloadId", DEPLOYER, "environment", "staging",
                "ttlSeconds", 600, "resources", List.of(Map.of("type", "http", "id", "inventory-api",
                        "actions", List.of("read", "write")))));
        body.put("proposedBundle", PolicyDocs.valid("proposal-1").replace("maxTtlSeconds: 3600", "maxTtlSeconds: 300"));

        // when
        Reply reply = explain(tokens.valid(ADMIN), body);

        // then
        assertEquals(200, reply.status(), reply.toString());
        Map<String, Object> explanation = reply.json();
        assertEquals("proposed", explanation.get("evaluatedAgainst"));
        assertEquals("proposal-1", explanation.get("policyVersion"));
        assertEquals(List.of("deployer-reads-inventory"), explanation.get("matchedRules"));
        assertEquals(List.of(Map.of("type", "http", "id", "inventory-api", "actions", List.of("read"))),
                explanation.get("grantedResources"));
        assertEquals(300, explanation.get("grantedTtlSeconds"));
        assertEquals("2026-11-23.1", service.currentPolicy().version(), "the running policy is untouched");
    }

    @Test
    void shouldAnswer400WithTheLineWhenProposedBundleIsInvalid() {
        // given
        Map<String, Object> body = new HashMap<>(Map.of("workloadId", DEPLOYER, "environment", "staging",
                "ttlSeconds", 60, "resources", List.of(Map.of("type", "http", "id", "inventory-api",
                        "actions", List.of("read")))));
        body.put("proposedBundle", PolicyDocs.valid("proposal-2").replace("request.ttlSeconds <= 600", "request.ttlSeconds <="));

        // when
        Reply reply = explain(tokens.valid(SRE), body);

        // then
        assertEquals(400, reply.status(), reply.toString());
        assertEquals("invalid_policy", reply.json().get("error"));
        assertEquals(10, reply.json().get("line"));
        assertTrue(((String) reply.json().get("message")).startsWith("line 10: policy proposedBundle is invalid: rules[0].condition"),
                reply.toString());
    }

    @Test
    void shouldAnswer401WhenNoTokenIsSent() {
        // when
        Reply reply = explain(null, Map.of("workloadId", DEPLOYER));

        // then
        assertEquals(401, reply.status(), reply.toString());
        assertEquals("unauthorized", reply.json().get("error"));
    }

    @Test
    void shouldAnswer403WhenCallerIsNeitherAdminNorSre() {
        // when: a workload asking what it could get
        Reply reply = explain(tokens.valid(DEPLOYER), Map.of("workloadId", DEPLOYER, "environment", "staging",
                "ttlSeconds", 60, "resources", List.of(Map.of("type", "http", "id", "inventory-api", "actions", List.of("read")))));

        // then
        assertEquals(403, reply.status(), reply.toString());
        assertEquals("forbidden", reply.json().get("error"));
    }

    @Test
    void shouldAnswer400NamingTheFieldWhenTtlIsNotANumber() {
        // given
        Map<String, Object> body = Map.of("workloadId", DEPLOYER, "environment", "dev", "ttlSeconds", "ten",
                "resources", List.of(Map.of("type", "http", "id", "inventory-api", "actions", List.of("read"))));

        // when
        Reply reply = explain(tokens.valid(SRE), body);

        // then
        assertEquals(400, reply.status());
        assertEquals(Map.of("error", "invalid_request", "message", "ttlSeconds: must be a whole number"), reply.json());
    }

    @Test
    void shouldAnswer400NamingTheFieldWhenAResourceHasNoActions() {
        // given
        Map<String, Object> body = Map.of("workloadId", DEPLOYER, "environment", "dev", "ttlSeconds", 60,
                "resources", List.of(Map.of("type", "http", "id", "inventory-api")));

        // when
        Reply reply = explain(tokens.valid(SRE), body);

        // then
        assertEquals(400, reply.status());
        assertEquals(Map.of("error", "invalid_request", "message", "resources[0].actions: must not be null"),
                reply.json());
    }

    @Test
    void shouldAnswer400WhenProposedBundleIsNotAString() {
        // given
        Map<String, Object> body = Map.of("workloadId", DEPLOYER, "environment", "dev", "ttlSeconds", 60,
                "resources", List.of(Map.of("type", "http", "id", "inventory-api", "actions", List.of("read"))),
                "proposedBundle", Map.of("version", "x"));

        // when
        Reply reply = explain(tokens.valid(SRE), body);

        // then
        assertEquals(400, reply.status());
        assertEquals(Map.of("error", "invalid_request", "message", "proposedBundle: must be a string"), reply.json());
    }

    @Test
    void shouldAnswer400WhenBodyIsNotJson() {
        // when
        Reply reply = service.post(EXPLAIN, tokens.valid(SRE), MediaType.APPLICATION_JSON_TYPE, "{not json");

        // then
        assertEquals(400, reply.status());
        assertEquals("malformed_json", reply.json().get("error"));
    }

    private static Reply explain(String token, Map<String, Object> body) {
        return service.post(EXPLAIN, token, MediaType.APPLICATION_JSON_TYPE, service.toJson(body));
    }
}
