package io.jitbroker.policy.domain;

import java.util.Objects;
import java.util.OptionalInt;

/**
 * Limits on how much a workload may hold, checked before any rule; empty means no limit.
 *
 * @param maxResourcesPerRequest     most distinct resources (type and id) one request may ask for
 * @param maxActiveGrantsPerWorkload most grants a workload may hold (reserved or issued) when it asks for another
 * @param maxGrantsPerTask           most grants one task of a workload may hold when it asks for another
 */
public record Caps(OptionalInt maxResourcesPerRequest, OptionalInt maxActiveGrantsPerWorkload, OptionalInt maxGrantsPerTask) {

    private static final Caps NONE = new Caps(OptionalInt.empty(), OptionalInt.empty(), OptionalInt.empty());

    public Caps {
        requirePositive(maxResourcesPerRequest, "maxResourcesPerRequest");
        requirePositive(maxActiveGrantsPerWorkload, "maxActiveGrantsPerWorkload");
        requirePositive(maxGrantsPerTask, "maxGrantsPerTask");
    }

    public static Caps none() {
        return NONE;
    }

    private static void requirePositive(OptionalInt cap, String name) {
        Objects.requireNonNull(cap, name);
        if (cap.isPresent() && cap.getAsInt() <= 0) {
            throw new IllegalArgumentException(name + " must be positive when set, got " + cap.getAsInt());
        }
    }
}
