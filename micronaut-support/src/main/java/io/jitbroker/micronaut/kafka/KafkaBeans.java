package io.jitbroker.micronaut.kafka;

import io.jitbroker.kafka.KafkaClientSecurity;
import io.jitbroker.kafka.KafkaTracing;
import io.jitbroker.kafka.RegistrySerdes;
import io.opentelemetry.api.OpenTelemetry;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Value;
import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;

/**
 * The one {@link RegistrySerdes} of a service ({@code jit.schema-registry.url}: every topic's Avro
 * goes through the schema registry) and how every Kafka client it builds itself logs in
 * ({@code kafka.security.protocol}, {@code kafka.sasl.*}, the keys micronaut-kafka's clients read too),
 * and its {@link KafkaTracing}.
 */
@Factory
public class KafkaBeans {

    @Singleton
    RegistrySerdes registrySerdes(@Value("${jit.schema-registry.url}") String registryUrl) {
        return new RegistrySerdes(registryUrl);
    }

    /** Trace context in and out of records, with the service's OpenTelemetry (micronaut-tracing; exporter off by default). */
    @Singleton
    KafkaTracing kafkaTracing(OpenTelemetry openTelemetry) {
        return new KafkaTracing(openTelemetry);
    }

    @Singleton
    KafkaClientSecurity kafkaClientSecurity(@Value("${kafka.security.protocol:PLAINTEXT}") String protocol,
                                            @Nullable @Value("${kafka.sasl.mechanism:}") String mechanism,
                                            @Nullable @Value("${kafka.sasl.jaas.config:}") String jaasConfig) {
        return new KafkaClientSecurity(protocol, mechanism, jaasConfig);
    }
}
