package io.jitbroker.request.domain;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * The query string of a GET, read parameter by parameter. Every failure is an
 * {@link InvalidRequestException} naming the parameter: a typo in an audit query must be an error,
 * not a silently wider answer, so unknown and repeated parameters are refused too.
 */
public final class QueryParameters {

    static final Instant EARLIEST_INSTANT = Instant.parse("0001-01-01T00:00:00Z");
    static final Instant LATEST_INSTANT = Instant.parse("9999-12-31T23:59:59Z");

    private static final int MAX_TEXT_LENGTH = 2048;

    private final Map<String, List<String>> values;

    /** @param values every parameter with all its values, as the HTTP layer decoded them */
    public QueryParameters(Map<String, List<String>> values) {
        this.values = Map.copyOf(values);
    }

    /** @throws InvalidRequestException naming the first parameter not in {@code allowed} */
    public QueryParameters allowOnly(Set<String> allowed) {
        for (String name : new TreeSet<>(values.keySet())) {
            if (!allowed.contains(name)) {
                throw new InvalidRequestException(name, "unknown parameter '" + name + "'; allowed parameters are "
                        + String.join(", ", new TreeSet<>(allowed)));
            }
        }
        return this;
    }

    /** The one value of {@code name}, or null when absent; blank counts as absent (an empty form field). */
    public String text(String name) {
        List<String> given = values.get(name);
        if (given == null || given.isEmpty()) {
            return null;
        }
        if (given.size() > 1) {
            throw new InvalidRequestException(name, name + " may be given once");
        }
        String value = given.get(0);
        if (value == null || value.isBlank()) {
            return null;
        }
        if (value.length() > MAX_TEXT_LENGTH || value.chars().anyMatch(Character::isISOControl)
                || JsonFields.hasUnpairedSurrogate(value)) {
            throw new InvalidRequestException(name, name + " must be at most " + MAX_TEXT_LENGTH
                    + " characters of valid Unicode without control characters");
        }
        return value;
    }

    /**
     * The value as {@code parse} reads it (parse throws an InvalidRequestException naming the parameter
     * when the value is wrong); null when absent.
     */
    public <T> T parsed(String name, Function<String, T> parse) {
        String value = text(name);
        return value == null ? null : parse.apply(value);
    }

    /** {@code true} or {@code false}, exactly; null when absent. */
    public Boolean bool(String name) {
        String value = text(name);
        if (value == null) {
            return null;
        }
        return switch (value) {
            case "true" -> Boolean.TRUE;
            case "false" -> Boolean.FALSE;
            default -> throw new InvalidRequestException(name, name + " must be true or false");
        };
    }

    /** An ISO-8601 date-time with a zone offset ({@code 2026-11-23T10:00:00Z}); null when absent. */
    public Instant instant(String name) {
        String value = text(name);
        if (value == null) {
            return null;
        }
        Instant instant;
        try {
            instant = OffsetDateTime.parse(value, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
        } catch (DateTimeParseException e) {
            throw new InvalidRequestException(name, name + " must be an ISO-8601 date-time with a zone, e.g. "
                    + "2026-11-23T10:00:00Z (in a URL, write '+' in an offset as %2B)");
        }
        // Java reads years up to ±999999999; PostgreSQL's timestamps do not go that far.
        if (instant.isBefore(EARLIEST_INSTANT) || instant.isAfter(LATEST_INSTANT)) {
            throw new InvalidRequestException(name, name + " must be between " + EARLIEST_INSTANT + " and " + LATEST_INSTANT);
        }
        return instant;
    }

    /** A whole number within [min, max]; {@code absent} when not given. */
    public int wholeNumber(String name, int min, int max, int absent) {
        String value = text(name);
        if (value == null) {
            return absent;
        }
        int number;
        try {
            number = Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new InvalidRequestException(name, name + " must be a whole number from " + min + " to " + max);
        }
        if (number < min || number > max) {
            throw new InvalidRequestException(name, name + " must be from " + min + " to " + max);
        }
        return number;
    }

    /** One of the names of {@code type}'s constants, exactly; null when absent. */
    public <E extends Enum<E>> E enumValue(String name, Class<E> type) {
        String value = text(name);
        if (value == null) {
            return null;
        }
        for (E constant : type.getEnumConstants()) {
            if (constant.name().equals(value)) {
                return constant;
            }
        }
        Set<String> names = new TreeSet<>();
        for (E constant : type.getEnumConstants()) {
            names.add(constant.name());
        }
        throw new InvalidRequestException(name, name + " must be one of " + String.join(", ", names));
    }
}
