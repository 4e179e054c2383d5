package io.jitbroker.issuer.kafka;

import io.jitbroker.contracts.Topics;
import io.jitbroker.events.v1.RevocationEnforced;
import io.micronaut.configuration.kafka.annotation.KafkaClient;
import io.micronaut.configuration.kafka.annotation.KafkaKey;
import io.micronaut.configuration.kafka.annotation.Topic;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.RecordMetadata;

/**
 * Writes RevocationEnforced events, keyed by grant id, without waiting: the future completes when the
 * broker has acknowledged (acks=all).
 */
@KafkaClient(id = "issuer-service-enforcements", acks = KafkaClient.Acknowledge.ALL)
public interface EnforcementEventsClient {

    @Topic(Topics.Names.ENFORCEMENTS)
    Future<RecordMetadata> send(@KafkaKey String grantId, RevocationEnforced event);
}
