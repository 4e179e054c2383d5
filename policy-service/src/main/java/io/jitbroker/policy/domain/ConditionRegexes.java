package io.jitbroker.policy.domain;

import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * CEL's {@code matches} with compiled patterns kept: the standard function compiles its regex on
 * every call, which made a {@code matches} condition cost several times any other. Same semantics
 * as the standard one with our options: RE2 syntax (linear time, no backtracking), a search (not a
 * whole-string match), and a bound on the compiled program's size. Patterns written in a policy
 * are compiled (and rejected when invalid) at load; patterns computed at run time are cached up to
 * a bound, so that request data cannot grow the cache without limit.
 */
final class ConditionRegexes {

    static final int MAX_PROGRAM_SIZE = 1_000;
    private static final int MAX_CACHED = 4_096;
    private static final Map<String, Pattern> COMPILED = new ConcurrentHashMap<>();

    private ConditionRegexes() {
    }

    /** {@code text.matches(regex)}: whether the regex matches anywhere in the text. */
    static boolean find(String text, String regex) {
        return compiled(regex).matcher(text).find();
    }

    /**
     * @throws IllegalArgumentException when the regex is not valid RE2 or is too large
     */
    static Pattern compiled(String regex) {
        Pattern pattern = COMPILED.get(regex);
        if (pattern != null) {
            return pattern;
        }
        try {
            pattern = Pattern.compile(regex);
        } catch (PatternSyntaxException e) {
            throw new IllegalArgumentException("invalid regex '" + regex + "': " + e.getDescription(), e);
        }
        if (pattern.programSize() > MAX_PROGRAM_SIZE) {
            throw new IllegalArgumentException("regex '" + regex + "' is too large (program size " + pattern.programSize()
                    + ", at most " + MAX_PROGRAM_SIZE + ")");
        }
        if (COMPILED.size() < MAX_CACHED) {
            COMPILED.put(regex, pattern);
        }
        return pattern;
    }
}
