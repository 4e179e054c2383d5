package io.jitbroker.kafka;

import io.apicurio.registry.resolver.SchemaResolver;
import io.apicurio.registry.serde.SerdeConfig;
import io.apicurio.registry.serde.avro.AvroKafkaSerializer;
import io.apicurio.registry.serde.data.KafkaSerdeMetadata;
import io.apicurio.registry.serde.data.KafkaSerdeRecord;
import io.jitbroker.contracts.Topic;
import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Registers the value schema of each topic under {@code <topic>-value} (the subject the serdes look
 * up), once, before anything produces: a registry asked for concurrent first registrations by many
 * clients at once can fail them (Apicurio's in-memory store aborts one and may leave the subject
 * unusable), and a registration belongs to a deploy, not to the path of a request. One schema at a
 * time, each retried until the deadline; registering a schema that is already there changes nothing,
 * so a serializer's own first registration afterwards only reads the schema back.
 */
public final class SchemaRegistration {

    private static final Logger LOG = LoggerFactory.getLogger(SchemaRegistration.class);
    private static final Duration FIRST_BACKOFF = Duration.ofMillis(200);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(2);

    private SchemaRegistration() {
    }

    /** The subject of a topic's value schema (Apicurio's TopicIdStrategy, Confluent's TopicNameStrategy). */
    public static String subject(Topic<?> topic) {
        return topic.name() + "-value";
    }

    /**
     * @param registryUrl the registry's native API, e.g. {@code http://127.0.0.1:8085/apis/registry/v2}
     * @return each topic's registered content id (what the wire format carries), by topic name
     * @throws IllegalStateException when a schema could not be registered before the deadline
     */
    public static Map<String, Long> registerAll(String registryUrl, Collection<? extends Topic<?>> topics, Duration timeout)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        Map<String, Object> config = new RegistrySerdes(registryUrl).registryConfig();
        config.put(SerdeConfig.AUTO_REGISTER_ARTIFACT, true);
        Map<String, Long> contentIds = new LinkedHashMap<>();
        // The serializer's own resolver registers exactly what a serializer looks up later: the record's
        // schema with its named types as references (Apicurio stores those as artifacts of their own).
        try (AvroKafkaSerializer<SpecificRecord> registering = new CachingAvroSerializer<>()) {
            registering.configure(config, false);
            for (Topic<?> topic : topics) {
                contentIds.put(topic.name(), register(registering.getSchemaResolver(), topic, deadline));
            }
        }
        LOG.info("value schemas of {} topics registered", contentIds.size());
        return contentIds;
    }

    private static long register(SchemaResolver<Schema, SpecificRecord> resolver, Topic<?> topic, long deadline)
            throws InterruptedException {
        Backoff backoff = new Backoff(FIRST_BACKOFF, MAX_BACKOFF);
        while (true) {
            try {
                long contentId = resolve(resolver, topic);
                LOG.debug("schema of {} has content id {}", topic, contentId);
                return contentId;
            } catch (RuntimeException e) {
                resolver.reset();
                Duration delay = backoff.next();
                if (System.nanoTime() + delay.toNanos() > deadline) {
                    throw new IllegalStateException("could not register the value schema of " + topic + ": " + e, e);
                }
                LOG.warn("registering the value schema of {} failed ({}); retrying in {} ms", topic, e.toString(),
                        delay.toMillis());
                Thread.sleep(delay.toMillis());
            }
        }
    }

    /**
     * Resolves {@code topic}'s value schema the way a serializer does on its first record, and leaves it
     * in the resolver's cache; returns its content id.
     */
    static long resolve(SchemaResolver<Schema, SpecificRecord> resolver, Topic<?> topic) {
        Schema schema = SpecificData.get().getSchema(topic.valueType());
        // An empty instance: only its schema is read.
        SpecificRecord sample = (SpecificRecord) SpecificData.get().newRecord(null, schema);
        return resolver.resolveSchema(new KafkaSerdeRecord<>(new KafkaSerdeMetadata(topic.name(), false, null), sample))
                .getContentId();
    }
}
