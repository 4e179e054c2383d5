package io.jitbroker.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.apicurio.registry.serde.avro.AvroKafkaSerdeConfig;
import io.jitbroker.events.v1.TaskEvent;
import io.jitbroker.events.v1.TaskEventType;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.apache.avro.Schema;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DatumReader;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumWriter;
import org.junit.jupiter.api.Test;

class CachingAvroDatumProviderTest {

    static {
        RegistrySerdes.trustEventsPackage();
    }

    private static final TaskEvent EVENT = TaskEvent.newBuilder().setEventId("e-1").setTaskId("deploy-42")
            .setWorkloadId("spiffe://dev.local/ci/deployer").setType(TaskEventType.COMPLETED)
            .setOccurredAt(Instant.parse("2026-12-07T10:00:00Z")).build();

    private final CachingAvroDatumProvider<TaskEvent> provider = configured();

    @Test
    void shouldDecodeWithOneReaderPerSchemaWhenRecordsFollowEachOther() throws IOException {
        // given: the writer's schema as the registry gives it, an instance of its own
        Schema writerSchema = new Schema.Parser().parse(TaskEvent.getClassSchema().toString());
        byte[] encoded = encode(EVENT);

        // when
        DatumReader<TaskEvent> first = provider.createDatumReader(writerSchema);
        DatumReader<TaskEvent> second = provider.createDatumReader(writerSchema);

        // then: the same reader, and it decodes every record into the generated class
        assertSame(first, second);
        assertEquals(EVENT, first.read(null, DecoderFactory.get().binaryDecoder(encoded, null)));
        assertEquals(EVENT, second.read(null, DecoderFactory.get().binaryDecoder(encoded, null)));
    }

    @Test
    void shouldGiveAnotherThreadItsOwnReaderWhenDecodingConcurrently() {
        // given
        Schema writerSchema = TaskEvent.getClassSchema();
        DatumReader<TaskEvent> mine = provider.createDatumReader(writerSchema);

        // when
        DatumReader<TaskEvent> theirs = CompletableFuture.supplyAsync(() -> provider.createDatumReader(writerSchema)).join();

        // then: readers are not thread-safe
        assertNotSame(mine, theirs);
    }

    private static CachingAvroDatumProvider<TaskEvent> configured() {
        CachingAvroDatumProvider<TaskEvent> provider = new CachingAvroDatumProvider<>();
        provider.configure(new AvroKafkaSerdeConfig(Map.of(AvroKafkaSerdeConfig.USE_SPECIFIC_AVRO_READER, true)));
        return provider;
    }

    private static byte[] encode(TaskEvent event) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
        new SpecificDatumWriter<>(TaskEvent.class).write(event, encoder);
        encoder.flush();
        return out.toByteArray();
    }
}
