package io.jitbroker.chaos.check;

import java.util.ArrayList;
import java.util.List;

/** The verdict's violation lines: all are counted, the first {@link #CAP} kept (the last saying how many more). */
final class ViolationLines {

    static final int CAP = 50;

    private final List<String> lines = new ArrayList<>();
    private int total;

    void add(String line) {
        total++;
        if (lines.size() < CAP) {
            lines.add(line);
        }
    }

    List<String> lines() {
        if (total <= CAP) {
            return List.copyOf(lines);
        }
        List<String> capped = new ArrayList<>(lines.subList(0, CAP - 1));
        capped.add("... and " + (total - CAP + 1) + " more violations");
        return capped;
    }
}
