package io.jitbroker.request.kafka;

import io.micronaut.configuration.kafka.annotation.KafkaClient;
import io.micronaut.configuration.kafka.annotation.KafkaKey;
import io.micronaut.configuration.kafka.annotation.Topic;
import io.micronaut.core.annotation.Nullable;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.RecordMetadata;

/**
 * The one producer of request-service (settings: kafka.producers.default). Blocks until the broker
 * has the record (acks=all), so a caller knows it was published before it answers or commits.
 * Callers name topics from {@link io.jitbroker.contracts.Topics}; {@link EventPublisher} is the only caller.
 */
@KafkaClient(id = "request-service", acks = KafkaClient.Acknowledge.ALL)
public interface EventsClient {

    RecordMetadata send(@Topic String topic, @KafkaKey @Nullable String key, SpecificRecord value);
}
