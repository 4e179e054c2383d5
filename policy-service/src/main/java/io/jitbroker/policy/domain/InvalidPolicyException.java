package io.jitbroker.policy.domain;

import java.util.OptionalInt;

/**
 * A policy that cannot be trusted to mean what its author meant; the service refuses to load it.
 * When the problem is in the document, {@link #line()} says where and {@link #problem()} what,
 * e.g. line 12 and {@code rules[2].condition: undeclared reference to 'request.ticket' ...}.
 */
public final class InvalidPolicyException extends RuntimeException {

    private final OptionalInt line;
    private final String problem;

    public InvalidPolicyException(String message) {
        this(message, null);
    }

    public InvalidPolicyException(String message, Throwable cause) {
        super(message, cause);
        this.line = OptionalInt.empty();
        this.problem = message;
    }

    private InvalidPolicyException(String message, OptionalInt line, String problem, Throwable cause) {
        super(message, cause);
        this.line = line;
        this.problem = problem;
    }

    /**
     * @param verdict what is wrong with the source as a whole, e.g. {@code is invalid}
     * @param line    1-based; empty when the problem has no place in the document (an empty document)
     * @param problem the field path and what is wrong with it
     */
    static InvalidPolicyException in(String source, String verdict, OptionalInt line, String problem, Throwable cause) {
        String where = line.isPresent() ? "line " + line.getAsInt() + ": " : "";
        return new InvalidPolicyException("policy " + source + " " + verdict + ": " + where + problem, line, problem, cause);
    }

    /** The 1-based line of the document the problem is on; empty when unknown. */
    public OptionalInt line() {
        return line;
    }

    /** The problem without source and line, e.g. {@code rules[2].condition: ...}; the whole message when there is no line. */
    public String problem() {
        return problem;
    }
}
