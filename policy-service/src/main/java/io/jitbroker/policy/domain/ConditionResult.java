package io.jitbroker.policy.domain;

/**
 * What one evaluation of a rule's condition gave.
 *
 * @param status TRUE or FALSE when the expression gave a boolean; ERROR when it failed or gave anything else
 * @param error  what went wrong, empty unless ERROR
 */
public record ConditionResult(Status status, String error) {

    public enum Status {
        TRUE,
        FALSE,
        ERROR
    }

    static final ConditionResult TRUE = new ConditionResult(Status.TRUE, "");
    static final ConditionResult FALSE = new ConditionResult(Status.FALSE, "");

    static ConditionResult error(String error) {
        return new ConditionResult(Status.ERROR, error);
    }
}
