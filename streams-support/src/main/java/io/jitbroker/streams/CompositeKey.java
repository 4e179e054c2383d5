package io.jitbroker.streams;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Store keys made of several ids (workload, task, grant), each written as its length, a colon and
 * the id: {@code of("w-1", "t-1")} is {@code "3:w-13:t-1"}. Ids may contain any character and still
 * never run into each other, and the key of a parent is a prefix of exactly its children's keys:
 * a prefix scan from {@code of(workloadId)} visits that workload's entries and no other's, even
 * when one workload id is a prefix of another.
 */
public final class CompositeKey {

    private static final char LENGTH_END = ':';

    private CompositeKey() {
    }

    /** The key of {@code parts}, in order; also the prefix of every key that extends them. */
    public static String of(String... parts) {
        StringBuilder key = new StringBuilder();
        for (String part : parts) {
            Objects.requireNonNull(part, "part");
            key.append(part.length()).append(LENGTH_END).append(part);
        }
        return key.toString();
    }

    /** The ids a key was made of. */
    public static List<String> partsOf(String key) {
        List<String> parts = new ArrayList<>();
        int at = 0;
        while (at < key.length()) {
            int lengthEnd = key.indexOf(LENGTH_END, at);
            if (lengthEnd <= at) {
                throw new IllegalArgumentException("not a composite key: " + key);
            }
            int length;
            try {
                length = Integer.parseInt(key.substring(at, lengthEnd));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("not a composite key: " + key, e);
            }
            int end = lengthEnd + 1 + length;
            if (length < 0 || end > key.length()) {
                throw new IllegalArgumentException("not a composite key: " + key);
            }
            parts.add(key.substring(lengthEnd + 1, end));
            at = end;
        }
        return parts;
    }

    /** The last id of a key: the grant id of a {@code (workload, grant)} index entry. */
    public static String lastPartOf(String key) {
        List<String> parts = partsOf(key);
        if (parts.isEmpty()) {
            throw new IllegalArgumentException("empty composite key");
        }
        return parts.get(parts.size() - 1);
    }
}
