package io.jitbroker.request.domain;

import java.util.regex.Pattern;

/** Recognises workload SPIFFE IDs: {@code spiffe://<trust domain>/<path>}. */
public final class SpiffeId {

    /** Trust domain and path characters as the SPIFFE ID specification allows; a workload ID has a path. */
    private static final Pattern WORKLOAD_ID = Pattern.compile("spiffe://[a-z0-9._-]+(/[A-Za-z0-9._-]+)+");
    private static final int MAX_LENGTH = 2048;

    private SpiffeId() {
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
