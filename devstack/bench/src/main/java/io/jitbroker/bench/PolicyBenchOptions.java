package io.jitbroker.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What {@code ./jit-broker bench policy} measures and for how long.
 *
 * @param ruleCounts         the policy sizes, ascending; the summary line is for the largest
 * @param warmupIterations   unrecorded JMH iterations per size and mode
 * @param iterations         measured JMH iterations per size and mode
 * @param iterationSeconds   length of each iteration
 * @param forks              JVMs forked per size and mode
 * @param withoutConditions  also measure each size with the rules' CEL conditions left out
 */
record PolicyBenchOptions(List<Integer> ruleCounts, int warmupIterations, int iterations, int iterationSeconds,
                          int forks, boolean withoutConditions) {

    static final String USAGE = """
            usage: ./jit-broker bench policy [options]
              --rules N,N,...           policy sizes (default 10,100,1000); the last line reports the largest
              --warmup-iterations N     unrecorded iterations per size and mode (default 3)
              --iterations N            measured iterations per size and mode (default 5)
              --iteration-seconds N     seconds per iteration (default 1)
              --forks N                 JVMs per size and mode (default 1)
              --without-conditions yes|no  also measure each size without the CEL conditions (default no)""";

    private static final Set<String> OPTIONS = Set.of("--rules", "--warmup-iterations", "--iterations",
            "--iteration-seconds", "--forks", "--without-conditions");

    PolicyBenchOptions {
        if (ruleCounts.isEmpty()) {
            throw new IllegalArgumentException("--rules needs at least one size");
        }
        ruleCounts = ruleCounts.stream().sorted().distinct().toList();
        if (ruleCounts.get(0) < 1) {
            throw new IllegalArgumentException("--rules must be positive, was " + ruleCounts.get(0));
        }
        if (warmupIterations < 0) {
            throw new IllegalArgumentException("--warmup-iterations must be 0 or more, was " + warmupIterations);
        }
        BenchArgs.requirePositive(iterations, "--iterations");
        BenchArgs.requirePositive(iterationSeconds, "--iteration-seconds");
        BenchArgs.requirePositive(forks, "--forks");
    }

    static PolicyBenchOptions defaults() {
        return new PolicyBenchOptions(List.of(10, 100, 1000), 3, 5, 1, 1, false);
    }

    static PolicyBenchOptions parse(List<String> args) {
        Map<String, String> given = BenchArgs.pairs(args, OPTIONS, USAGE);
        PolicyBenchOptions d = defaults();
        return new PolicyBenchOptions(
                given.containsKey("--rules") ? ruleCounts(given.get("--rules")) : d.ruleCounts,
                BenchArgs.wholeNumber(given, "--warmup-iterations", d.warmupIterations),
                BenchArgs.wholeNumber(given, "--iterations", d.iterations),
                BenchArgs.wholeNumber(given, "--iteration-seconds", d.iterationSeconds),
                BenchArgs.wholeNumber(given, "--forks", d.forks),
                given.containsKey("--without-conditions") ? BenchArgs.yesNo("--without-conditions", given.get("--without-conditions"))
                        : d.withoutConditions);
    }

    int largestRuleCount() {
        return ruleCounts.get(ruleCounts.size() - 1);
    }

    private static List<Integer> ruleCounts(String value) {
        List<Integer> counts = new ArrayList<>();
        for (String part : value.split(",", -1)) {
            counts.add(BenchArgs.wholeNumber("--rules", part.trim()));
        }
        return counts;
    }
}
