package io.jitbroker.kafka;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import io.apicurio.registry.serde.SerdeConfig;
import io.apicurio.registry.serde.avro.AvroKafkaDeserializer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RecordDeserializationException;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The failures Apicurio's real deserializer raises, classified: only a registry that did not answer is an outage. */
class RegistryOutageTest {

    static {
        RegistrySerdes.trustEventsPackage();
    }

    /** The Confluent wire format with content id 42, which no registry here knows. */
    private static final byte[] RECORD_OF_UNSEEN_SCHEMA = {0, 0, 0, 0, 42, 2, 4, 6};

    private HttpServer registry;

    @AfterEach
    void stopRegistry() {
        if (registry != null) {
            registry.stop(0);
        }
    }

    @Test
    void shouldBeOutageWhenRegistryIsUnreachable() {
        // when
        RuntimeException failure = decodeWith("http://127.0.0.1:1/apis/registry/v2", RECORD_OF_UNSEEN_SCHEMA);

        // then
        assertTrue(RegistryOutage.causedBy(failure));
        assertTrue(RegistryOutage.causedBy(asConsumerReportsIt(failure)), "also as the Kafka consumer wraps it");
    }

    @Test
    void shouldBeOutageWhenRegistryFailsWithServerError() throws IOException {
        // when
        RuntimeException failure = decodeWith(registryAnswering(503, "Unavailable"), RECORD_OF_UNSEEN_SCHEMA);

        // then
        assertTrue(RegistryOutage.causedBy(failure));
    }

    @Test
    void shouldNotBeOutageWhenRegistryDoesNotKnowTheSchema() throws IOException {
        // when
        RuntimeException failure = decodeWith(registryAnswering(404, "ContentNotFoundException"), RECORD_OF_UNSEEN_SCHEMA);

        // then: it will not decode better later
        assertFalse(RegistryOutage.causedBy(failure));
        assertFalse(RegistryOutage.causedBy(asConsumerReportsIt(failure)));
    }

    @Test
    void shouldNotBeOutageWhenBytesAreNotTheWireFormat() {
        // when: no registry is asked at all
        RuntimeException failure = decodeWith("http://127.0.0.1:1/apis/registry/v2", "plain text".getBytes(StandardCharsets.UTF_8));

        // then
        assertFalse(RegistryOutage.causedBy(failure));
    }

    private static RuntimeException decodeWith(String registryUrl, byte[] value) {
        AvroKafkaDeserializer<Object> deserializer = new AvroKafkaDeserializer<>();
        var config = new RegistrySerdes(registryUrl).registryConfig();
        config.put(SerdeConfig.RETRY_COUNT, 0);
        deserializer.configure(config, false);
        return assertThrows(RuntimeException.class, () -> deserializer.deserialize("jit.revocations.v1", value));
    }

    private static RecordDeserializationException asConsumerReportsIt(RuntimeException failure) {
        return new RecordDeserializationException(RecordDeserializationException.DeserializationExceptionOrigin.VALUE,
                new TopicPartition("jit.revocations.v1", 0), 7, 0, TimestampType.CREATE_TIME, null, null, null,
                "Error deserializing VALUE", failure);
    }

    /** A registry that answers every call with {@code status} and Apicurio's error body. */
    private String registryAnswering(int status, String name) throws IOException {
        registry = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        registry.createContext("/", exchange -> {
            byte[] body = ("{\"error_code\":" + status + ",\"message\":\"no content with id 42\",\"name\":\"" + name + "\"}")
                    .getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(status, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        registry.start();
        return "http://127.0.0.1:" + registry.getAddress().getPort() + "/apis/registry/v2";
    }
}
