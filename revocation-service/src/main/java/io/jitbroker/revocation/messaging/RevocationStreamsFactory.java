package io.jitbroker.revocation.messaging;

import io.jitbroker.revocation.topology.RevocationMetrics;
import io.jitbroker.schemas.RegistrySerdes;
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

    @Singleton
    RevocationMetrics revocationMetrics(MeterRegistry meterRegistry) {
        return new RevocationMetrics(meterRegistry);
    }
}
