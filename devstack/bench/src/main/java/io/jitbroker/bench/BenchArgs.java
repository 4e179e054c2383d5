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
}
