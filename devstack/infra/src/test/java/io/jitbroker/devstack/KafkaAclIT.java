package io.jitbroker.devstack;

import static io.jitbroker.devstack.KafkaAccess.ISSUER_SERVICE;
import static io.jitbroker.devstack.KafkaAccess.POLICY_SERVICE;
import static io.jitbroker.devstack.KafkaAccess.REQUEST_SERVICE;
import static io.jitbroker.devstack.KafkaAccess.REVOCATION_SERVICE;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jitbroker.contracts.Topics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.errors.ClusterAuthorizationException;
import org.apache.kafka.common.errors.GroupAuthorizationException;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.errors.TransactionalIdAuthorizationException;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The embedded broker with SASL/SCRAM and ACLs on, set up from {@link KafkaAccess}: each service
 * may write its own topics and nobody else's, and a client that does not log in gets nothing.
 */
class KafkaAclIT {

    private static final Duration REFUSAL_TIMEOUT = Duration.ofSeconds(3);
    /** A downstream reader of revocations, as a deployment adds one (DOWNSTREAM_PRINCIPALS). */
    private static final KafkaAccess.ServiceAccess DOWNSTREAM = KafkaAccess.downstream("billing-gateway");

    private static EmbeddedKafka kafka;
    /** The catalogue's topics plus one internal topic of each Streams app (its state, were it forged). */
    private static List<String> everyTopic;

    @BeforeAll
    static void startSecureBroker() {
        kafka = EmbeddedKafka.startTemporarySecure(KafkaSecurity.withRandomPasswords(
                KafkaAccess.aclBindings(DOWNSTREAM.service())));
        everyTopic = new ArrayList<>(KafkaAccess.topics());
        KafkaAccess.SERVICES.stream().filter(KafkaAccess.ServiceAccess::streams)
                .forEach(access -> everyTopic.add(access.streamsPrefix() + "probe-store-changelog"));
        kafka.createTopics(everyTopic, 3);
    }

    @AfterAll
    static void stopBroker() {
        if (kafka != null) {
            kafka.close();
        }
    }

    @Test
    void shouldAcceptGrantWhenIssuerServiceWritesGrants() throws Exception {
        try (KafkaProducer<String, String> issuer = producer(ISSUER_SERVICE, Map.of())) {
            // when
            var written = issuer.send(new ProducerRecord<>(Topics.Names.GRANTS, "grant-1", "issued")).get(10, TimeUnit.SECONDS);

            // then
            assertEquals(Topics.Names.GRANTS, written.topic());
        }
    }

    @Test
    void shouldRefuseIssuerServiceWhenItWritesRevocations() {
        try (KafkaProducer<String, String> issuer = producer(ISSUER_SERVICE, Map.of())) {
            // when
            Throwable refused = sendFailure(issuer, Topics.Names.REVOCATIONS);

            // then
            assertInstanceOf(TopicAuthorizationException.class, refused);
        }
    }

    @Test
    void shouldRefuseIssuerServiceWhenItWritesAccessDecisions() {
        try (KafkaProducer<String, String> issuer = producer(ISSUER_SERVICE, Map.of())) {
            // when
            Throwable refused = sendFailure(issuer, Topics.Names.ACCESS_DECISIONS);

            // then
            assertInstanceOf(TopicAuthorizationException.class, refused);
        }
    }

    @Test
    void shouldRefuseRequestServiceWhenItWritesGrants() {
        try (KafkaProducer<String, String> requests = producer(REQUEST_SERVICE, Map.of())) {
            // when
            Throwable refused = sendFailure(requests, Topics.Names.GRANTS);

            // then
            assertInstanceOf(TopicAuthorizationException.class, refused);
        }
    }

    @Test
    void shouldLetEachPrincipalWriteExactlyItsOwnTopicsWhenItWritesEveryTopic() {
        // given: every service, the orchestrator and a downstream reader try every topic, the
        // Streams apps' state included, each with an idempotent producer and no cluster right
        List<String> wrong = new ArrayList<>();
        List<KafkaAccess.ServiceAccess> principals = new ArrayList<>(KafkaAccess.PRINCIPALS);
        principals.add(DOWNSTREAM);
        for (KafkaAccess.ServiceAccess access : principals) {
            // when
            Map<String, Throwable> failures = writeEveryTopic(access);

            for (String topic : everyTopic) {
                // then
                Throwable failure = failures.get(topic);
                boolean allowed = access.produces().contains(topic)
                        || (access.streams() && topic.startsWith(access.streamsPrefix()));
                // A principal that may write no topic at all gets no producer id (KIP-679: WRITE on some
                // topic is what allows an idempotent producer), which shows where it may describe the topic.
                boolean refused = failure instanceof TopicAuthorizationException
                        || (access.produces().isEmpty() && failure instanceof ClusterAuthorizationException);
                if (allowed && failure != null) {
                    wrong.add(access.service() + " could not write " + topic + ": " + failure);
                } else if (!allowed && !refused) {
                    wrong.add(access.service() + " was not refused " + topic + ": " + failure);
                }
            }
        }
        assertTrue(wrong.isEmpty(), String.join("\n", wrong));
    }

    @Test
    void shouldDeliverDecisionWhenPolicyServiceWritesTransactionallyUnderItsPrefix() throws Exception {
        // given
        String transactionalId = KafkaAccess.of(POLICY_SERVICE).streamsPrefix() + UUID.randomUUID();
        String requestId = UUID.randomUUID().toString();

        // when
        try (KafkaProducer<String, String> policy = producer(POLICY_SERVICE,
                Map.of(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId))) {
            policy.initTransactions();
            policy.beginTransaction();
            policy.send(new ProducerRecord<>(Topics.Names.ACCESS_DECISIONS, requestId, "approved"));
            policy.commitTransaction();
        }

        // then: the issuer, in its own group, reads the committed decision
        assertEquals("approved", readCommitted(ISSUER_SERVICE, Topics.Names.ACCESS_DECISIONS, requestId));
    }

    @Test
    void shouldRefusePolicyServiceTransactionWhenTransactionalIdLacksItsPrefix() {
        try (KafkaProducer<String, String> policy = producer(POLICY_SERVICE,
                Map.of(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "elsewhere-" + UUID.randomUUID()))) {
            // when / then
            assertThrows(TransactionalIdAuthorizationException.class, policy::initTransactions);
        }
    }

    @Test
    void shouldRefuseIssuerServiceWhenItTakesPolicyServicesTransactionalId() {
        // given: taking over another service's transactional id would fence its producer
        String policysId = KafkaAccess.of(POLICY_SERVICE).streamsPrefix() + "0-0";

        try (KafkaProducer<String, String> issuer = producer(ISSUER_SERVICE,
                Map.of(ProducerConfig.TRANSACTIONAL_ID_CONFIG, policysId))) {
            // when / then
            assertThrows(TransactionalIdAuthorizationException.class, issuer::initTransactions);
        }
    }

    @Test
    void shouldLetDownstreamReaderReadRevocationsWhenItUsesAGroupOfItsOwn() throws Exception {
        // given
        String grantId = UUID.randomUUID().toString();
        try (KafkaProducer<String, String> revoker = producer(REVOCATION_SERVICE, Map.of())) {
            revoker.send(new ProducerRecord<>(Topics.Names.REVOCATIONS, grantId, "revoked")).get(10, TimeUnit.SECONDS);
        }

        // when / then: in its group, and in one of its own per instance
        assertEquals("revoked", readCommitted(DOWNSTREAM.service(), DOWNSTREAM.group(), Topics.Names.REVOCATIONS, grantId));
        assertEquals("revoked", readCommitted(DOWNSTREAM.service(), DOWNSTREAM.group() + ".pod-2",
                Topics.Names.REVOCATIONS, grantId));
    }

    @Test
    void shouldRefuseDownstreamReaderWhenItReadsGrants() {
        try (KafkaConsumer<String, String> downstream = consumer(DOWNSTREAM.service(), DOWNSTREAM.group())) {
            // given
            downstream.subscribe(List.of(Topics.Names.GRANTS));

            // when / then
            assertThrows(TopicAuthorizationException.class, () -> downstream.poll(REFUSAL_TIMEOUT));
        }
    }

    @Test
    void shouldRefuseRequestServiceWhenItReadsPolicies() {
        try (KafkaConsumer<String, String> requests = consumer(REQUEST_SERVICE, null)) {
            // given
            requests.assign(List.of(new TopicPartition(Topics.Names.POLICIES, 0)));

            // when / then
            assertThrows(TopicAuthorizationException.class, () -> requests.poll(REFUSAL_TIMEOUT));
        }
    }

    @Test
    void shouldRefuseRequestServiceWhenItJoinsIssuerServicesGroup() {
        try (KafkaConsumer<String, String> requests = consumer(REQUEST_SERVICE, KafkaAccess.of(ISSUER_SERVICE).group())) {
            // given: a topic request-service may read, in a group that is not its own
            requests.subscribe(List.of(Topics.Names.GRANTS));

            // when / then
            assertThrows(GroupAuthorizationException.class, () -> requests.poll(REFUSAL_TIMEOUT));
        }
    }

    @Test
    void shouldRefuseServiceWhenItGrantsItselfAnAcl() {
        // given: the issuer tries to allow itself to write revocations
        AclBinding forged = KafkaAccess.of(REVOCATION_SERVICE).aclBindings().get(0);
        AclBinding forIssuer = new AclBinding(forged.pattern(), new org.apache.kafka.common.acl.AccessControlEntry(
                KafkaAccess.of(ISSUER_SERVICE).principal().toString(), "*", forged.entry().operation(),
                forged.entry().permissionType()));

        try (Admin issuer = Admin.create(kafka.clientConfig(ISSUER_SERVICE))) {
            // when
            var failure = assertThrows(ExecutionException.class,
                    () -> issuer.createAcls(List.of(forIssuer)).all().get(10, TimeUnit.SECONDS));

            // then
            assertInstanceOf(ClusterAuthorizationException.class, failure.getCause());
        }
    }

    @Test
    void shouldRefuseServiceWhenItDeletesAnotherServicesTopic() {
        try (Admin issuer = Admin.create(kafka.clientConfig(ISSUER_SERVICE))) {
            // when
            var failure = assertThrows(ExecutionException.class,
                    () -> issuer.deleteTopics(List.of(Topics.Names.REVOCATIONS)).all().get(10, TimeUnit.SECONDS));

            // then
            assertInstanceOf(TopicAuthorizationException.class, failure.getCause());
        }
    }

    @Test
    void shouldRejectClientWhenPasswordIsWrong() {
        // given
        Map<String, Object> config = new HashMap<>(kafka.clientConfig(ISSUER_SERVICE));
        config.put(SaslConfigs.SASL_JAAS_CONFIG, KafkaSecurity.jaasConfig(
                org.apache.kafka.common.security.scram.ScramLoginModule.class.getName(), ISSUER_SERVICE, "not-the-password"));

        try (Admin impostor = Admin.create(config)) {
            // when
            var failure = assertThrows(ExecutionException.class,
                    () -> impostor.describeCluster().clusterId().get(10, TimeUnit.SECONDS));

            // then
            assertInstanceOf(SaslAuthenticationException.class, failure.getCause());
        }
    }

    @Test
    void shouldServeNothingWhenClientSkipsAuthentication() {
        // given: a plaintext client on the SASL listener
        Map<String, Object> config = Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) REFUSAL_TIMEOUT.toMillis(),
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) REFUSAL_TIMEOUT.toMillis());

        try (Admin anonymous = Admin.create(config)) {
            // when
            var failure = assertThrows(ExecutionException.class,
                    () -> anonymous.listTopics().names().get(10, TimeUnit.SECONDS));

            // then: the broker drops the connection before answering anything
            assertInstanceOf(TimeoutException.class, failure.getCause());
        }
    }

    @Test
    void shouldRunRevocationStreamsAppWhenOnlyItsOwnAclsAllowIt() throws Exception {
        // given: a Streams app under revocation-service's id, exactly-once, with a repartition and a
        // state store, so it must create internal topics and use transactional ids under its prefix
        String taskId = UUID.randomUUID().toString();
        Path stateDir = Files.createTempDirectory("jit-acl-streams-");
        StreamsBuilder builder = new StreamsBuilder();
        builder.stream(Topics.Names.TASK_EVENTS, Consumed.with(Serdes.String(), Serdes.String()).withName("probe-source"))
                .repartition(Repartitioned.<String, String>as("probe-by-task").withKeySerde(Serdes.String())
                        .withValueSerde(Serdes.String()))
                .groupByKey()
                .count(Named.as("probe-count"), Materialized.as("probe-counts"))
                .toStream(Named.as("probe-counted"))
                .mapValues(count -> "revoked after " + count + " task event(s)", Named.as("probe-revocation"))
                .to(Topics.Names.REVOCATIONS, Produced.with(Serdes.String(), Serdes.String()).withName("probe-sink"));
        Properties props = new Properties();
        props.putAll(kafka.clientConfig(REVOCATION_SERVICE));
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, KafkaAccess.of(REVOCATION_SERVICE).group());
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 10);
        props.put(StreamsConfig.REPARTITION_PURGE_INTERVAL_MS_CONFIG, 10);
        props.put(StreamsConfig.consumerPrefix(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG), "earliest");

        try (KafkaStreams streams = new KafkaStreams(builder.build(), props);
             KafkaProducer<String, String> requests = producer(REQUEST_SERVICE, Map.of())) {
            streams.start();
            await().atMost(Duration.ofSeconds(30)).until(() -> streams.state() == KafkaStreams.State.RUNNING);

            // when
            requests.send(new ProducerRecord<>(Topics.Names.TASK_EVENTS, taskId, "ENDED")).get(10, TimeUnit.SECONDS);

            // then
            assertEquals("revoked after 1 task event(s)", readCommitted(ISSUER_SERVICE, Topics.Names.REVOCATIONS, taskId));
            assertTrue(streams.state().isRunningOrRebalancing(), streams.state().toString());
            // and it may purge what it consumed from its repartition topic (DELETE on its prefix)
            String repartition = KafkaAccess.of(REVOCATION_SERVICE).streamsPrefix() + "probe-by-task-repartition";
            await().atMost(Duration.ofSeconds(30)).until(() -> earliestOffsets(repartition) > 0);
        } finally {
            Directories.deleteRecursively(stateDir);
        }
    }

    private static long earliestOffsets(String topic) throws Exception {
        try (Admin admin = kafka.admin()) {
            Map<TopicPartition, OffsetSpec> partitions = new HashMap<>();
            for (int partition = 0; partition < 3; partition++) {
                partitions.put(new TopicPartition(topic, partition), OffsetSpec.earliest());
            }
            return admin.listOffsets(partitions).all().get(10, TimeUnit.SECONDS).values().stream()
                    .mapToLong(ListOffsetsResult.ListOffsetsResultInfo::offset).sum();
        }
    }

    private static KafkaProducer<String, String> producer(String user, Map<String, Object> extra) {
        Map<String, Object> config = new HashMap<>(kafka.clientConfig(user));
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, (int) REFUSAL_TIMEOUT.toMillis());
        config.putAll(extra);
        return new KafkaProducer<>(config, new StringSerializer(), new StringSerializer());
    }

    private static KafkaConsumer<String, String> consumer(String user, String group) {
        Map<String, Object> config = new HashMap<>(kafka.clientConfig(user));
        if (group != null) {
            config.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        }
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.put(CommonClientConfigs.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) REFUSAL_TIMEOUT.toMillis());
        return new KafkaConsumer<>(config, new StringDeserializer(), new StringDeserializer());
    }

    /** Reads {@code topic} as {@code user} in its own consumer group until the record keyed {@code key} arrives. */
    private static String readCommitted(String user, String topic, String key) {
        return readCommitted(user, KafkaAccess.of(user).group(), topic, key);
    }

    private static String readCommitted(String user, String group, String topic, String key) {
        try (KafkaConsumer<String, String> consumer = consumer(user, group)) {
            consumer.subscribe(List.of(topic));
            List<String> values = new ArrayList<>();
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(100))) {
                    if (key.equals(record.key())) {
                        values.add(record.value());
                    }
                }
                return !values.isEmpty();
            });
            return values.get(0);
        }
    }

    /** What writing each topic as {@code access} failed with (null: written). */
    private static Map<String, Throwable> writeEveryTopic(KafkaAccess.ServiceAccess access) {
        Map<String, Throwable> failures = new HashMap<>();
        if (access.produces().isEmpty()) {
            // Without a producer id its first refusal leaves an idempotent producer unusable: one per topic.
            for (String topic : everyTopic) {
                try (KafkaProducer<String, String> producer = producer(access.service(), Map.of())) {
                    failures.put(topic, sendFailureOrNull(producer, topic));
                }
            }
        } else {
            try (KafkaProducer<String, String> producer = producer(access.service(), Map.of())) {
                everyTopic.forEach(topic -> failures.put(topic, sendFailureOrNull(producer, topic)));
            }
        }
        return failures;
    }

    private static Throwable sendFailure(KafkaProducer<String, String> producer, String topic) {
        Throwable failure = sendFailureOrNull(producer, topic);
        if (failure == null) {
            throw new AssertionError("writing " + topic + " was allowed");
        }
        return failure;
    }

    private static Throwable sendFailureOrNull(KafkaProducer<String, String> producer, String topic) {
        try {
            producer.send(new ProducerRecord<>(topic, "probe", "forged")).get(10, TimeUnit.SECONDS);
            return null;
        } catch (ExecutionException e) {
            return e.getCause();
        } catch (Exception e) {
            return e;
        }
    }
}
