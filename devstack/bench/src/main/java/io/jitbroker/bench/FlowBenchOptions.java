package io.jitbroker.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What {@code ./jit-broker bench flow} measures.
 *
 * @param burst        workloads that all start a flow at once on the freshly started stack
 * @param idleFlows    flows run one at a time (request to credential with nothing else going on)
 * @param warmupRate   offered flows per second while the JVMs warm up, after the burst (0: no warm-up)
 * @param warmupSeconds how long the warm-up lasts
 * @param rate         the offered rate whose latencies the summary reports, flows per second
 * @param seconds      how long that rate is offered
 * @param searchRates  the offered rates tried, in order, to find the highest sustained one
 * @param stepSeconds  how long each of those is offered
 * @param workloads    distinct workloads (SPIFFE IDs) the flows take turns with
 * @param keepFiles    keep the run's directory (service logs) even when it passed
 */
record FlowBenchOptions(int burst, int idleFlows, double warmupRate, int warmupSeconds, double rate, int seconds,
                        List<Double> searchRates, int stepSeconds, int workloads, boolean keepFiles) {

    static final String USAGE = """
            usage: ./jit-broker bench flow [options]
              --burst N            workloads starting at once on the fresh stack (default 200)
              --warmup-rate N      offered flows per second while the JVMs warm up, after the burst (default 10; 0 for none)
              --warmup-seconds N   how long the warm-up lasts (default 60)
              --idle-flows N       flows run one at a time for idle_cred_p50_ms (default 30)
              --rate N             offered flows per second for the reported latencies (default 500)
              --seconds N          how long that rate is offered (default 30)
              --search-rates LIST  offered rates tried for max_per_s, ascending (default 10,15,20,25,30,40,50,75,100,150,200,300,500,700,1000,1300)
              --step-seconds N     how long each of those is offered (default 20)
              --workloads N        distinct workloads (default 1000)
              --keep-files yes|no  keep the stack's logs of a run that passed (default no; a failed run keeps them)""";

    private static final Set<String> OPTIONS = Set.of("--burst", "--idle-flows", "--warmup-rate", "--warmup-seconds",
            "--rate", "--seconds",
            "--search-rates", "--step-seconds", "--workloads", "--keep-files");

    FlowBenchOptions {
        BenchArgs.requirePositive(burst, "--burst");
        BenchArgs.requirePositive(idleFlows, "--idle-flows");
        if (warmupRate < 0) {
            throw new IllegalArgumentException("--warmup-rate must be 0 or more, got " + warmupRate);
        }
        BenchArgs.requirePositive(warmupSeconds, "--warmup-seconds");
        BenchArgs.requirePositive(rate, "--rate");
        BenchArgs.requirePositive(seconds, "--seconds");
        BenchArgs.requirePositive(stepSeconds, "--step-seconds");
        BenchArgs.requirePositive(workloads, "--workloads");
        if (searchRates.isEmpty()) {
            throw new IllegalArgumentException("--search-rates needs at least one rate");
        }
        searchRates.forEach(r -> BenchArgs.requirePositive(r, "--search-rates"));
        searchRates = List.copyOf(searchRates);
    }

    static FlowBenchOptions defaults() {
        return new FlowBenchOptions(200, 30, 10, 60, 500, 30, List.of(10.0, 15.0, 20.0, 25.0, 30.0, 40.0, 50.0, 75.0,
                100.0, 150.0, 200.0, 300.0, 500.0, 700.0, 1000.0, 1300.0), 20, 1000, false);
    }

    static FlowBenchOptions parse(List<String> args) {
        Map<String, String> given = BenchArgs.pairs(args, OPTIONS, USAGE);
        FlowBenchOptions d = defaults();
        return new FlowBenchOptions(
                BenchArgs.wholeNumber(given, "--burst", d.burst),
                BenchArgs.wholeNumber(given, "--idle-flows", d.idleFlows),
                given.containsKey("--warmup-rate") ? BenchArgs.number("--warmup-rate", given.get("--warmup-rate")) : d.warmupRate,
                BenchArgs.wholeNumber(given, "--warmup-seconds", d.warmupSeconds),
                given.containsKey("--rate") ? BenchArgs.number("--rate", given.get("--rate")) : d.rate,
                BenchArgs.wholeNumber(given, "--seconds", d.seconds),
                given.containsKey("--search-rates") ? rates(given.get("--search-rates")) : d.searchRates,
                BenchArgs.wholeNumber(given, "--step-seconds", d.stepSeconds),
                BenchArgs.wholeNumber(given, "--workloads", d.workloads),
                given.containsKey("--keep-files") ? BenchArgs.yesNo("--keep-files", given.get("--keep-files")) : d.keepFiles);
    }

    private static List<Double> rates(String value) {
        List<Double> rates = new ArrayList<>();
        for (String part : value.split(",", -1)) {
            rates.add(BenchArgs.number("--search-rates", part));
        }
        return rates;
    }
}
