package io.jitbroker.bench;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Reads a benchmark's {@code --name value} pairs; each benchmark converts and checks the values itself. */
final class BenchArgs {

    private BenchArgs() {
    }

    /** The given options by name; an unknown option or one without a value is an error that shows the usage. */
    static Map<String, String> pairs(List<String> args, Set<String> known, String usage) {
        Map<String, String> given = new HashMap<>();
        for (int i = 0; i < args.size(); i += 2) {
            String name = args.get(i);
            if (!known.contains(name)) {
                throw new IllegalArgumentException("unknown option " + name + "\n" + usage);
            }
            if (i + 1 >= args.size()) {
                throw new IllegalArgumentException(name + " needs a value\n" + usage);
            }
            given.put(name, args.get(i + 1));
        }
        return given;
    }

    /** A whole number ({@code 1_000_000} allowed). */
    static int wholeNumber(String name, String value) {
        try {
            return Integer.parseInt(value.trim().replace("_", ""));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a whole number, was '" + value + "'", e);
        }
    }

    static int wholeNumber(Map<String, String> given, String name, int fallback) {
        return given.containsKey(name) ? wholeNumber(name, given.get(name)) : fallback;
    }

    static double number(String name, String value) {
        try {
            return Double.parseDouble(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a number, was '" + value + "'", e);
        }
    }

    static boolean yesNo(String name, String value) {
        return switch (value) {
            case "yes", "true" -> true;
            case "no", "false" -> false;
            default -> throw new IllegalArgumentException(name + " must be yes or no, was '" + value + "'");
        };
    }

    static void requirePositive(double value, String name) {
        if (!(value > 0)) {
            throw new IllegalArgumentException(name + " must be positive, was " + value);
        }
    }
}
