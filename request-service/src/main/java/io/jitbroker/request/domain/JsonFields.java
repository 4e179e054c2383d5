package io.jitbroker.request.domain;

import io.jitbroker.contracts.SpiffeId;
import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * The rules a request body's fields share (required, text, an enum by name, a SPIFFE ID), each failing
 * with an {@link InvalidRequestException} that names the field. The body's JSON types were checked when
 * it was read (micronaut-support's StrictJsonBodyReader).
 */
final class JsonFields {

    private JsonFields() {
    }

    static String requiredText(String field, Object value, int maxLength) {
        if (value == null) {
            throw new InvalidRequestException(field, field + " is required");
        }
        if (!(value instanceof String text)) {
            throw new InvalidRequestException(field, field + " must be a string");
        }
        if (text.isBlank()) {
            throw new InvalidRequestException(field, field + " must not be blank");
        }
        if (text.length() > maxLength) {
            throw new InvalidRequestException(field, field + " must be at most " + maxLength + " characters");
        }
        if (text.chars().anyMatch(Character::isISOControl)) {
            throw new InvalidRequestException(field, field + " must not contain control characters");
        }
        if (hasUnpairedSurrogate(text)) {
            throw new InvalidRequestException(field, field + " must be valid Unicode (it has an unpaired surrogate)");
        }
        return text;
    }

    /**
     * JSON may escape half of a surrogate pair ("\udc00"), which is no character at all: PostgreSQL
     * refuses it and UTF-8 encoders replace it with '?', so the stored text would differ from the sent.
     */
    static boolean hasUnpairedSurrogate(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return true;
            }
        }
        return false;
    }

    static boolean requiredBoolean(String field, Object value) {
        if (value == null) {
            throw new InvalidRequestException(field, field + " is required: true or false");
        }
        if (!(value instanceof Boolean flag)) {
            throw new InvalidRequestException(field, field + " must be true or false");
        }
        return flag;
    }

    /** One of {@code values} by its exact name; the error lists the allowed names. */
    static <E extends Enum<E>> E requiredEnum(String field, Object value, E[] values) {
        if (value instanceof String name) {
            for (E candidate : values) {
                if (candidate.name().equals(name)) {
                    return candidate;
                }
            }
        }
        throw new InvalidRequestException(field, field + " " + (value == null ? "is required" : "is not valid")
                + "; allowed values are " + Arrays.stream(values).map(Enum::name).collect(Collectors.joining(", ")));
    }

    /** A SPIFFE workload ID, e.g. {@code spiffe://dev.local/ci/deployer}. */
    static String requiredSpiffeId(String field, Object value) {
        if (value == null) {
            throw new InvalidRequestException(field, field + " is required");
        }
        if (!SpiffeId.isWorkloadId(value)) {
            throw new InvalidRequestException(field,
                    field + " must be a SPIFFE workload ID (spiffe://<trust domain>/<path>)");
        }
        return (String) value;
    }
}
