package io.jitbroker.contracts;

import java.util.Arrays;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/** Recognises workload SPIFFE IDs ({@code spiffe://<trust domain>/<path>}): every workloadId on the topics is one. */
public final class SpiffeId {

    /** Trust domain and path characters as the SPIFFE ID specification allows; a workload ID has a path. */
    private static final Pattern WORKLOAD_ID = Pattern.compile("spiffe://[a-z0-9._-]+(/[A-Za-z0-9._-]+)+");
    private static final int MAX_LENGTH = 2048;

    private SpiffeId() {
    }

    /**
     * Reads a comma-separated list of SPIFFE IDs from configuration (e.g. JIT_SRE_WORKLOADS); blank means none.
     *
     * @param what who the list names, for the error, e.g. {@code SRE workload}
     * @throws IllegalArgumentException when an entry is not a SPIFFE ID: a typo must not pass unnoticed
     */
    public static Set<String> parseList(String what, String commaSeparated) {
        if (commaSeparated == null || commaSeparated.isBlank()) {
            return Set.of();
        }
        Set<String> ids = Arrays.stream(commaSeparated.split(","))
                .map(String::trim)
                .filter(id -> !id.isEmpty())
                .collect(Collectors.toUnmodifiableSet());
        for (String id : ids) {
            if (!isWorkloadId(id)) {
                throw new IllegalArgumentException(what + " '" + id + "' is not a SPIFFE ID (spiffe://<trust domain>/<path>)");
            }
        }
        return ids;
    }

    public static boolean isWorkloadId(Object value) {
        if (!(value instanceof String id) || id.length() > MAX_LENGTH || !WORKLOAD_ID.matcher(id).matches()) {
            return false;
        }
        // "." and ".." segments are forbidden: they would let two spellings name one workload.
        for (String segment : id.substring("spiffe://".length()).split("/")) {
            if (segment.equals(".") || segment.equals("..")) {
                return false;
            }
        }
        return true;
    }
}
