package io.jitbroker.policy.domain;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A pattern over slash-separated names such as SPIFFE IDs and resource ids: plain text matches
 * exactly, {@code *} matches one non-empty path segment (no {@code /}) and {@code **} matches
 * anything non-empty, slashes included. Nothing else is special: dots, question marks and
 * brackets are literal, so a policy author cannot widen a pattern by accident.
 */
public final class GlobPattern {

    /** How a pattern is matched: the common shapes by string comparison, the rest by a regex. */
    private enum Shape {
        EXACT,
        /** {@code prefix**} (also {@code **} alone): the prefix and then anything non-empty. */
        PREFIX_THEN_ANY,
        /** {@code prefix*}: the prefix and then one non-empty segment. */
        PREFIX_THEN_SEGMENT,
        /** {@code **suffix}: anything non-empty and then the suffix. */
        ANY_THEN_SUFFIX,
        /** {@code *suffix}: one non-empty segment and then the suffix. */
        SEGMENT_THEN_SUFFIX,
        REGEX
    }

    private final String text;
    private final Shape shape;
    /** The literal part for the string-compared shapes. */
    private final String literal;
    private final Pattern regex;

    private GlobPattern(String text, Shape shape, String literal, Pattern regex) {
        this.text = text;
        this.shape = shape;
        this.literal = literal;
        this.regex = regex;
    }

    /**
     * @throws IllegalArgumentException when the text is blank or holds three or more stars in a row
     */
    public static GlobPattern compile(String text) {
        Objects.requireNonNull(text, "text");
        if (text.isBlank()) {
            throw new IllegalArgumentException("pattern is blank");
        }
        if (text.contains("***")) {
            throw new IllegalArgumentException("pattern '" + text + "' has '***'; use '*' for one segment or '**' for any");
        }
        int star = text.indexOf('*');
        if (star < 0) {
            return new GlobPattern(text, Shape.EXACT, text, null);
        }
        Pattern regex = regex(text);
        int stars = (int) text.chars().filter(c -> c == '*').count();
        boolean doubleStar = text.contains("**");
        if (stars <= 2 && (stars == 1 || doubleStar)) {
            // One wildcard, at the start or at the end: a string comparison does.
            int wildcard = doubleStar ? 2 : 1;
            if (star == text.length() - wildcard) {
                return new GlobPattern(text, doubleStar ? Shape.PREFIX_THEN_ANY : Shape.PREFIX_THEN_SEGMENT, text.substring(0, star), regex);
            }
            if (star == 0) {
                return new GlobPattern(text, doubleStar ? Shape.ANY_THEN_SUFFIX : Shape.SEGMENT_THEN_SUFFIX, text.substring(wildcard), regex);
            }
        }
        return new GlobPattern(text, Shape.REGEX, null, regex);
    }

    private static Pattern regex(String text) {
        StringBuilder regex = new StringBuilder();
        StringBuilder literal = new StringBuilder();
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c != '*') {
                literal.append(c);
                continue;
            }
            if (!literal.isEmpty()) {
                regex.append(Pattern.quote(literal.toString()));
                literal.setLength(0);
            }
            boolean doubleStar = i + 1 < text.length() && text.charAt(i + 1) == '*';
            regex.append(doubleStar ? ".+" : "[^/]+");
            if (doubleStar) {
                i++;
            }
        }
        if (!literal.isEmpty()) {
            regex.append(Pattern.quote(literal.toString()));
        }
        return Pattern.compile(regex.toString(), Pattern.DOTALL);
    }

    /** Allocates nothing for the common shapes: this is on the path of every decision. */
    public boolean matches(String candidate) {
        if (candidate == null) {
            return false;
        }
        int rest = candidate.length() - (literal == null ? 0 : literal.length());
        return switch (shape) {
            case EXACT -> text.equals(candidate);
            case PREFIX_THEN_ANY -> rest > 0 && candidate.startsWith(literal);
            case PREFIX_THEN_SEGMENT -> rest > 0 && candidate.startsWith(literal) && candidate.indexOf('/', literal.length()) < 0;
            case ANY_THEN_SUFFIX -> rest > 0 && candidate.endsWith(literal);
            case SEGMENT_THEN_SUFFIX -> rest > 0 && candidate.endsWith(literal) && candidate.lastIndexOf('/', rest - 1) < 0;
            case REGEX -> regex.matcher(candidate).matches();
        };
    }

    /** The same answer as {@link #matches}, always by the regex (a reference for tests); exact patterns compare text. */
    boolean matchesByRegex(String candidate) {
        return regex == null ? text.equals(candidate) : regex.matcher(candidate).matches();
    }

    public String text() {
        return text;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof GlobPattern that && text.equals(that.text);
    }

    @Override
    public int hashCode() {
        return text.hashCode();
    }

    @Override
    public String toString() {
        return text;
    }
}
