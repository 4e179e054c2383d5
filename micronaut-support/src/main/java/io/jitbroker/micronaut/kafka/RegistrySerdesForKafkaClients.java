package io.jitbroker.micronaut.kafka;

import io.jitbroker.kafka.RegistrySerdes;
import io.jitbroker.kafka.TraceContextProducerInterceptor;
import io.micronaut.configuration.kafka.config.AbstractKafkaConsumerConfiguration;
import io.micronaut.configuration.kafka.config.AbstractKafkaProducerConfiguration;
import io.micronaut.context.event.BeanCreatedEvent;
import io.micronaut.context.event.BeanCreatedEventListener;
import jakarta.inject.Singleton;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Gives every micronaut-kafka consumer and producer the project's one serde configuration
 * ({@link RegistrySerdes}): String keys, Avro values through the schema registry in the Confluent
 * wire format. Taken from the shared class rather than restated in YAML, so it cannot drift. Every
 * producer writes through the service's one shared serializer.
 */
final class RegistrySerdesForKafkaClients {

    private RegistrySerdesForKafkaClients() {
    }

    @Singleton
    @SuppressWarnings("rawtypes")
    static final class Consumers implements BeanCreatedEventListener<AbstractKafkaConsumerConfiguration> {

        private final RegistrySerdes serdes;

        Consumers(RegistrySerdes serdes) {
            this.serdes = serdes;
        }

        @Override
        public AbstractKafkaConsumerConfiguration onCreated(BeanCreatedEvent<AbstractKafkaConsumerConfiguration> event) {
            AbstractKafkaConsumerConfiguration configuration = event.getBean();
            configuration.getConfig().putAll(serdes.consumerConfig());
            // The Streams services write transactionally: never act on an aborted or uncommitted record.
            configuration.getConfig().put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
            configuration.getConfig().put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
            return configuration;
        }
    }

    @Singleton
    @SuppressWarnings("rawtypes")
    static final class Producers implements BeanCreatedEventListener<AbstractKafkaProducerConfiguration> {

        private final RegistrySerdes serdes;

        Producers(RegistrySerdes serdes) {
            this.serdes = serdes;
        }

        @Override
        public AbstractKafkaProducerConfiguration onCreated(BeanCreatedEvent<AbstractKafkaProducerConfiguration> event) {
            AbstractKafkaProducerConfiguration configuration = event.getBean();
            configuration.getConfig().putAll(serdes.producerConfig());
            // One serializer whose schemas are resolved before the service is ready (RegistrySerdes#warmUp).
            configuration.setKeySerializer(new StringSerializer());
            configuration.setValueSerializer(serdes.sharedValueSerializer());
            configuration.getConfig().put(ProducerConfig.ACKS_CONFIG, "all");
            configuration.getConfig().put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
            // Each record carries the trace context of the span it was sent from.
            configuration.getConfig().putAll(TraceContextProducerInterceptor.CONFIG);
            return configuration;
        }
    }
}
