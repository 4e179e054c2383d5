package io.jitbroker.policy.messaging;

import io.jitbroker.schemas.RegistrySerdes;
import io.micronaut.configuration.kafka.config.AbstractKafkaConsumerConfiguration;
import io.micronaut.context.annotation.Value;
import io.micronaut.context.event.BeanCreatedEvent;
import io.micronaut.context.event.BeanCreatedEventListener;
import jakarta.inject.Singleton;

/**
 * Gives every Kafka consumer of this service the shared registry serde settings of
 * {@link RegistrySerdes} (String keys, Avro values through the schema registry, read as the
 * generated event classes), so they are written in one place for all services.
 */
@Singleton
public class RegistryConsumerConfigurer implements BeanCreatedEventListener<AbstractKafkaConsumerConfiguration<?, ?>> {

    private final RegistrySerdes serdes;

    public RegistryConsumerConfigurer(@Value("${jit.schema-registry.url}") String registryUrl) {
        this.serdes = new RegistrySerdes(registryUrl);
    }

    @Override
    public AbstractKafkaConsumerConfiguration<?, ?> onCreated(BeanCreatedEvent<AbstractKafkaConsumerConfiguration<?, ?>> event) {
        AbstractKafkaConsumerConfiguration<?, ?> configuration = event.getBean();
        configuration.getConfig().putAll(serdes.consumerConfig());
        return configuration;
    }
}
