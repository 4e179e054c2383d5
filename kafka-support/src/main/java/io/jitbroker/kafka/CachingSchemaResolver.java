package io.jitbroker.kafka;

import io.apicurio.registry.resolver.DefaultSchemaResolver;
import io.apicurio.registry.resolver.SchemaLookupResult;
import io.apicurio.registry.resolver.data.Record;
import io.apicurio.registry.serde.data.KafkaSerdeMetadata;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericContainer;

/**
 * Apicurio's schema resolver, remembering its answer per topic and schema. Apicurio's own cache is
 * keyed by the schema's text: for every record it writes, it copies the schema's bytes into a new
 * String and hashes all of it (a tenth of the revoker's stream thread in a mass expiry). Our records
 * are generated classes, one schema object each, and a content id never changes, so the answer for
 * (topic, schema) is looked up once. A failed lookup is not remembered; {@link #reset()} forgets all.
 * Public: Apicurio instantiates it by name ({@link RegistrySerdes#registryConfig()}).
 */
public final class CachingSchemaResolver<U> extends DefaultSchemaResolver<Schema, U> {

    private record Key(String topic, boolean isKey, Schema schema) {
    }

    private final Map<Key, SchemaLookupResult<Schema>> resolved = new ConcurrentHashMap<>();

    @Override
    public SchemaLookupResult<Schema> resolveSchema(Record<U> data) {
        if (!(data.metadata() instanceof KafkaSerdeMetadata metadata)
                || metadata.artifactReference() != null
                || !(data.payload() instanceof GenericContainer container)) {
            return super.resolveSchema(data); // an explicit reference, or a primitive: as Apicurio does
        }
        Key key = new Key(metadata.getTopic(), metadata.isKey(), container.getSchema());
        SchemaLookupResult<Schema> result = resolved.get(key);
        if (result == null) {
            // Not computeIfAbsent: the lookup is a remote call, and must not block other keys' readers.
            result = super.resolveSchema(data);
            resolved.put(key, result);
        }
        return result;
    }

    @Override
    public void reset() {
        resolved.clear();
        super.reset();
    }
}
