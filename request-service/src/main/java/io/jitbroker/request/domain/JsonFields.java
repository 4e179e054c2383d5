package io.jitbroker.request.domain;

import io.jitbroker.contracts.SpiffeId;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Reads typed fields out of a parsed JSON object (maps, lists, strings, numbers), failing with an
 * {@link InvalidRequestException} that names the field. Shared by the body rules.
 */
final class JsonFields {

    private static final BigInteger LONG_MIN = BigInteger.valueOf(Long.MIN_VALUE);
    private static final BigInteger LONG_MAX = BigInteger.valueOf(Long.MAX_VALUE);

    private JsonFields() {
    }

    /** Rejects any member not in {@code allowed}; a workload may never name itself in a body. */
    static void rejectUnknown(String prefix, Map<String, Object> object, Set<String> allowed) {
        for (String name : object.keySet()) {
            if (allowed.contains(name)) {
                continue;
            }
            String field = prefix + name;
            if ("workloadId".equals(name)) {
                throw new InvalidRequestException(field,
                        "workloadId must not be sent: the workload is the subject of the bearer token");
            }
            throw new InvalidRequestException(field, "unknown field '" + field + "'; allowed fields are "
                    + String.join(", ", new TreeSet<>(allowed)));
        }
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

    static long requiredWholeNumber(String field, Object value) {
        if (value == null) {
            throw new InvalidRequestException(field, field + " is required");
        }
        if (value instanceof Integer || value instanceof Long || value instanceof Short || value instanceof Byte) {
            return ((Number) value).longValue();
        }
        if (value instanceof BigInteger big && big.compareTo(LONG_MIN) >= 0 && big.compareTo(LONG_MAX) <= 0) {
            return big.longValue();
        }
        throw new InvalidRequestException(field, field + " must be a whole number");
    }

    /** An optional whole number: null when absent or JSON null. */
    static Long optionalWholeNumber(String field, Object value) {
        return value == null ? null : requiredWholeNumber(field, value);
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

    /** An optional boolean: {@code absent} when missing or JSON null. */
    static boolean optionalBoolean(String field, Object value, boolean absent) {
        return value == null ? absent : requiredBoolean(field, value);
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

    @SuppressWarnings("unchecked")
    static List<Object> requiredArray(String field, Object value) {
        if (value == null) {
            throw new InvalidRequestException(field, field + " is required");
        }
        if (!(value instanceof List<?> list)) {
            throw new InvalidRequestException(field, field + " must be an array");
        }
        return (List<Object>) list;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> requiredObject(String field, Object value) {
        if (!(value instanceof Map<?, ?> map)) {
            throw new InvalidRequestException(field, field + " must be an object");
        }
        return (Map<String, Object>) map;
    }
}
