package io.jitbroker.policy.app;

import io.jitbroker.policy.domain.InvalidPolicyException;
import io.jitbroker.policy.domain.Policy;
import io.jitbroker.policy.domain.PolicyParser;
import java.util.OptionalInt;

/**
 * Parses a policy document with {@link PolicyParser} (strict YAML structure, every CEL condition
 * compiled and type-checked) and reports a refusal with the line it is about.
 */
public final class PolicyDocuments {

    private PolicyDocuments() {
    }

    /**
     * @param source names the document in the message, e.g. {@code bundle 'default' as submitted}
     * @throws InvalidBundleException naming the line (when known) and the problem
     */
    public static Policy parse(String document, String source) {
        try {
            return PolicyParser.parse(document, source);
        } catch (InvalidPolicyException e) {
            // The parser says "policy X is invalid: line N: problem"; the bundle API leads with the line.
            String message = e.line().isPresent()
                    ? e.getMessage().replaceFirst(": line " + e.line().getAsInt() + ": ", ": ")
                    : e.getMessage();
            throw new InvalidBundleException(e.line(), message, e);
        } catch (RuntimeException e) {
            // Not a refusal the parser meant, but a document that cannot be compiled all the same: fail closed.
            throw new InvalidBundleException(OptionalInt.empty(), "policy " + source + " could not be compiled: " + e, e);
        }
    }

}
