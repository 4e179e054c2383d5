package io.jitbroker.policy.domain;

import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * CEL's {@code matches} with the policy's own patterns compiled once: the standard function
 * compiles its regex on every call, which made a {@code matches} condition cost several times any
 * other. Same semantics as the standard one with our options: RE2 syntax (linear time, no
 * backtracking), a search (not a whole-string match), and a bound on the compiled program's size.
 * Patterns written in a policy are compiled (and rejected when invalid) at load and kept; a pattern
 * computed from request data at run time is compiled for that call only, so requests cannot fill
 * the cache.
 */
final class ConditionRegexes {

    static final int MAX_PROGRAM_SIZE = 1_000;
    /** Far more than the regex literals of any real bundle; older bundles' patterns stay, so it is bounded. */
    private static final int MAX_KEPT = 4_096;
    private static final Map<String, Pattern> POLICY_PATTERNS = new ConcurrentHashMap<>();

    private ConditionRegexes() {
    }

    /** {@code text.matches(regex)}: whether the regex matches anywhere in the text. */
    static boolean find(String text, String regex) {
        Pattern pattern = POLICY_PATTERNS.get(regex);
        return (pattern != null ? pattern : compile(regex)).matcher(text).find();
    }

    /**
     * Compiles a pattern written in a policy, and keeps it for the evaluations to come.
     *
     * @throws IllegalArgumentException when the regex is not valid RE2 or is too large
     */
    static void keep(String regex) {
        Pattern pattern = compile(regex);
        if (POLICY_PATTERNS.size() < MAX_KEPT) {
            POLICY_PATTERNS.putIfAbsent(regex, pattern);
        }
    }

    private static Pattern compile(String regex) {
        Pattern pattern;
        try {
            pattern = Pattern.compile(regex);
        } catch (PatternSyntaxException e) {
            throw new IllegalArgumentException("invalid regex '" + regex + "': " + e.getDescription(), e);
        }
        if (pattern.programSize() > MAX_PROGRAM_SIZE) {
            throw new IllegalArgumentException("regex '" + regex + "' is too large (program size " + pattern.programSize()
                    + ", at most " + MAX_PROGRAM_SIZE + ")");
        }
        return pattern;
    }
}
