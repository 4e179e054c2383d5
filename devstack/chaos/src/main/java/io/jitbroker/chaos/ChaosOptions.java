package io.jitbroker.chaos;

import java.util.List;

/**
 * What {@code ./jit-broker chaos} runs.
 *
 * @param schedule short (a subset of the faults, for CI) or full (every fault)
 * @param minutes  the least time the load runs: after the schedule, the load goes on until then
 * @param rate     flows per second offered for the whole run
 * @param clean    only remove what an earlier run left behind, then exit
 */
record ChaosOptions(String schedule, int minutes, double rate, boolean clean) {

    static final String USAGE = """
            usage: ./jit-broker chaos [--schedule short|full] [--minutes N] [--rate N]
                   ./jit-broker chaos --clean
              --schedule short|full  the faults to inject (default short: at most 10 minutes in all)
              --minutes N            let the load run at least N minutes (default 0: as long as the schedule)
              --rate N               flows per second offered throughout (default 3: what this 2-core machine holds with the cluster on it)
              --clean                remove the hosts, links and processes an earlier run left behind""";

    ChaosOptions {
        if (!schedule.equals("short") && !schedule.equals("full")) {
            throw new IllegalArgumentException("--schedule must be short or full, got '" + schedule + "'\n" + USAGE);
        }
        if (minutes < 0) {
            throw new IllegalArgumentException("--minutes must be 0 or more\n" + USAGE);
        }
        if (!(rate > 0)) {
            throw new IllegalArgumentException("--rate must be positive\n" + USAGE);
        }
    }

    static ChaosOptions parse(List<String> args) {
        String schedule = "short";
        int minutes = 0;
        double rate = 3;
        boolean clean = false;
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            switch (arg) {
                case "--clean" -> clean = true;
                case "--schedule" -> schedule = value(args, ++i, arg);
                case "--minutes" -> minutes = wholeNumber(value(args, ++i, arg), arg);
                case "--rate" -> rate = number(value(args, ++i, arg), arg);
                case "--help", "-h" -> throw new IllegalArgumentException(USAGE);
                default -> throw new IllegalArgumentException("unknown option " + arg + "\n" + USAGE);
            }
        }
        return new ChaosOptions(schedule, minutes, rate, clean);
    }

    private static String value(List<String> args, int i, String option) {
        if (i >= args.size()) {
            throw new IllegalArgumentException(option + " needs a value\n" + USAGE);
        }
        return args.get(i);
    }

    private static int wholeNumber(String value, String option) {
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " must be a whole number, got '" + value + "'\n" + USAGE);
        }
    }

    private static double number(String value, String option) {
        try {
            return Double.parseDouble(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " must be a number, got '" + value + "'\n" + USAGE);
        }
    }
}
