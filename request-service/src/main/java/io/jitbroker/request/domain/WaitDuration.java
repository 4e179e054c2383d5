package io.jitbroker.request.domain;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** How long a client asks to wait for its answer ({@code ?wait=10s}, {@code 500ms}, or whole seconds). */
public final class WaitDuration {

    public static final Duration MAX = Duration.ofSeconds(30);
    private static final Pattern FORMAT = Pattern.compile("(\\d{1,6})(ms|s)?");

    private WaitDuration() {
    }

    /** No value: no wait. @throws InvalidRequestException naming {@code wait} */
    public static Duration parse(String value) {
        if (value == null || value.isEmpty()) {
            return Duration.ZERO;
        }
        Matcher matcher = FORMAT.matcher(value);
        if (!matcher.matches()) {
            throw invalid(value);
        }
        long amount = Long.parseLong(matcher.group(1));
        Duration wait = "ms".equals(matcher.group(2)) ? Duration.ofMillis(amount) : Duration.ofSeconds(amount);
        if (wait.compareTo(MAX) > 0) {
            throw invalid(value);
        }
        return wait;
    }

    private static InvalidRequestException invalid(String value) {
        return new InvalidRequestException("wait", "wait: must be a duration such as 10s or 500ms, at most "
                + MAX.toSeconds() + "s, got '" + (value.length() > 20 ? value.substring(0, 20) + "..." : value) + "'");
    }
}
