package io.jitbroker.policy.messaging;

import io.jitbroker.schemas.KafkaClientSecurity;
import io.jitbroker.schemas.RegistrySerdes;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Value;
import jakarta.inject.Singleton;

/**
 * The one {@link RegistrySerdes} of this service (every topic's Avro goes through the schema
 * registry) and how its Kafka clients log in.
 */
@Factory
public class RegistrySerdesFactory {

    @Singleton
    KafkaClientSecurity kafkaClientSecurity(@Value("${kafka.security.protocol:PLAINTEXT}") String protocol,
                                            @Nullable @Value("${kafka.sasl.mechanism:}") String mechanism,
                                            @Nullable @Value("${kafka.sasl.jaas.config:}") String jaasConfig) {
        return new KafkaClientSecurity(protocol, mechanism, jaasConfig);
    }

    @Singleton
    RegistrySerdes registrySerdes(@Value("${jit.schema-registry.url}") String registryUrl) {
        return new RegistrySerdes(registryUrl);
    }
}
