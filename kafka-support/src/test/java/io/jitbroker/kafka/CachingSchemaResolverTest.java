package io.jitbroker.kafka;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.apicurio.registry.rest.client.RegistryClient;
import io.apicurio.registry.rest.v2.beans.VersionMetaData;
import io.apicurio.registry.serde.SerdeConfig;
import io.jitbroker.events.v1.TaskEvent;
import io.jitbroker.events.v1.TaskEventType;
import java.lang.reflect.Proxy;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.serialization.Serializer;
import org.junit.jupiter.api.Test;

class CachingSchemaResolverTest {

    static {
        RegistrySerdes.trustEventsPackage();
    }

    private static final TaskEvent EVENT = TaskEvent.newBuilder().setEventId("e-1").setTaskId("deploy-42")
            .setWorkloadId("spiffe://dev.local/ci/deployer").setType(TaskEventType.COMPLETED)
            .setOccurredAt(Instant.parse("2026-12-07T10:00:00Z")).build();

    /** The artifact ids the registry was asked about, in order; a lookup answers content id 7, or fails once asked to. */
    private final List<String> lookups = new ArrayList<>();
    private boolean registryDown;

    @Test
    void shouldWriteRecordsWithoutTheRegistryOnceTheirSchemaWasLookedUp() {
        // given: a schema looked up; Apicurio's own cache would ask again after its check period (1 ms here)
        Serializer<TaskEvent> serializer = serializerOnFakeRegistry();
        byte[] first = serializer.serialize("jit.task-events.v1", EVENT);
        registryDown = true;
        Instant checkPeriodOver = Instant.now().plusMillis(5);
        while (!Instant.now().isAfter(checkPeriodOver)) {
            Thread.onSpinWait();
        }

        // when
        byte[] later = serializer.serialize("jit.task-events.v1", EVENT);

        // then: one lookup, and every record carries the content id it gave
        assertEquals(List.of("jit.task-events.v1-value"), lookups);
        assertArrayEquals(first, later);
        assertEquals(0, first[0]);
        assertEquals(7, ByteBuffer.wrap(first, 1, 4).getInt());
    }

    @Test
    void shouldAskAgainWhenTheFirstLookupFailed() {
        // given
        Serializer<TaskEvent> serializer = serializerOnFakeRegistry();
        registryDown = true;
        assertThrows(RuntimeException.class, () -> serializer.serialize("jit.task-events.v1", EVENT));

        // when
        registryDown = false;
        byte[] written = serializer.serialize("jit.task-events.v1", EVENT);

        // then
        assertEquals(7, ByteBuffer.wrap(written, 1, 4).getInt());
        assertEquals(List.of("jit.task-events.v1-value", "jit.task-events.v1-value"), lookups.subList(lookups.size() - 2, lookups.size()));
    }

    private Serializer<TaskEvent> serializerOnFakeRegistry() {
        CachingAvroSerializer<TaskEvent> serializer = new CachingAvroSerializer<>();
        var config = new RegistrySerdes("http://127.0.0.1:1/apis/registry/v2").registryConfig();
        config.put(SerdeConfig.RETRY_COUNT, 0);
        config.put(SerdeConfig.CHECK_PERIOD_MS, 1L);
        serializer.configure(config, false);
        assertInstanceOf(CachingSchemaResolver.class, serializer.getSchemaResolver());
        serializer.getSchemaResolver().setClient(fakeRegistry());
        return serializer;
    }

    private RegistryClient fakeRegistry() {
        return (RegistryClient) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[]{RegistryClient.class},
                (proxy, method, args) -> {
                    if (!method.getName().equals("getArtifactVersionMetaDataByContent")) {
                        throw new UnsupportedOperationException(method.getName());
                    }
                    lookups.add((String) args[1]);
                    if (registryDown) {
                        throw new IllegalStateException("registry down");
                    }
                    VersionMetaData metaData = new VersionMetaData();
                    metaData.setGroupId((String) args[0]);
                    metaData.setId((String) args[1]);
                    metaData.setVersion("1");
                    metaData.setGlobalId(11L);
                    metaData.setContentId(7L);
                    return metaData;
                });
    }
}
