package io.jitbroker.kafka;

import io.apicurio.registry.resolver.SchemaResolverConfig;
import io.apicurio.registry.serde.Legacy4ByteIdHandler;
import io.jitbroker.contracts.Topic;
import io.apicurio.registry.serde.SerdeConfig;
import io.apicurio.registry.serde.avro.AvroKafkaDeserializer;
import io.apicurio.registry.serde.avro.AvroKafkaSerdeConfig;
import io.apicurio.registry.serde.avro.AvroKafkaSerializer;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The one serde configuration every service shares: Avro values written through the schema
 * registry in the Confluent wire format (magic byte 0, 4-byte schema id, Avro binary), so any
 * consumer with a Confluent-compatible registry client can read our topics.
 */
public final class RegistrySerdes {

    /** Package of the generated event classes; Avro refuses to instantiate classes outside trusted packages. */
    public static final String EVENTS_PACKAGE = "io.jitbroker.events.v1";
    private static final String SERIALIZABLE_PACKAGES = "org.apache.avro.SERIALIZABLE_PACKAGES";

    static {
        trustEventsPackage();
    }

    /** How long a looked-up schema is kept: for ever, in effect (see {@link #registryConfig()}). */
    static final Duration SCHEMA_CACHE_LIFETIME = Duration.ofDays(3650);

    private final String registryUrl;
    private AvroKafkaSerializer<SpecificRecord> sharedSerializer;

    /**
     * @param registryUrl the registry's native API, e.g. {@code http://127.0.0.1:8085/apis/registry/v2}
     */
    public RegistrySerdes(String registryUrl) {
        this.registryUrl = Objects.requireNonNull(registryUrl, "registryUrl");
    }

    /**
     * Adds the events package to Avro's trusted packages. Must run before Avro's readers are
     * first loaded; services also call it first thing in main.
     */
    public static void trustEventsPackage() {
        String current = System.getProperty(SERIALIZABLE_PACKAGES);
        if (current == null || current.isBlank()) {
            System.setProperty(SERIALIZABLE_PACKAGES,
                    "java.lang,java.math,java.io,java.net,org.apache.avro.reflect," + EVENTS_PACKAGE);
        } else if (!current.contains(EVENTS_PACKAGE)) {
            System.setProperty(SERIALIZABLE_PACKAGES, current + "," + EVENTS_PACKAGE);
        }
    }

    public String registryUrl() {
        return registryUrl;
    }

    /** Registry settings shared by serializers and deserializers, as Kafka client properties. */
    public Map<String, Object> registryConfig() {
        Map<String, Object> config = new HashMap<>();
        config.put(SerdeConfig.REGISTRY_URL, registryUrl);
        // Producers never register: the deploy step does (SchemaDeployment), under the registry's
        // compatibility rule. A serializer looks its schema up by content, and fails if it is not there.
        config.put(SerdeConfig.AUTO_REGISTER_ARTIFACT, false);
        config.put(SerdeConfig.RETRY_COUNT, 5);
        config.put(SerdeConfig.RETRY_BACKOFF_MS, 200);
        // Confluent wire format: id in the payload, not in headers, and the id is the content id
        // that the Confluent-compatible API knows. Producers and consumers must agree on this.
        config.put(SerdeConfig.ENABLE_CONFLUENT_ID_HANDLER, true);
        // The 4-byte handler is what as-confluent means; naming it avoids a "duplicate id-handler" warning.
        config.put(SerdeConfig.ID_HANDLER, Legacy4ByteIdHandler.class.getName());
        config.put(SerdeConfig.USE_ID, "contentId");
        config.put(SerdeConfig.ENABLE_HEADERS, false);
        config.put(AvroKafkaSerdeConfig.USE_SPECIFIC_AVRO_READER, true);
        config.put(AvroKafkaSerdeConfig.AVRO_DATUM_PROVIDER, CachingAvroDatumProvider.class.getName());
        config.put(SerdeConfig.SCHEMA_RESOLVER, CachingSchemaResolver.class.getName());
        // What we look up never changes: a content id for a content, a content for a content id (we
        // never ask for "latest"). Apicurio's default reloads each after 30 s: a new schema object
        // for every reader cache, and, with the registry down, every record failing after 5 retries.
        config.put(SerdeConfig.CHECK_PERIOD_MS, SCHEMA_CACHE_LIFETIME.toMillis());
        config.put(SchemaResolverConfig.FAULT_TOLERANT_REFRESH, true);
        return config;
    }

    /** Producer properties: String keys, registry-backed Avro values. */
    public Map<String, Object> producerConfig() {
        Map<String, Object> config = registryConfig();
        config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, CachingAvroSerializer.class.getName());
        return config;
    }

    /** Consumer properties: String keys, registry-backed Avro values decoded as generated classes. */
    public Map<String, Object> consumerConfig() {
        Map<String, Object> config = registryConfig();
        config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, AvroKafkaDeserializer.class.getName());
        return config;
    }

    /** A value serde that writes and reads {@code topic}'s type through the registry, for Kafka Streams. */
    public <V extends SpecificRecord> Serde<V> valueSerde(Topic<V> topic) {
        return valueSerde();
    }

    /**
     * A configured value serde for Kafka Streams: public topics' schemas are looked up, the app's
     * internal topics register their own ({@link StreamsValueSerializer}).
     */
    public <V extends SpecificRecord> Serde<V> valueSerde() {
        AvroKafkaSerializer<V> registering = new CachingAvroSerializer<>();
        Map<String, Object> config = registryConfig();
        config.put(SerdeConfig.AUTO_REGISTER_ARTIFACT, true);
        registering.configure(config, false);
        return Serdes.serdeFrom(new StreamsValueSerializer<>(valueSerializer(), registering), valueDeserializer());
    }

    /** A configured value serializer for plain producers. */
    public <V extends SpecificRecord> AvroKafkaSerializer<V> valueSerializer() {
        AvroKafkaSerializer<V> serializer = new CachingAvroSerializer<>();
        serializer.configure(registryConfig(), false);
        return serializer;
    }

    /**
     * One value serializer for every producer of a service: {@link #warmUp} resolves its schemas
     * before the service reports ready, so that no record on the path of a request waits for the
     * registry, and a burst of first records cannot send the registry a burst of lookups. Closing a
     * producer does not close it.
     */
    @SuppressWarnings("unchecked")
    public synchronized <V extends SpecificRecord> Serializer<V> sharedValueSerializer() {
        if (sharedSerializer == null) {
            sharedSerializer = valueSerializer();
        }
        AvroKafkaSerializer<SpecificRecord> shared = sharedSerializer;
        return new Serializer<>() {
            @Override
            public byte[] serialize(String topic, V data) {
                return shared.serialize(topic, data);
            }

            @Override
            public byte[] serialize(String topic, Headers headers, V data) {
                return shared.serialize(topic, headers, data);
            }

            @Override
            public void close() {
                // shared: it lives as long as this RegistrySerdes
            }
        };
    }

    /** Resolves each topic's value schema in the shared serializer (see {@link #sharedValueSerializer}). */
    public void warmUp(Collection<? extends Topic<?>> topics) {
        sharedValueSerializer();
        for (Topic<?> topic : topics) {
            SchemaRegistration.resolve(sharedSerializer.getSchemaResolver(), topic);
        }
    }

    /** A configured value deserializer for plain consumers. */
    public <V extends SpecificRecord> AvroKafkaDeserializer<V> valueDeserializer() {
        AvroKafkaDeserializer<V> deserializer = new AvroKafkaDeserializer<>();
        deserializer.configure(registryConfig(), false);
        return deserializer;
    }
}
