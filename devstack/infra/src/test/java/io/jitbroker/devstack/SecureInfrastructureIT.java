package io.jitbroker.devstack;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.jitbroker.contracts.Topics;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

class SecureInfrastructureIT {

    @Test
    void shouldLetServiceWriteItsTopicWhenConfiguredFromItsServiceEnvironment() throws Exception {
        // given
        Infrastructure.Options options = Infrastructure.Options.forTests().withoutPostgres()
                .withKafkaSecurity(KafkaSecurity.withRandomPasswords(KafkaAccess.aclBindings()));
        try (Infrastructure infra = Infrastructure.start(options)) {
            infra.kafka().createTopics(KafkaAccess.topics().stream().toList(), 1);
            Map<String, String> env = infra.serviceEnvironment(KafkaAccess.ISSUER_SERVICE);

            // when: a client configured the way a service reads its environment
            Map<String, Object> config = Map.of(
                    CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, env.get("KAFKA_BOOTSTRAP_SERVERS"),
                    CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, env.get("KAFKA_SECURITY_PROTOCOL"),
                    SaslConfigs.SASL_MECHANISM, env.get("KAFKA_SASL_MECHANISM"),
                    SaslConfigs.SASL_JAAS_CONFIG, env.get("KAFKA_SASL_JAAS_CONFIG"));
            try (KafkaProducer<String, String> issuer = new KafkaProducer<>(config, new StringSerializer(), new StringSerializer())) {
                var written = issuer.send(new ProducerRecord<>(Topics.Names.GRANTS, "grant-1", "issued"))
                        .get(10, TimeUnit.SECONDS);

                // then
                assertEquals(Topics.Names.GRANTS, written.topic());
            }
        }
    }
}
