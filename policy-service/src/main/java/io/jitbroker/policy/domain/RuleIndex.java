package io.jitbroker.policy.domain;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The rules of one policy, indexed when it loads so that a decision looks at only the rules that
 * can speak about its request: by environment, then resource type, then workload. Exact workload
 * ids are a hash lookup; patterns are grouped by the literal directory they start with
 * ({@code spiffe://dev.local/ci/} for {@code spiffe://dev.local/ci/*}), so only patterns under one
 * of the workload's own directories are matched against it. Candidates come back in policy
 * order, so the engine decides exactly as if it had scanned every rule.
 */
final class RuleIndex {

    private static final int[] NONE = new int[0];

    private final List<PolicyRule> rules;
    private final Map<String, Map<String, Bucket>> byEnvironmentThenType;

    private RuleIndex(List<PolicyRule> rules, Map<String, Map<String, Bucket>> byEnvironmentThenType) {
        this.rules = rules;
        this.byEnvironmentThenType = byEnvironmentThenType;
    }

    static RuleIndex of(List<PolicyRule> rules) {
        Map<String, Map<String, BucketBuilder>> builders = new HashMap<>();
        for (int i = 0; i < rules.size(); i++) {
            PolicyRule rule = rules.get(i);
            Set<String> types = new LinkedHashSet<>();
            for (ResourceRule resource : rule.resources()) {
                types.add(resource.type());
            }
            for (String environment : rule.environments()) {
                for (String type : types) {
                    builders.computeIfAbsent(environment, e -> new HashMap<>())
                            .computeIfAbsent(type, t -> new BucketBuilder())
                            .add(i, rule.workload());
                }
            }
        }
        Map<String, Map<String, Bucket>> index = new HashMap<>();
        builders.forEach((environment, byType) -> {
            Map<String, Bucket> buckets = new HashMap<>();
            byType.forEach((type, builder) -> buckets.put(type, builder.build()));
            index.put(environment, buckets);
        });
        return new RuleIndex(rules, index);
    }

    /**
     * The rules, in policy order, that apply to this workload in this environment and name some
     * resource of this type. Their resource ids, actions and conditions are still to be checked.
     */
    int[] candidates(String environment, String resourceType, String workloadId) {
        Map<String, Bucket> byType = byEnvironmentThenType.get(environment);
        Bucket bucket = byType == null ? null : byType.get(resourceType);
        return bucket == null ? NONE : bucket.candidates(workloadId, rules);
    }

    /** The rules of one environment and resource type. */
    private static final class Bucket {

        private final Map<String, int[]> exactWorkloads;
        private final Map<String, int[]> patternsByDirectory;
        /** The distinct lengths of the directories in {@link #patternsByDirectory}, ascending. */
        private final int[] directoryLengths;

        Bucket(Map<String, int[]> exactWorkloads, Map<String, int[]> patternsByDirectory) {
            this.exactWorkloads = exactWorkloads;
            this.patternsByDirectory = patternsByDirectory;
            this.directoryLengths = patternsByDirectory.keySet().stream().mapToInt(String::length).distinct().sorted().toArray();
        }

        int[] candidates(String workloadId, List<PolicyRule> rules) {
            int[] exact = exactWorkloads.getOrDefault(workloadId, NONE);
            if (directoryLengths.length == 0) {
                return exact;
            }
            int[] found = null;
            int count = 0;
            for (int length : directoryLengths) {
                if (length > workloadId.length()) {
                    break;
                }
                if (length > 0 && workloadId.charAt(length - 1) != '/') {
                    continue;
                }
                int[] patterns = patternsByDirectory.get(workloadId.substring(0, length));
                if (patterns == null) {
                    continue;
                }
                if (found == null) {
                    found = Arrays.copyOf(exact, exact.length + patterns.length);
                    count = exact.length;
                } else if (count + patterns.length > found.length) {
                    found = Arrays.copyOf(found, count + patterns.length);
                }
                for (int rule : patterns) {
                    if (rules.get(rule).workload().matches(workloadId)) {
                        found[count++] = rule;
                    }
                }
            }
            if (found == null || count == exact.length) {
                return exact;
            }
            int[] candidates = Arrays.copyOf(found, count);
            Arrays.sort(candidates);
            return candidates;
        }
    }

    private static final class BucketBuilder {

        private final Map<String, List<Integer>> exactWorkloads = new HashMap<>();
        private final Map<String, List<Integer>> patternsByDirectory = new HashMap<>();

        void add(int rule, GlobPattern workload) {
            String text = workload.text();
            int star = text.indexOf('*');
            if (star < 0) {
                exactWorkloads.computeIfAbsent(text, w -> new ArrayList<>()).add(rule);
            } else {
                String directory = text.substring(0, text.lastIndexOf('/', star) + 1);
                patternsByDirectory.computeIfAbsent(directory, d -> new ArrayList<>()).add(rule);
            }
        }

        Bucket build() {
            return new Bucket(toArrays(exactWorkloads), toArrays(patternsByDirectory));
        }

        private static Map<String, int[]> toArrays(Map<String, List<Integer>> lists) {
            Map<String, int[]> arrays = new HashMap<>();
            lists.forEach((key, rules) -> arrays.put(key, new TreeSet<>(rules).stream().mapToInt(Integer::intValue).toArray()));
            return arrays;
        }
    }
}
