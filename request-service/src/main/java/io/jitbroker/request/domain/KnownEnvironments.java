package io.jitbroker.request.domain;

import java.util.Set;
import java.util.TreeSet;

/** The environments the broker serves (JIT_ENVIRONMENTS); any other name in a body is a 400. */
public final class KnownEnvironments {

    static final int MAX_NAME_LENGTH = 64;

    private final Set<String> names;

    public KnownEnvironments(Set<String> names) {
        if (names.isEmpty()) {
            throw new IllegalArgumentException("at least one environment must be configured");
        }
        this.names = Set.copyOf(names);
    }

    public Set<String> names() {
        return names;
    }

    String require(String field, Object value) {
        String environment = JsonFields.requiredText(field, value, MAX_NAME_LENGTH);
        if (!names.contains(environment)) {
            throw new InvalidRequestException(field, field + " must be one of " + String.join(", ", new TreeSet<>(names)));
        }
        return environment;
    }

    /** Null when absent or JSON null. */
    String optional(String field, Object value) {
        return value == null ? null : require(field, value);
    }
}
