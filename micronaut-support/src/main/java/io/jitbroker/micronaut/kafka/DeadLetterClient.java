package io.jitbroker.micronaut.kafka;

import io.jitbroker.contracts.Topics;
import io.jitbroker.events.v1.DeadLetter;
import io.micronaut.configuration.kafka.annotation.KafkaClient;
import io.micronaut.configuration.kafka.annotation.KafkaKey;
import io.micronaut.configuration.kafka.annotation.Topic;
import io.micronaut.core.annotation.Nullable;

/** Writes dead letters, keyed by the original record's key; blocks until the broker has them (acks=all). */
@KafkaClient(id = "dead-letters", acks = KafkaClient.Acknowledge.ALL)
public interface DeadLetterClient {

    @Topic(Topics.Names.DEAD_LETTERS)
    void send(@KafkaKey @Nullable String originalKey, DeadLetter letter);
}
