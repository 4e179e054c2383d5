package io.jitbroker.policy.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The indexed engine decides exactly as a scan of every rule would: same outcome, scope, TTL,
 * reasons and matched rules, on a generated bundle of rules of every kind (exact and pattern
 * workloads, several environments and resource types, conditions that are true, false or fail,
 * deny, break-glass and approval rules) and random requests.
 */
class RuleIndexEquivalenceTest {

    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-23T10:00:00Z"), ZoneOffset.UTC);
    private static final List<String> ENVIRONMENTS = List.of("dev", "staging", "prod", "qa");
    private static final List<String> TYPES = List.of("http", "postgres", "kafka");
    private static final List<String> ACTIONS = List.of("read", "write", "delete");
    private static final List<String> WORKLOADS = List.of(
            "spiffe://dev.local/ci/deployer", "spiffe://dev.local/ci/builder", "spiffe://dev.local/ci/team/builder",
            "spiffe://dev.local/team-a/svc-1", "spiffe://dev.local/team-a/svc-2", "spiffe://dev.local/team-b/svc-1",
            "spiffe://dev.local/team-b/sub/svc-3", "spiffe://other.org/team-a/svc-1", "spiffe://dev.local", "spiffe://x");
    private static final List<String> WORKLOAD_PATTERNS = List.of(
            "spiffe://dev.local/ci/*", "spiffe://dev.local/ci/**", "spiffe://dev.local/**", "spiffe://**",
            "spiffe://dev.local/team-a/*", "spiffe://dev.local/team-b/**", "spiffe://dev.local/*/svc-1",
            "spiffe://dev.local/team-a/svc-*", "spiffe://*.org/**", "spiffe://dev.local/team-*/sub/*");
    private static final List<String> IDS = List.of("api-1", "api-2", "db-1", "orders", "team-a/bucket");
    private static final List<String> ID_PATTERNS = List.of("api-*", "**", "*-1", "team-a/**", "*", "*/bucket", "api-*-x");
    private static final List<String> CONDITIONS = List.of(
            "request.ttlSeconds <= 600", "resource.id.startsWith('api')", "workload.claims['team'] == 'a'",
            "'write' in resource.actions", "request.breakGlass", "now.getHours() < 12", "request.justification.matches('CHG-[0-9]+')",
            "request.resourceCount > 1", "workload.path.startsWith('/ci')");

    @Test
    void shouldDecideExactlyAsAScanOfEveryRuleWhenRequestsAreRandom() {
        // given
        Random random = new Random(20261123);
        Policy policy = randomPolicy(random, 400);
        PolicyEngine indexed = new PolicyEngine(policy, CLOCK);
        PolicyEngine scan = new PolicyEngine(policy, CLOCK, false);
        Map<Outcome, Integer> outcomes = new EnumMap<>(Outcome.class);
        int withMatchedRules = 0;

        for (int i = 0; i < 3_000; i++) {
            AccessQuery query = randomQuery(random);

            // when
            Decision fromIndex = indexed.decide(query);
            Decision fromScan = scan.decide(query);

            // then
            assertEquals(fromScan, fromIndex, "request " + i + ": " + query);
            assertEquals(fromScan, indexed.explain(query).decision(), "explanation of request " + i + ": " + query);
            outcomes.merge(fromIndex.outcome(), 1, Integer::sum);
            withMatchedRules += fromIndex.matchedRules().size() > 1 ? 1 : 0;
        }
        // and the requests exercised every outcome, and decisions of several rules
        assertTrue(outcomes.getOrDefault(Outcome.APPROVED, 0) > 100, outcomes.toString());
        assertTrue(outcomes.getOrDefault(Outcome.PENDING_APPROVAL, 0) > 50, outcomes.toString());
        assertTrue(outcomes.getOrDefault(Outcome.DENIED, 0) > 100, outcomes.toString());
        assertTrue(withMatchedRules > 100, withMatchedRules + " decisions by several rules");
    }

    @Test
    void shouldGiveTheSameRevalidationAsAScanWhenGrantsAreRechecked() {
        // given: decisions of one bundle, rechecked against another
        Random random = new Random(7);
        PolicyEngine before = new PolicyEngine(randomPolicy(random, 300), CLOCK);
        Policy after = randomPolicy(random, 300);
        PolicyEngine indexed = new PolicyEngine(after, CLOCK);
        PolicyEngine scan = new PolicyEngine(after, CLOCK, false);
        int lost = 0;
        int kept = 0;

        for (int i = 0; i < 2_000; i++) {
            AccessQuery query = randomQuery(random);
            Decision decision = before.decide(query);
            if (!decision.hasScope()) {
                continue;
            }

            // when
            Optional<String> fromIndex = indexed.whyNoLongerAllowed(query, decision.grantedResources());

            // then
            assertEquals(scan.whyNoLongerAllowed(query, decision.grantedResources()), fromIndex, "request " + i + ": " + query);
            if (fromIndex.isPresent()) {
                lost++;
            } else {
                kept++;
            }
        }
        assertTrue(lost > 20 && kept > 20, lost + " lost, " + kept + " kept");
    }

    private static Policy randomPolicy(Random random, int ruleCount) {
        List<PolicyRule> rules = new ArrayList<>();
        Map<String, Condition> compiled = new HashMap<>();
        for (int i = 0; i < ruleCount; i++) {
            boolean deny = random.nextInt(10) < 3;
            String workload = random.nextBoolean() ? pick(random, WORKLOADS) : pick(random, WORKLOAD_PATTERNS);
            Set<String> environments = random.nextInt(4) == 0
                    ? Set.copyOf(List.of(pick(random, ENVIRONMENTS), pick(random, ENVIRONMENTS)))
                    : Set.of(pick(random, ENVIRONMENTS));
            List<ResourceRule> resources = new ArrayList<>();
            for (int r = 0; r <= random.nextInt(2); r++) {
                List<GlobPattern> ids = List.of(GlobPattern.compile(random.nextBoolean() ? pick(random, IDS) : pick(random, ID_PATTERNS)));
                resources.add(new ResourceRule(pick(random, TYPES), ids, Set.copyOf(List.of(pick(random, ACTIONS), pick(random, ACTIONS)))));
            }
            Optional<Condition> condition = random.nextInt(3) == 0
                    ? Optional.empty()
                    : Optional.of(compiled.computeIfAbsent(pick(random, CONDITIONS), Condition::compile));
            OptionalLong maxTtl = !deny && random.nextBoolean() ? OptionalLong.of(60 + random.nextInt(900)) : OptionalLong.empty();
            boolean breakGlass = !deny && random.nextInt(6) == 0;
            boolean requireApproval = !deny && random.nextInt(6) == 0;
            rules.add(new PolicyRule("rule-" + i, "", GlobPattern.compile(workload), environments, resources, maxTtl,
                    deny ? Effect.DENY : Effect.ALLOW, condition, breakGlass, requireApproval));
        }
        return new Policy("random-" + ruleCount, 1800, Set.copyOf(ENVIRONMENTS), rules);
    }

    private static AccessQuery randomQuery(Random random) {
        List<ResourceAccess> resources = new ArrayList<>();
        for (int r = 0; r <= random.nextInt(3); r++) {
            resources.add(new ResourceAccess(pick(random, TYPES), pick(random, IDS),
                    random.nextBoolean() ? List.of(pick(random, ACTIONS)) : List.of(pick(random, ACTIONS), pick(random, ACTIONS))));
        }
        String environment = random.nextInt(30) == 0 ? "unknown" : pick(random, ENVIRONMENTS);
        Map<String, String> claims = random.nextBoolean() ? Map.of() : Map.of("team", random.nextBoolean() ? "a" : "b");
        return new AccessQuery(pick(random, WORKLOADS), environment, resources, 30 + random.nextInt(1200),
                random.nextBoolean() ? OptionalLong.empty() : OptionalLong.of(10 + random.nextInt(600)),
                "task-" + random.nextInt(5), random.nextBoolean() ? "CHG-" + random.nextInt(100) : "",
                random.nextInt(5) == 0, claims);
    }

    private static <T> T pick(Random random, List<T> values) {
        return values.get(random.nextInt(values.size()));
    }
}
