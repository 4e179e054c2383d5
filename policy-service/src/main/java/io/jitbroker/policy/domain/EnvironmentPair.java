package io.jitbroker.policy.domain;

import java.util.Objects;

/**
 * Two environments that must never share privilege: a workload holding a grant in one of them is
 * denied access to the other until that grant ends. Unordered: {@code of("prod", "dev")} equals
 * {@code of("dev", "prod")}.
 */
public record EnvironmentPair(String first, String second) {

    public EnvironmentPair {
        Objects.requireNonNull(first, "first");
        Objects.requireNonNull(second, "second");
        if (first.equals(second)) {
            throw new IllegalArgumentException("an environment cannot be separated from itself: " + first);
        }
        if (first.compareTo(second) > 0) {
            String swap = first;
            first = second;
            second = swap;
        }
    }

    public static EnvironmentPair of(String one, String other) {
        return new EnvironmentPair(one, other);
    }

    public boolean joins(String one, String other) {
        return first.equals(one) ? second.equals(other) : first.equals(other) && second.equals(one);
    }

    @Override
    public String toString() {
        return first + " / " + second;
    }
}
