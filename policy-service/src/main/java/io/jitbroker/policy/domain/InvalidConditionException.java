package io.jitbroker.policy.domain;

/** A condition that does not parse, type-check to a bool, or holds an invalid regex. */
public final class InvalidConditionException extends IllegalArgumentException {

    private final int expressionLine;

    InvalidConditionException(String message, int expressionLine) {
        super(message);
        this.expressionLine = Math.max(1, expressionLine);
    }

    /** The line of the expression (1-based) the first problem is on; 1 for a one-line expression. */
    public int expressionLine() {
        return expressionLine;
    }
}
