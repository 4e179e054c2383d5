package io.jitbroker.bench;

import java.io.PrintStream;
import java.util.Arrays;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code ./jit-broker bench NAME [options]}: runs one benchmark, prints its report on standard
 * output (progress goes to the log, on standard error) and exits non-zero if it found the system
 * misbehaving (a revocation missing or doubled) or could not run.
 */
public final class Bench {

    private static final Logger LOG = LoggerFactory.getLogger(Bench.class);
    static final String USAGE = "usage: ./jit-broker bench revocation|policy|flow [options]   (--help for the options)";

    private Bench() {
    }

    public static void main(String[] args) {
        System.exit(run(Arrays.asList(args), System.out));
    }

    /** The exit code: 0 passed, 1 the system misbehaved, 2 the benchmark could not run. */
    static int run(List<String> args, PrintStream out) {
        if (args.isEmpty()) {
            LOG.error(USAGE);
            return 2;
        }
        String name = args.get(0);
        List<String> options = args.subList(1, args.size());
        try {
            return switch (name) {
                case "revocation" -> {
                    if (options.contains("--help")) {
                        out.println(RevocationBenchOptions.USAGE);
                        yield 0;
                    }
                    yield RevocationBenchmark.run(RevocationBenchOptions.parse(options), out) ? 0 : 1;
                }
                case "flow" -> {
                    if (options.contains("--help")) {
                        out.println(FlowBenchOptions.USAGE);
                        yield 0;
                    }
                    yield FlowBenchmark.run(FlowBenchOptions.parse(options), out) ? 0 : 1;
                }
                case "policy" -> {
                    if (options.contains("--help")) {
                        out.println(PolicyBenchOptions.USAGE);
                        yield 0;
                    }
                    yield PolicyBenchmark.run(PolicyBenchOptions.parse(options), out) ? 0 : 1;
                }
                default -> {
                    LOG.error("unknown benchmark '{}'; {}", name, USAGE);
                    yield 2;
                }
            };
        } catch (IllegalArgumentException e) {
            LOG.error("{}", e.getMessage());
            return 2;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            LOG.error("benchmark {} interrupted", name);
            return 2;
        } catch (Exception e) {
            LOG.error("benchmark {} could not run: {}", name, e.getMessage(), e);
            return 2;
        }
    }
}
