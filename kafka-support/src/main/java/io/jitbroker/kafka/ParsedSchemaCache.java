package io.jitbroker.kafka;

import io.apicurio.registry.resolver.ParsedSchema;
import io.apicurio.registry.resolver.SchemaParser;
import io.apicurio.registry.resolver.data.Record;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericContainer;

/**
 * Apicurio's Avro schema parser, remembering what it worked out for each schema. Apicurio's
 * serializer asks for the schema of every record it writes, and the parser renders the whole schema
 * to JSON each time (the registry looks it up by that text): a tenth of a Streams service's CPU.
 * Our records are generated classes, one schema object each, so the answer never changes.
 */
final class ParsedSchemaCache<U> implements SchemaParser<Schema, U> {

    private final SchemaParser<Schema, U> parser;
    private final Map<Schema, ParsedSchema<Schema>> dereferenced = new ConcurrentHashMap<>();
    private final Map<Schema, ParsedSchema<Schema>> withReferences = new ConcurrentHashMap<>();

    ParsedSchemaCache(SchemaParser<Schema, U> parser) {
        this.parser = parser;
    }

    @Override
    public String artifactType() {
        return parser.artifactType();
    }

    @Override
    public Schema parseSchema(byte[] rawSchema, Map<String, ParsedSchema<Schema>> resolvedReferences) {
        return parser.parseSchema(rawSchema, resolvedReferences);
    }

    @Override
    public ParsedSchema<Schema> getSchemaFromData(Record<U> data) {
        // The lookup by content (no auto-registration) asks for this form; the registry holds our
        // schemas whole (their named types inline, no references), so look them up whole.
        return getSchemaFromData(data, true);
    }

    @Override
    public ParsedSchema<Schema> getSchemaFromData(Record<U> data, boolean dereference) {
        if (!(data.payload() instanceof GenericContainer record)) {
            return parser.getSchemaFromData(data, dereference); // primitives: nothing to remember
        }
        return (dereference ? dereferenced : withReferences)
                .computeIfAbsent(record.getSchema(), schema -> parser.getSchemaFromData(data, dereference));
    }

    @Override
    public ParsedSchema<Schema> getSchemaFromLocation(String location) {
        return parser.getSchemaFromLocation(location);
    }

    @Override
    public boolean supportsExtractSchemaFromData() {
        return parser.supportsExtractSchemaFromData();
    }

    @Override
    public boolean supportsGetSchemaFromLocation() {
        return parser.supportsGetSchemaFromLocation();
    }
}
