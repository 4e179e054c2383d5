package io.jitbroker.streams;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.apicurio.registry.rest.client.exception.RestClientException;
import io.apicurio.registry.rest.v2.beans.Error;
import io.jitbroker.contracts.Topics;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.DeserializationExceptionHandler.Result;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class DeadLetterOnDeserializationErrorTest {

    private final List<String> counted = new ArrayList<>();
    private final DeadLetterOnDeserializationError handler = new DeadLetterOnDeserializationError();
    private final ConsumerRecord<byte[], byte[]> record = new ConsumerRecord<>("jit.task-events.v1", 1, 42,
            "task-7".getBytes(StandardCharsets.UTF_8), new byte[]{0, 0, 0, 0, 9, 1});

    @BeforeEach
    void configure() {
        var config = new java.util.HashMap<String, Object>(DeadLetterOnDeserializationError.streamsConfig(
                (topic, letter) -> letter.getReason().getBytes(StandardCharsets.UTF_8), counted::add));
        config.put(StreamsConfig.APPLICATION_ID_CONFIG, "revocation-service.v1");
        handler.configure(config);
    }

    @Test
    void shouldDeadLetterAndContinueWhenRecordCannotBeDecoded() {
        // when
        var response = handler.handleError(null, record, new SerializationException("Unknown magic byte!"));

        // then
        assertEquals(Result.RESUME, response.result());
        assertEquals(Topics.DEAD_LETTERS.name(), response.deadLetterQueueRecords().get(0).topic());
        assertEquals(List.of("jit.task-events.v1"), counted);
    }

    @Test
    void shouldFailRatherThanSkipWhenRegistryDidNotAnswer() {
        // given: what Apicurio's client throws for a registry it cannot reach, and for one failing with 503
        RestClientException unreachable = new RestClientException(new Error());
        Error unavailable = new Error();
        unavailable.setErrorCode(503);

        // when
        var whenUnreachable = handler.handleError(null, record, new SerializationException("lookup failed", unreachable));
        var whenFailing = handler.handleError(null, record, new RestClientException(unavailable));

        // then: the thread is replaced and the record read again; nothing dead-lettered
        assertEquals(Result.FAIL, whenUnreachable.result());
        assertEquals(Result.FAIL, whenFailing.result());
        assertEquals(List.of(), counted);
    }

    @Test
    void shouldDeadLetterWhenRegistryDoesNotKnowTheSchema() {
        // given
        Error notFound = new Error();
        notFound.setErrorCode(404);

        // when
        var response = handler.handleError(null, record, new RestClientException(notFound));

        // then
        assertEquals(Result.RESUME, response.result());
        assertEquals(List.of("jit.task-events.v1"), counted);
    }
}
