package io.jitbroker.micronaut.http;

import io.micronaut.core.annotation.Order;
import io.micronaut.core.beans.BeanIntrospection;
import io.micronaut.core.beans.BeanProperty;
import io.micronaut.core.io.buffer.ByteBuffer;
import io.micronaut.core.type.Argument;
import io.micronaut.core.type.Headers;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Consumes;
import io.micronaut.http.body.MessageBodyReader;
import io.micronaut.http.codec.CodecException;
import io.micronaut.json.JsonMapper;
import io.micronaut.json.body.JsonMessageHandler;
import io.micronaut.json.tree.JsonNode;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.Collection;
import java.util.Map;
import java.util.TreeSet;

/**
 * Reads every {@link StrictJsonBody} in place of the framework's lenient JSON reader (which would take
 * {@code "30"} or {@code 1.5} for a whole number and ignore unknown fields): the body is parsed to a
 * JSON tree, its shape checked against the record's compile-time introspection, and only then bound.
 * A body that is not JSON is a 400 {@code malformed_json}; a field of the wrong type or an unknown field
 * is a 400 {@code invalid_request} naming it first, e.g. {@code resources[0].actions: must be an array}.
 */
@Singleton
@Consumes(MediaType.APPLICATION_JSON)
@Order(JsonMessageHandler.ORDER - 1)
public class StrictJsonBodyReader<B extends StrictJsonBody> implements MessageBodyReader<B> {

    static final String MALFORMED_JSON = "malformed_json";
    static final String BODY_REQUIRED = "the request body is required: a JSON object";
    private static final BigInteger LONG_MIN = BigInteger.valueOf(Long.MIN_VALUE);
    private static final BigInteger LONG_MAX = BigInteger.valueOf(Long.MAX_VALUE);

    private final JsonMapper jsonMapper;

    public StrictJsonBodyReader(JsonMapper jsonMapper) {
        this.jsonMapper = jsonMapper;
    }

    @Override
    public boolean isReadable(Argument<B> type, MediaType mediaType) {
        return StrictJsonBody.class.isAssignableFrom(type.getType());
    }

    @Override
    public B read(Argument<B> type, MediaType mediaType, Headers httpHeaders, ByteBuffer<?> byteBuffer) throws CodecException {
        return read(type, byteBuffer.toByteArray());
    }

    @Override
    public B read(Argument<B> type, MediaType mediaType, Headers httpHeaders, InputStream inputStream) throws CodecException {
        try {
            return read(type, inputStream.readAllBytes());
        } catch (IOException e) {
            throw new CodecException("the request body could not be read", e);
        }
    }

    /** Checks and binds {@code json}. @throws InvalidBodyException 400 naming what is wrong */
    public <T> T read(Argument<T> type, byte[] json) {
        JsonNode tree = tree(json);
        checkObject(tree, type.getType(), "");
        try {
            return jsonMapper.readValueFromTree(tree, type);
        } catch (IOException | RuntimeException e) {
            // The shape was checked, so this is not expected; the framework's words may name internals.
            throw InvalidBodyException.field("the request body does not fit the " + type.getSimpleName() + " schema");
        }
    }

    private JsonNode tree(byte[] json) {
        if (json.length == 0) {
            throw InvalidBodyException.malformedJson(BODY_REQUIRED);
        }
        JsonNode tree;
        try {
            tree = jsonMapper.readValue(json, Argument.of(JsonNode.class));
        } catch (IOException | RuntimeException e) {
            throw InvalidBodyException.malformedJson("the request body is not valid JSON");
        }
        if (tree == null || !tree.isObject()) {
            throw InvalidBodyException.malformedJson("the request body must be a JSON object");
        }
        return tree;
    }

    /** @param prefix how fields of this object are named in errors, e.g. {@code resources[0].} */
    private static void checkObject(JsonNode object, Class<?> type, String prefix) {
        BeanIntrospection<?> introspection = BeanIntrospection.getIntrospection(type);
        for (Map.Entry<String, JsonNode> field : object.entries()) {
            String path = prefix + field.getKey();
            BeanProperty<?, ?> property = introspection.getProperty(field.getKey()).orElseThrow(() ->
                    InvalidBodyException.field(path + ": unknown field; allowed fields are "
                            + String.join(", ", new TreeSet<>(Arrays.asList(introspection.getPropertyNames())))));
            check(field.getValue(), property.asArgument(), path);
        }
    }

    private static void check(JsonNode value, Argument<?> type, String path) {
        if (value.isNull()) {
            return; // whether it may be absent is bean validation's (@NotNull)
        }
        Class<?> javaType = type.getWrapperType();
        if (javaType == String.class) {
            require(value.isString(), path, "must be a string");
        } else if (javaType == Long.class || javaType == Integer.class) {
            require(isWholeNumber(value, javaType == Integer.class), path, "must be a whole number");
        } else if (javaType == Boolean.class) {
            require(value.isBoolean(), path, "must be true or false");
        } else if (Collection.class.isAssignableFrom(javaType)) {
            require(value.isArray(), path, "must be an array");
            Argument<?> element = type.getFirstTypeVariable().orElse(Argument.OBJECT_ARGUMENT);
            int i = 0;
            for (JsonNode item : value.values()) {
                check(item, element, path + "[" + i++ + "]");
            }
        } else if (StrictJsonBody.class.isAssignableFrom(javaType)) {
            require(value.isObject(), path, "must be an object");
            checkObject(value, javaType, path + ".");
        } else {
            throw new IllegalStateException(path + " is a " + javaType.getName() + ", which a StrictJsonBody cannot hold");
        }
    }

    private static boolean isWholeNumber(JsonNode value, boolean asInt) {
        if (!value.isNumber()) {
            return false;
        }
        Number number = value.getNumberValue();
        BigInteger whole;
        if (number instanceof Integer || number instanceof Long || number instanceof Short || number instanceof Byte) {
            whole = BigInteger.valueOf(number.longValue());
        } else if (number instanceof BigInteger big) {
            whole = big;
        } else {
            return false;
        }
        return asInt
                ? whole.bitLength() < Integer.SIZE
                : whole.compareTo(LONG_MIN) >= 0 && whole.compareTo(LONG_MAX) <= 0;
    }

    private static void require(boolean holds, String path, String what) {
        if (!holds) {
            throw InvalidBodyException.field(path + ": " + what);
        }
    }
}
