package io.jitbroker.issuer.kafka;

import io.jitbroker.contracts.Topics;
import io.jitbroker.events.v1.RevocationEnforced;
import io.micronaut.configuration.kafka.annotation.KafkaClient;
import io.micronaut.configuration.kafka.annotation.KafkaKey;
import io.micronaut.configuration.kafka.annotation.Topic;

/** Writes RevocationEnforced events, keyed by grant id; blocks until the broker has acknowledged (acks=all). */
@KafkaClient(id = "issuer-service-enforcements", acks = KafkaClient.Acknowledge.ALL)
public interface EnforcementEventsClient {

    @Topic(Topics.Names.ENFORCEMENTS)
    void send(@KafkaKey String grantId, RevocationEnforced event);
}
