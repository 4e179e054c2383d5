package io.jitbroker.kafka;

import io.apicurio.registry.serde.avro.DefaultAvroDatumProvider;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.io.DatumReader;

/**
 * Apicurio's datum provider makes a new reader for every record it decodes, and each new reader
 * resolves the writer's schema against the generated class's schema again (Avro's Resolver and
 * FastReaderBuilder: a fifth of the revoker's CPU in a mass expiry). This one keeps the reader of each
 * writer schema, per thread (a reader is not thread-safe); a few are kept, the least recently used go. Public: Apicurio instantiates it by name ({@link RegistrySerdes#registryConfig()}).
 */
public final class CachingAvroDatumProvider<T> extends DefaultAvroDatumProvider<T> {

    /** Schemas per thread: a service reads a handful of types. */
    private static final int READERS_PER_THREAD = 64;

    private final ThreadLocal<Map<Schema, DatumReader<T>>> readers = ThreadLocal.withInitial(() ->
            new LinkedHashMap<>(16, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<Schema, DatumReader<T>> eldest) {
                    return size() > READERS_PER_THREAD;
                }
            });

    @Override
    public DatumReader<T> createDatumReader(Schema writerSchema) {
        // Schema caches its hash and equals itself at once: the same instance is found cheaply.
        return readers.get().computeIfAbsent(writerSchema, super::createDatumReader);
    }
}
