package io.jitbroker.issuer.support;

import io.jitbroker.contracts.Topics;
import io.jitbroker.devstack.DevIdentityProvider;
import io.jitbroker.devstack.EmbeddedPostgresServer;
import io.jitbroker.devstack.FreePorts;
import io.jitbroker.devstack.Infrastructure;
import io.jitbroker.events.v1.AccessDecision;
import io.jitbroker.events.v1.DeadLetter;
import io.jitbroker.events.v1.DecisionOutcome;
import io.jitbroker.events.v1.GrantIssued;
import io.jitbroker.events.v1.Resource;
import io.jitbroker.events.v1.Revocation;
import io.jitbroker.events.v1.RevocationEnforced;
import io.jitbroker.events.v1.RevocationReason;
import io.jitbroker.issuer.domain.MasterKey;
import io.jitbroker.kafka.RegistrySerdes;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.awaitility.Awaitility;
import org.slf4j.LoggerFactory;

/**
 * issuer-service on the real infrastructure, as the integration tests drive it: a KRaft broker, the
 * Apicurio registry, PostgreSQL and the dev identity provider; events in and out through plain Kafka
 * clients, HTTP with real workload tokens. Closes the service and clients before the infrastructure.
 */
public final class IssuerHarness implements AutoCloseable {

    private static final String DATABASE = "issuer_service";
    public static final String DEPLOYER = "spiffe://dev.local/ci/deployer";
    public static final String RESOURCE_SERVER = "spiffe://dev.local/svc/orders-api";
    public static final String SRE = "spiffe://dev.local/sre/oncall";
    /** Every topic's partition count here. */
    public static final int PARTITIONS = 3;
    private static final Duration HTTP_TIMEOUT = Duration.ofSeconds(15);
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(HTTP_TIMEOUT).build();

    private final Infrastructure infra;
    private final Map<String, Object> properties;
    private final EmbeddedServer server;
    private final KafkaProducer<String, SpecificRecord> producer;
    private final TopicReader<GrantIssued> grants;
    private final TopicReader<DeadLetter> deadLetters;
    private final TopicReader<RevocationEnforced> enforcements;

    private IssuerHarness(Infrastructure infra, Map<String, Object> properties) {
        this.infra = infra;
        this.properties = properties;
        this.server = ApplicationContext.run(EmbeddedServer.class, properties);
        awaitRevocationsConfirmed();
        RegistrySerdes serdes = new RegistrySerdes(infra.registry().nativeApiUrl());
        Map<String, Object> producerConfig = new HashMap<>(serdes.producerConfig());
        producerConfig.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, infra.kafka().bootstrapServers());
        this.producer = new KafkaProducer<>(producerConfig);
        this.grants = new TopicReader<>(infra.kafka().bootstrapServers(), serdes, Topics.GRANTS);
        this.deadLetters = new TopicReader<>(infra.kafka().bootstrapServers(), serdes, Topics.DEAD_LETTERS);
        this.enforcements = new TopicReader<>(infra.kafka().bootstrapServers(), serdes, Topics.ENFORCEMENTS);
    }

    /**
     * Starts the infrastructure and the service; {@code overrides} replace or add configuration. The
     * service's public URL (JIT_ISSUER_URL, the htu of DPoP proofs at pickup) is the port it listens on.
     */
    public static IssuerHarness start(Map<String, Object> overrides) {
        return start(infra -> overrides);
    }

    /** As {@link #start(Map)}, with configuration that depends on the infrastructure (prepared by the function). */
    public static IssuerHarness start(Function<Infrastructure, Map<String, Object>> overrides) {
        Infrastructure infra = Infrastructure.startForTests();
        try {
            infra.kafka().createTopics(Topics.newTopics(PARTITIONS, (short) 1));
            infra.postgres().createDatabase(DATABASE);
            DevIdentityProvider idp = infra.identityProvider();
            int port = FreePorts.find();
            Map<String, Object> properties = new LinkedHashMap<>();
            properties.put("micronaut.server.port", port);
            properties.put("jit.issuer.url", "http://127.0.0.1:" + port);
            properties.put("kafka.bootstrap.servers", infra.kafka().bootstrapServers());
            properties.put("jit.schema-registry.url", infra.registry().nativeApiUrl());
            properties.put("datasources.default.url", infra.postgres().jdbcUrl(DATABASE));
            properties.put("datasources.default.username", EmbeddedPostgresServer.USER);
            properties.put("micronaut.security.token.jwt.signatures.jwks.workload-trust-domain.url", idp.jwksUrl());
            properties.put("micronaut.security.token.jwt.claims-validators.issuer", idp.issuer());
            properties.put("micronaut.security.token.jwt.claims-validators.audience", idp.audience());
            properties.put("jit.issuer.master-key", MasterKey.random().toBase64());
            properties.put("jit.sre-workloads", SRE);
            // Tolerant of a loaded test machine: a stall of the consumer's thread must not turn an answer into a
            // 503. The tests of failing closed set their own bound.
            properties.put("jit.issuer.revocation-max-staleness", "10s");
            properties.putAll(overrides.apply(infra));
            return new IssuerHarness(infra, properties);
        } catch (RuntimeException e) {
            infra.close();
            throw e;
        }
    }

    public Infrastructure infra() {
        return infra;
    }

    public DevIdentityProvider idp() {
        return infra.identityProvider();
    }

    public ApplicationContext context() {
        return server.getApplicationContext();
    }

    /** The configuration the service runs with, to start a second instance against the same systems. */
    public Map<String, Object> properties() {
        return Map.copyOf(properties);
    }

    public String issuerUrl() {
        return (String) properties.get("jit.issuer.url");
    }

    public TopicReader<GrantIssued> grants() {
        return grants;
    }

    public TopicReader<DeadLetter> deadLetters() {
        return deadLetters;
    }

    public TopicReader<RevocationEnforced> enforcements() {
        return enforcements;
    }

    public void produce(String topic, String key, SpecificRecord value) {
        produce(new ProducerRecord<>(topic, key, value));
    }

    public void produce(String topic, int partition, String key, SpecificRecord value) {
        produce(new ProducerRecord<>(topic, partition, key, value));
    }

    /** Sends the record (headers and all) and waits for the broker's acknowledgement. */
    public RecordMetadata produce(ProducerRecord<String, SpecificRecord> record) {
        try {
            return producer.send(record).get();
        } catch (Exception e) {
            throw new IllegalStateException("could not produce to " + record.topic(), e);
        }
    }

    /** Publishes the approved decision and waits for its grant. */
    public GrantIssued issue(AccessDecision decision) {
        produce(Topics.Names.ACCESS_DECISIONS, decision.getRequestId(), decision);
        return grants.await(r -> r.value().getRequestId().equals(decision.getRequestId())).value();
    }

    /** Publishes the revocation of a grant and waits until it is enforced. */
    public RevocationEnforced revoke(GrantIssued grant, RevocationReason reason) {
        produce(Topics.Names.REVOCATIONS, grant.getGrantId(), revocation(grant, reason));
        return enforcements.await(r -> r.value().getGrantId().equals(grant.getGrantId())).value();
    }

    public URI url(String path) {
        return URI.create("http://127.0.0.1:" + server.getPort() + path);
    }

    public HttpResponse<String> get(String path, String bearer) {
        return get(path, bearer, Map.of());
    }

    public HttpResponse<String> get(String path, String bearer, Map<String, String> headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(url(path)).timeout(HTTP_TIMEOUT).GET();
        if (bearer != null) {
            request.header("Authorization", "Bearer " + bearer);
        }
        headers.forEach(request::header);
        return send(request.build());
    }

    public HttpResponse<String> post(String path, String bearer) {
        HttpRequest.Builder request = HttpRequest.newBuilder(url(path)).timeout(HTTP_TIMEOUT)
                .POST(HttpRequest.BodyPublishers.noBody());
        if (bearer != null) {
            request.header("Authorization", "Bearer " + bearer);
        }
        return send(request.build());
    }

    /** POSTs an application/x-www-form-urlencoded body, fields in the given order. */
    public HttpResponse<String> postForm(String path, String bearer, Map<String, String> fields) {
        String body = fields.entrySet().stream()
                .map(field -> field.getKey() + "=" + URLEncoder.encode(field.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        HttpRequest.Builder request = HttpRequest.newBuilder(url(path)).timeout(HTTP_TIMEOUT)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (bearer != null) {
            request.header("Authorization", "Bearer " + bearer);
        }
        return send(request.build());
    }

    public HttpResponse<String> introspect(String token, String bearer) {
        return postForm("/v1/introspect", bearer, Map.of("token", token));
    }

    public static HttpResponse<String> send(HttpRequest request) {
        try {
            return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The value of one Prometheus sample line, e.g. {@code name{tag="x"}}; absent when not exported (yet). */
    public OptionalDouble metric(String sample) {
        return get("/prometheus", null).body().lines()
                .filter(line -> line.startsWith(sample + " "))
                .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
                .findFirst();
    }

    /**
     * Waits until every partition of jit.revocations.v1 has been confirmed applied within the last second:
     * until then introspection and pickup answer 503 revocation_state_unknown (the service has just started).
     */
    public void awaitRevocationsConfirmed() {
        Awaitility.await("every partition of " + Topics.Names.REVOCATIONS + " confirmed applied")
                .atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
                .until(() -> freshWatermarks() == PARTITIONS);
    }

    private int freshWatermarks() throws SQLException {
        try (Connection db = database(); var query = db.prepareStatement("SELECT count(*) FROM revocation_watermarks "
                + "WHERE caught_up_at > statement_timestamp() - INTERVAL '1 second'");
             var row = query.executeQuery()) {
            row.next();
            return row.getInt(1);
        }
    }

    public Connection database() throws SQLException {
        return DriverManager.getConnection(infra.postgres().jdbcUrl(DATABASE), "postgres", "");
    }

    /** An approved decision for the deployer, on one resource. */
    public static AccessDecision.Builder approved(String requestId, long ttlSeconds, Resource resource) {
        return AccessDecision.newBuilder()
                .setRequestId(requestId)
                .setWorkloadId(DEPLOYER)
                .setTaskId("task-7")
                .setEnvironment("prod")
                .setOutcome(DecisionOutcome.APPROVED)
                .setGrantedResources(List.of(resource))
                .setGrantedTtlSeconds(ttlSeconds)
                .setReasons(List.of("approved for the test"))
                .setMatchedRules(List.of("test-rule"))
                .setPolicyVersion("test-1")
                .setDecidedAt(Instant.now());
    }

    public static Resource resource(String type, String id, String... actions) {
        return Resource.newBuilder().setType(type).setId(id).setActions(List.of(actions)).build();
    }

    public static Revocation revocation(GrantIssued grant, RevocationReason reason) {
        return revocation(grant.getGrantId(), grant.getRequestId(), grant.getCredentialId(), grant.getExpiresAt(), reason);
    }

    public static Revocation revocation(String grantId, String requestId, String credentialId, Instant expiresAt,
                                 RevocationReason reason) {
        return Revocation.newBuilder()
                .setGrantId(grantId)
                .setRequestId(requestId)
                .setWorkloadId(DEPLOYER)
                .setTaskId("task-7")
                .setEnvironment("prod")
                .setCredentialId(credentialId)
                .setReason(reason)
                .setDetail("task-7: " + reason)
                .setExpiresAt(expiresAt)
                // What the wire carries: milliseconds.
                .setRevokedAt(Instant.now().truncatedTo(ChronoUnit.MILLIS))
                .build();
    }

    @Override
    public void close() {
        // Clients and the service first: a broker stopped under live clients costs ~30 s.
        closeQuietly(grants);
        closeQuietly(deadLetters);
        closeQuietly(enforcements);
        closeQuietly(producer);
        closeQuietly(server.getApplicationContext());
        infra.close();
    }

    private static void closeQuietly(AutoCloseable closeable) {
        try {
            closeable.close();
        } catch (Exception e) {
            LoggerFactory.getLogger(IssuerHarness.class).warn("failed to close {}", closeable, e);
        }
    }
}
