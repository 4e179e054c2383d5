package io.jitbroker.bench;

import java.io.PrintStream;
import java.util.Collection;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.format.OutputFormatFactory;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;
import org.openjdk.jmh.util.Statistics;

/**
 * {@code ./jit-broker bench policy}: runs {@link PolicyDecisionBenchmark} through JMH (its progress
 * on standard error), then prints one line per policy size and, last, the summary line
 * {@code policy rules=N p50_us=.. p99_us=.. decisions_per_s=.. all_match_p50_us=..} for the largest size
 * with conditions; {@code all_match} is the worst case of that size, in which every rule applies to the
 * request and has a condition (a second JMH run, latency only).
 */
final class PolicyBenchmark {

    private static final String LATENCY = "decideLatency";
    private static final String THROUGHPUT = "decideThroughput";

    private PolicyBenchmark() {
    }

    static boolean run(PolicyBenchOptions options, PrintStream out) throws RunnerException {
        Collection<RunResult> results = run(options, jmh(options, "\\.")
                .param("rules", options.ruleCounts().stream().map(String::valueOf).toArray(String[]::new))
                .param("conditions", options.withoutConditions() ? new String[] {"true", "false"} : new String[] {"true"})
                .param("bundle", PolicyDecisionBenchmark.REALISTIC));
        Statistics allMatch = run(options, jmh(options, "\\." + LATENCY + "$")
                .param("rules", String.valueOf(options.largestRuleCount()))
                .param("conditions", "true")
                .param("bundle", PolicyDecisionBenchmark.ALL_MATCH))
                .iterator().next().getPrimaryResult().getStatistics();
        Map<Key, Row> rows = new TreeMap<>();
        for (RunResult result : results) {
            Key key = new Key(Integer.parseInt(result.getParams().getParam("rules")),
                    !Boolean.parseBoolean(result.getParams().getParam("conditions")));
            Row row = rows.computeIfAbsent(key, k -> new Row());
            Result<?> primary = result.getPrimaryResult();
            if (result.getParams().getBenchmark().endsWith("." + LATENCY)) {
                row.latency = primary.getStatistics();
            } else if (result.getParams().getBenchmark().endsWith("." + THROUGHPUT)) {
                row.decisionsPerSecond = primary.getScore();
            }
        }
        Key summary = new Key(options.largestRuleCount(), false);
        if (!rows.containsKey(summary) || rows.get(summary).latency == null || rows.get(summary).decisionsPerSecond == 0) {
            throw new IllegalStateException("JMH returned no result for " + options.largestRuleCount() + " rules");
        }
        out.println("policy decision: PolicyEngine.decide of one request (" + GeneratedPolicy.TARGET_WORKLOAD + ", "
                + GeneratedPolicy.TARGET_ENVIRONMENT + ", http/payments-api read+write, holding 2 grants) approved by the last rule after "
                + GeneratedPolicy.OTHER_RULES_SPEAKING_TO_THE_REQUEST + " other rules were evaluated (CEL conditions on 90 % of the rules), "
                + options.forks() + " fork(s) x " + options.iterations() + " x " + options.iterationSeconds() + " s after "
                + options.warmupIterations() + " warm-up iteration(s)");
        out.println(String.format(Locale.ROOT, "%6s %-10s %9s %9s %9s %9s %9s %15s", "rules", "conditions",
                "p50_us", "p90_us", "p99_us", "p99.9_us", "max_us", "decisions_per_s"));
        for (Map.Entry<Key, Row> entry : rows.entrySet()) {
            Statistics latency = entry.getValue().latency;
            out.println(String.format(Locale.ROOT, "%6d %-10s %9.2f %9.2f %9.2f %9.2f %9.2f %15.0f", entry.getKey().rules(),
                    entry.getKey().withoutConditions() ? "without" : "CEL", latency.getPercentile(50), latency.getPercentile(90),
                    latency.getPercentile(99), latency.getPercentile(99.9), latency.getMax(),
                    entry.getValue().decisionsPerSecond));
        }
        out.println(String.format(Locale.ROOT, "%6d %-10s %9.2f %9.2f %9.2f %9.2f %9.2f %15s   <- all-match: every rule"
                        + " applies to the request and has a condition, all false but the last rule's",
                options.largestRuleCount(), "all-match", allMatch.getPercentile(50), allMatch.getPercentile(90),
                allMatch.getPercentile(99), allMatch.getPercentile(99.9), allMatch.getMax(), "-"));
        Row last = rows.get(summary);
        out.println(String.format(Locale.ROOT, "policy rules=%d p50_us=%.2f p99_us=%.2f decisions_per_s=%.0f all_match_p50_us=%.2f",
                options.largestRuleCount(), last.latency.getPercentile(50), last.latency.getPercentile(99),
                last.decisionsPerSecond, allMatch.getPercentile(50)));
        return true;
    }

    private static ChainedOptionsBuilder jmh(PolicyBenchOptions options, String methods) {
        return new OptionsBuilder()
                .include(Pattern.quote(PolicyDecisionBenchmark.class.getName()) + methods)
                .warmupIterations(options.warmupIterations())
                .warmupTime(TimeValue.seconds(options.iterationSeconds()))
                .measurementIterations(options.iterations())
                .measurementTime(TimeValue.seconds(options.iterationSeconds()))
                .forks(options.forks())
                .shouldFailOnError(true);
    }

    private static Collection<RunResult> run(PolicyBenchOptions options, ChainedOptionsBuilder jmh) throws RunnerException {
        Collection<RunResult> results = new Runner(jmh.build(),
                OutputFormatFactory.createFormatInstance(System.err, VerboseMode.NORMAL)).run();
        if (results.isEmpty()) {
            throw new IllegalStateException("JMH returned no result for " + options.largestRuleCount() + " rules");
        }
        return results;
    }

    /** Sorted by size, with conditions first. */
    private record Key(int rules, boolean withoutConditions) implements Comparable<Key> {
        @Override
        public int compareTo(Key other) {
            int byRules = Integer.compare(rules, other.rules);
            return byRules != 0 ? byRules : Boolean.compare(withoutConditions, other.withoutConditions);
        }
    }

    private static final class Row {
        private Statistics latency;
        private double decisionsPerSecond;
    }
}
