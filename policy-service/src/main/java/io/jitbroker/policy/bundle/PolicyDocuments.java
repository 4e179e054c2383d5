package io.jitbroker.policy.bundle;

import io.jitbroker.policy.domain.InvalidPolicyException;
import io.jitbroker.policy.domain.Policy;
import io.jitbroker.policy.domain.PolicyParser;
import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.error.MarkedYAMLException;

/**
 * Parses a policy document with {@link PolicyParser} (strict YAML structure, every CEL condition
 * compiled and type-checked) and reports a refusal with the line it is about.
 */
public final class PolicyDocuments {

    private static final String INVALID = " is invalid: ";
    private static final Pattern UNKNOWN_KEY = Pattern.compile("unknown key '([^']*)'.*", Pattern.DOTALL);

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
            throw new InvalidBundleException(lineOf(e, document), e.getMessage(), e);
        } catch (RuntimeException e) {
            // Not a refusal the parser meant, but a document that cannot be compiled all the same: fail closed.
            throw new InvalidBundleException(OptionalInt.empty(), "policy " + source + " could not be compiled: " + e, e);
        }
    }

    /**
     * The line the parser's refusal is about. The only place that knows how the parser reports
     * positions: when {@code InvalidPolicyException} carries its own {@code line()}, return that here.
     */
    static OptionalInt lineOf(InvalidPolicyException error, String document) {
        if (error.getCause() instanceof MarkedYAMLException yaml && yaml.getProblemMark() != null) {
            return OptionalInt.of(yaml.getProblemMark().getLine() + 1);
        }
        String message = error.getMessage();
        int invalid = message == null ? -1 : message.indexOf(INVALID);
        if (invalid < 0) {
            return OptionalInt.empty();
        }
        String problem = message.substring(invalid + INVALID.length());
        int colon = problem.indexOf(": ");
        if (colon < 0) {
            return OptionalInt.empty();
        }
        Matcher unknownKey = UNKNOWN_KEY.matcher(problem.substring(colon + 2));
        return YamlLines.lineOf(document, problem.substring(0, colon), unknownKey.matches() ? unknownKey.group(1) : null);
    }
}
