package io.jitbroker.devstack;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jitbroker.kafka.RegistrySerdes;
import io.jitbroker.contracts.Topic;
import io.jitbroker.contracts.Topics;
import io.apicurio.registry.serde.SerdeConfig;
import io.apicurio.registry.serde.avro.AvroKafkaSerializer;
import io.jitbroker.events.v1.GrantIssued;
import io.jitbroker.events.v1.Resource;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Values on our topics are readable by any Confluent-compatible client: wire format and registry API. */
class SchemaWireFormatIT {

    private static Infrastructure infra;
    private static RegistrySerdes serdes;

    @BeforeAll
    static void startInfrastructure() {
        infra = Infrastructure.start(Infrastructure.Options.forTests().withoutPostgres());
        infra.kafka().createTopics(Topics.newTopics(1, (short) 1));
        serdes = new RegistrySerdes(infra.registry().nativeApiUrl());
    }

    @AfterAll
    static void stopInfrastructure() {
        if (infra != null) {
            infra.close();
        }
    }

    @Test
    void shouldWriteConfluentWireFormatWithASchemaIdTheConfluentApiKnows() throws Exception {
        // given
        GrantIssued grant = sampleGrant();

        // when
        send(grant);
        byte[] raw = readRawValues(Topics.GRANTS, 1).get(0).value();

        // then: magic byte 0, then a 4-byte schema id, then Avro binary
        assertEquals(0, raw[0], "magic byte");
        int schemaId = ByteBuffer.wrap(raw, 1, 4).getInt();
        HttpResponse<String> schema = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create(infra.registry().confluentApiUrl() + "/schemas/ids/" + schemaId)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, schema.statusCode(), schema.body());
        assertTrue(schema.body().contains("GrantIssued"), schema.body());
        HttpResponse<String> subjects = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create(infra.registry().confluentApiUrl() + "/subjects")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertTrue(subjects.body().contains(Topics.GRANTS.name() + "-value"), subjects.body());
    }

    @Test
    void shouldReadBackTheSameEventThroughTheRegistry() throws Exception {
        // given
        GrantIssued grant = sampleGrant();
        send(grant);

        // when
        List<ConsumerRecord<String, byte[]>> records = readRawValues(Topics.GRANTS, 1);
        GrantIssued decoded;
        try (var deserializer = serdes.<GrantIssued>valueDeserializer()) {
            decoded = records.stream()
                    .map(r -> deserializer.deserialize(Topics.GRANTS.name(), r.value()))
                    .filter(g -> g.getGrantId().equals(grant.getGrantId()))
                    .findFirst().orElseThrow();
        }

        // then
        assertEquals(grant, decoded);
    }

    @Test
    void shouldWriteTheBytesApicuriosOwnSerializerWritesWhenTheSameEventIsWrittenAgain() {
        // given: Apicurio's serializer as it comes (registering, so it finds the deployed schema), beside
        // ours (which remembers parsed schemas and only looks schemas up)
        GrantIssued grant = sampleGrant();
        try (var plain = new AvroKafkaSerializer<GrantIssued>(); var ours = serdes.<GrantIssued>valueSerializer()) {
            Map<String, Object> registering = new HashMap<>(serdes.registryConfig());
            registering.put(SerdeConfig.AUTO_REGISTER_ARTIFACT, true);
            plain.configure(registering, false);

            // when: ours writes it twice (the second time from what it remembered)
            byte[] first = ours.serialize(Topics.GRANTS.name(), grant);
            byte[] second = ours.serialize(Topics.GRANTS.name(), grant);

            // then
            assertArrayEquals(plain.serialize(Topics.GRANTS.name(), grant), first);
            assertArrayEquals(first, second);
        }
    }

    private static GrantIssued sampleGrant() {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        return GrantIssued.newBuilder()
                .setGrantId("g-" + System.nanoTime())
                .setRequestId("r-1")
                .setWorkloadId("spiffe://dev.local/ci/deployer")
                .setTaskId("t-1")
                .setEnvironment("staging")
                .setResources(List.of(new Resource("http", "inventory-api", List.of("read"))))
                .setCredentialType("jwt")
                .setCredentialId("c-1")
                .setIssuedAt(now)
                .setExpiresAt(now.plusSeconds(60))
                .build();
    }

    private static void send(GrantIssued grant) throws Exception {
        Map<String, Object> config = new HashMap<>(serdes.producerConfig());
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, infra.kafka().bootstrapServers());
        try (KafkaProducer<String, GrantIssued> producer = new KafkaProducer<>(config)) {
            producer.send(new ProducerRecord<>(Topics.GRANTS.name(), grant.getGrantId(), grant)).get();
        }
    }

    private static List<ConsumerRecord<String, byte[]>> readRawValues(Topic<?> topic, int atLeast) {
        Map<String, Object> config = Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, infra.kafka().bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "wire-format-" + System.nanoTime(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
        try (var consumer = new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(topic.name()));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (records.size() < atLeast && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
        }
        assertTrue(records.size() >= atLeast, "expected " + atLeast + " records on " + topic + ", got " + records.size());
        return records;
    }
}
