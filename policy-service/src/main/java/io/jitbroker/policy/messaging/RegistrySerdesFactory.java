package io.jitbroker.policy.messaging;

import io.jitbroker.schemas.RegistrySerdes;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Value;
import jakarta.inject.Singleton;

/** The one {@link RegistrySerdes} of this service: every topic's Avro goes through the schema registry. */
@Factory
public class RegistrySerdesFactory {

    @Singleton
    RegistrySerdes registrySerdes(@Value("${jit.schema-registry.url}") String registryUrl) {
        return new RegistrySerdes(registryUrl);
    }
}
