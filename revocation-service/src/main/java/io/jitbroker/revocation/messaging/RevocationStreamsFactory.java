package io.jitbroker.revocation.messaging;

import io.jitbroker.revocation.topology.RevocationMetrics;
import io.jitbroker.schemas.KafkaClientSecurity;
import io.jitbroker.schemas.RegistrySerdes;
import io.micronaut.core.annotation.Nullable;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Property;
import jakarta.inject.Singleton;

/** The framework-free collaborators of the topology, as beans. */
@Factory
public class RevocationStreamsFactory {

    @Singleton
    RegistrySerdes registrySerdes(@Property(name = "schema-registry.url") String registryUrl) {
        return new RegistrySerdes(registryUrl);
    }

    /** How the revoker's Kafka clients log in (see docs/ARCHITECTURE.md, Kafka security). */
    @Singleton
    KafkaClientSecurity kafkaClientSecurity(@Property(name = "kafka.security.protocol") String protocol,
                                            @Nullable @Property(name = "kafka.sasl.mechanism") String mechanism,
                                            @Nullable @Property(name = "kafka.sasl.jaas.config") String jaasConfig) {
        return new KafkaClientSecurity(protocol, mechanism, jaasConfig);
    }

    @Singleton
    RevocationMetrics revocationMetrics(MeterRegistry meterRegistry) {
        return new RevocationMetrics(meterRegistry);
    }
}
