package io.jitbroker.issuer.kafka;

import io.jitbroker.contracts.Topics;
import io.jitbroker.events.v1.GrantIssued;
import io.micronaut.configuration.kafka.annotation.KafkaClient;
import io.micronaut.configuration.kafka.annotation.KafkaKey;
import io.micronaut.configuration.kafka.annotation.Topic;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.RecordMetadata;

/**
 * Writes GrantIssued events, keyed by grant id, without waiting: the future completes when the broker
 * has acknowledged (acks=all), so a batch of grants is announced together.
 */
@KafkaClient(id = "issuer-service-grants", acks = KafkaClient.Acknowledge.ALL)
public interface GrantEventsClient {

    @Topic(Topics.Names.GRANTS)
    Future<RecordMetadata> send(@KafkaKey String grantId, GrantIssued event);
}
