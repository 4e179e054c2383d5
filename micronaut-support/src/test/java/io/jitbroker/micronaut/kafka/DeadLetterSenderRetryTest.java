package io.jitbroker.micronaut.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.apicurio.registry.rest.client.exception.RestClientException;
import io.apicurio.registry.rest.v2.beans.Error;
import io.micronaut.configuration.kafka.exceptions.KafkaListenerException;
import io.micronaut.configuration.kafka.retry.ConditionalRetryBehaviourHandler.ConditionalRetryBehaviour;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RecordDeserializationException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;

/** Which listener failures are read again and which are dead-lettered at once. */
class DeadLetterSenderRetryTest {

    @Test
    void shouldSkipRecordThatCannotBeDecoded() {
        // when
        ConditionalRetryBehaviour behaviour = DeadLetterSender.retryBehaviour(failedDecoding(
                new SerializationException("Unknown magic byte!")));

        // then: it goes to the dead-letter topic
        assertEquals(ConditionalRetryBehaviour.SKIP, behaviour);
    }

    @Test
    void shouldReadRecordAgainWhenRegistryDidNotAnswer() {
        // given: Apicurio's client for a registry it could not reach (no HTTP status)
        RestClientException unreachable = new RestClientException(new Error());

        // when
        ConditionalRetryBehaviour behaviour = DeadLetterSender.retryBehaviour(failedDecoding(unreachable));

        // then: a revocation is not skipped because the registry was down
        assertEquals(ConditionalRetryBehaviour.RETRY, behaviour);
    }

    @Test
    void shouldRetryFailureAfterDecoding() {
        // when
        ConditionalRetryBehaviour behaviour = DeadLetterSender.retryBehaviour(
                new KafkaListenerException("database down", new IllegalStateException("no connection"), this, null, null));

        // then
        assertEquals(ConditionalRetryBehaviour.RETRY, behaviour);
    }

    private KafkaListenerException failedDecoding(Throwable cause) {
        RecordDeserializationException undecodable = new RecordDeserializationException(
                RecordDeserializationException.DeserializationExceptionOrigin.VALUE, new TopicPartition("jit.revocations.v1", 2),
                17, 0, TimestampType.CREATE_TIME, null, null, null, "Error deserializing VALUE", cause);
        return new KafkaListenerException(undecodable.getMessage(), undecodable, this, null, null);
    }
}
