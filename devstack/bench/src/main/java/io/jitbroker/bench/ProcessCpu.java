package io.jitbroker.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * CPU time the processes of a run have used, from /proc (user + system, with the CPU of children
 * they have reaped, such as PostgreSQL's finished backends), grouped by role. CPU time does not
 * drift with a noisy machine the way latencies do: divided by the flows served it shows what a
 * change costs or saves.
 */
final class ProcessCpu {

    /** Linux reports CPU in clock ticks of 1/100 s (USER_HZ) on every architecture we run on. */
    private static final double MS_PER_TICK = 10.0;

    private ProcessCpu() {
    }

    /** CPU milliseconds so far of this process and every descendant, summed per role. */
    static Map<String, Double> byRole(ProcessHandle root, Function<ProcessHandle, String> roleOf) {
        Map<String, Double> cpu = new LinkedHashMap<>();
        add(cpu, roleOf.apply(root), root);
        root.descendants().forEach(process -> add(cpu, roleOf.apply(process), process));
        return cpu;
    }

    /** What each role used between two readings. */
    static Map<String, Double> since(Map<String, Double> before, Map<String, Double> after) {
        Map<String, Double> used = new LinkedHashMap<>();
        after.forEach((role, ms) -> used.put(role, ms - before.getOrDefault(role, 0.0)));
        return used;
    }

    private static void add(Map<String, Double> cpu, String role, ProcessHandle process) {
        cpuMillis(process.pid()).ifPresent(ms -> cpu.merge(role, ms, Double::sum));
    }

    static Optional<Double> cpuMillis(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            // The command name (field 2) may hold spaces: the fields we want follow its closing parenthesis.
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            // After the name: state(3) ... utime(14) stime(15) cutime(16) cstime(17), here shifted by 3.
            long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12])
                    + Long.parseLong(fields[13]) + Long.parseLong(fields[14]);
            return Optional.of(ticks * MS_PER_TICK);
        } catch (IOException | RuntimeException e) {
            return Optional.empty(); // the process has ended since it was listed
        }
    }
}
