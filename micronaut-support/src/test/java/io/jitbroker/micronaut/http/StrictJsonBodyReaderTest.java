package io.jitbroker.micronaut.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.micronaut.context.ApplicationContext;
import io.micronaut.context.env.Environment;
import io.micronaut.core.type.Argument;
import io.micronaut.http.MediaType;
import io.micronaut.http.body.MessageBodyHandlerRegistry;
import io.micronaut.http.body.MessageBodyReader;
import io.micronaut.serde.ObjectMapper;
import io.micronaut.serde.annotation.Serdeable;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class StrictJsonBodyReaderTest {

    @Serdeable
    record Item(String type, List<String> actions) implements StrictJsonBody {
    }

    @Serdeable
    record Body(String name, Long count, Integer small, Boolean flag, List<Item> items) implements StrictJsonBody {
    }

    private final StrictJsonBodyReader<Body> reader = new StrictJsonBodyReader<>(ObjectMapper.getDefault());

    private Body read(String json) {
        return reader.read(Argument.of(Body.class), json.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void shouldBeTheReaderTheFrameworkPicksWhenABodyIsAStrictJsonBody() {
        try (ApplicationContext context = ApplicationContext.builder().deduceEnvironment(false).environments(Environment.TEST).start()) {
            // given
            MessageBodyHandlerRegistry registry = context.getBean(MessageBodyHandlerRegistry.class);

            // when
            MessageBodyReader<Body> reader = registry.findReader(Argument.of(Body.class), List.of(MediaType.APPLICATION_JSON_TYPE))
                    .orElseThrow();

            // then
            assertInstanceOf(StrictJsonBodyReader.class, reader);
        }
    }

    @Test
    void shouldLeaveOtherBodiesToTheFrameworkWhenTheyAreNoStrictJsonBody() {
        try (ApplicationContext context = ApplicationContext.builder().deduceEnvironment(false).environments(Environment.TEST).start()) {
            // given
            MessageBodyHandlerRegistry registry = context.getBean(MessageBodyHandlerRegistry.class);

            // when
            MessageBodyReader<Map> reader = registry.findReader(Argument.of(Map.class), List.of(MediaType.APPLICATION_JSON_TYPE))
                    .orElseThrow();

            // then
            assertFalse(reader instanceof StrictJsonBodyReader, reader.getClass().getName());
        }
    }

    @Test
    void shouldBindWhenEveryFieldHasItsType() {
        // when
        Body body = read("{\"name\":\"n\",\"count\":9007199254740993,\"small\":-3,\"flag\":false,"
                + "\"items\":[{\"type\":\"http\",\"actions\":[\"read\"]}]}");

        // then
        assertEquals(new Body("n", 9007199254740993L, -3, false, List.of(new Item("http", List.of("read")))), body);
    }

    @Test
    void shouldLeaveMissingAndNullFieldsToBeanValidationWhenReading() {
        // when
        Body body = read("{\"name\":null,\"items\":[{\"type\":null}]}");

        // then
        assertEquals(new Body(null, null, null, null, List.of(new Item(null, null))), body);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "{\"count\":\"30\"}                       | count: must be a whole number",
        "{\"count\":1.5}                          | count: must be a whole number",
        "{\"count\":true}                         | count: must be a whole number",
        "{\"count\":99999999999999999999}         | count: must be a whole number",
        "{\"small\":2147483648}                   | small: must be a whole number",
        "{\"flag\":\"true\"}                      | flag: must be true or false",
        "{\"flag\":1}                             | flag: must be true or false",
        "{\"name\":42}                            | name: must be a string",
        "{\"name\":[\"a\"]}                       | name: must be a string",
        "{\"items\":\"db\"}                       | items: must be an array",
        "{\"items\":[\"db\"]}                     | items[0]: must be an object",
        "{\"items\":[{\"actions\":\"read\"}]}     | items[0].actions: must be an array",
        "{\"items\":[{\"actions\":[\"a\",7]}]}    | items[0].actions[1]: must be a string",
        "{\"priority\":\"high\"}                  | priority: unknown field; allowed fields are count, flag, items, name, small",
        "{\"items\":[{\"scope\":\"all\"}]}        | items[0].scope: unknown field; allowed fields are actions, type"})
    void shouldAnswer400NamingTheFieldWhenItHasAnotherTypeOrIsUnknown(String json, String message) {
        // when
        InvalidBodyException error = assertThrows(InvalidBodyException.class, () -> read(json));

        // then
        assertEquals(400, error.status().getCode());
        assertEquals(new ApiError("invalid_request", message), error.error());
    }

    @ParameterizedTest(name = "[{0}]")
    @ValueSource(strings = {"", "{\"name\": \"n\", ", "[1]", "\"text\"", "null", "not json"})
    void shouldAnswer400MalformedJsonWhenTheBodyIsNotAJsonObject(String json) {
        // when
        InvalidBodyException error = assertThrows(InvalidBodyException.class, () -> read(json));

        // then
        assertEquals(400, error.status().getCode());
        assertEquals("malformed_json", error.error().error());
    }
}
