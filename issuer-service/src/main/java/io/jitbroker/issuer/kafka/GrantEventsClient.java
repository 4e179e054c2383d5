package io.jitbroker.issuer.kafka;

import io.jitbroker.contracts.Topics;
import io.jitbroker.events.v1.GrantIssued;
import io.micronaut.configuration.kafka.annotation.KafkaClient;
import io.micronaut.configuration.kafka.annotation.KafkaKey;
import io.micronaut.configuration.kafka.annotation.Topic;

/** Writes GrantIssued events, keyed by grant id; blocks until the broker has acknowledged (acks=all). */
@KafkaClient(id = "issuer-service-grants", acks = KafkaClient.Acknowledge.ALL)
public interface GrantEventsClient {

    @Topic(Topics.Names.GRANTS)
    void send(@KafkaKey String grantId, GrantIssued event);
}
