package io.jitbroker.testkit;

import io.jitbroker.kafka.RegistrySerdes;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Avro binary of a generated class, framed like the registry's wire format (magic byte 0, a 4-byte
 * schema id, then Avro) but with no registry: topology tests run in milliseconds and need no
 * server, while the services' integration tests run the same topologies on the real registry serdes. Like the
 * registry deserializer, it rejects bytes that do not start with the magic byte.
 */
public final class PlainAvroSerde {

    private static final byte MAGIC_BYTE = 0;
    private static final int HEADER_LENGTH = 5;

    static {
        RegistrySerdes.trustEventsPackage();
    }

    private PlainAvroSerde() {
    }

    public static <T extends SpecificRecord> Serde<T> of(Class<T> type) {
        return Serdes.serdeFrom(serializer(type), deserializer(type));
    }

    public static <T extends SpecificRecord> Serializer<T> serializer(Class<T> type) {
        SpecificDatumWriter<T> writer = new SpecificDatumWriter<>(type);
        return (topic, value) -> {
            if (value == null) {
                return null;
            }
            try {
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                out.write(ByteBuffer.allocate(HEADER_LENGTH).put(MAGIC_BYTE).putInt(0).array());
                BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
                writer.write(value, encoder);
                encoder.flush();
                return out.toByteArray();
            } catch (IOException e) {
                throw new SerializationException("cannot encode " + type.getSimpleName(), e);
            }
        };
    }

    public static <T extends SpecificRecord> Deserializer<T> deserializer(Class<T> type) {
        SpecificDatumReader<T> reader = new SpecificDatumReader<>(type);
        return (topic, bytes) -> {
            if (bytes == null) {
                return null;
            }
            if (bytes.length < HEADER_LENGTH || bytes[0] != MAGIC_BYTE) {
                throw new SerializationException("unknown magic byte in a record of " + topic);
            }
            try {
                BinaryDecoder decoder = DecoderFactory.get().binaryDecoder(bytes, HEADER_LENGTH, bytes.length - HEADER_LENGTH, null);
                return reader.read(null, decoder);
            } catch (IOException | RuntimeException e) {
                throw new SerializationException("cannot decode " + type.getSimpleName() + " from " + topic, e);
            }
        };
    }
}
