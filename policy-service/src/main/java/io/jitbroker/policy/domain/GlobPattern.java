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

    private final String text;
    private final Pattern regex;

    private GlobPattern(String text, Pattern regex) {
        this.text = text;
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
        if (!text.contains("*")) {
            return new GlobPattern(text, null);
        }
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
        return new GlobPattern(text, Pattern.compile(regex.toString(), Pattern.DOTALL));
    }

    public boolean matches(String candidate) {
        if (candidate == null) {
            return false;
        }
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
