package io.jitbroker.policy.app;

import java.util.OptionalInt;

/**
 * A policy document that must not be run, with the line of the document at fault when known.
 * {@link #getMessage()} starts with {@code line N: } in that case.
 */
public final class InvalidBundleException extends BundleException {

    private final OptionalInt line;

    InvalidBundleException(OptionalInt line, String problem, Throwable cause) {
        super(line.isPresent() ? "line " + line.getAsInt() + ": " + problem : problem, cause);
        this.line = line;
    }

    /** 1-based line of the document where the problem is, when it can be told. */
    public OptionalInt line() {
        return line;
    }
}
