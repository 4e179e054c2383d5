package io.jitbroker.kafka;

import io.apicurio.registry.resolver.SchemaParser;
import io.apicurio.registry.serde.avro.AvroKafkaSerializer;
import org.apache.avro.Schema;

/**
 * Apicurio's Avro serializer with its schema parser's answers remembered ({@link ParsedSchemaCache}),
 * which also looks schemas up in the form the deploy step registers them. Public: Kafka clients
 * instantiate it by name ({@link RegistrySerdes#producerConfig()}).
 */
public final class CachingAvroSerializer<U> extends AvroKafkaSerializer<U> {

    private SchemaParser<Schema, U> parser;

    @Override
    public synchronized SchemaParser<Schema, U> schemaParser() {
        SchemaParser<Schema, U> configured = super.schemaParser();
        if (parser == null && configured != null) {
            parser = new ParsedSchemaCache<>(configured);
        }
        return parser == null ? configured : parser;
    }
}
