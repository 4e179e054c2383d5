package io.jitbroker.examples.revocations;

import io.jitbroker.kafka.KafkaClientSecurity;
import io.jitbroker.kafka.RegistrySerdes;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The example as one process: the revoked grants from their file, the listener on
 * jit.revocations.v1, and the resource server, all configured from the environment (README.md).
 */
public final class RevocationConsumerApp implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RevocationConsumerApp.class);

    private final RevokedGrants revoked;
    private final RevocationListener listener;
    private final ResourceServer server;

    private RevocationConsumerApp(RevokedGrants revoked, RevocationListener listener, ResourceServer server) {
        this.revoked = revoked;
        this.listener = listener;
        this.server = server;
    }

    public static void main(String[] args) throws Exception {
        RevocationConsumerApp app = start(System.getenv());
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            app.close();
            stopped.countDown();
        }, "revocation-consumer-shutdown"));
        LOG.info("resource server on port {}; Ctrl-C to stop", app.server.port());
        stopped.await();
    }

    /**
     * Loads the saved revoked grants, then starts reading revocations after the group's committed
     * offsets and serving. Variables: those of {@link #consumerConfig}, and {@code JIT_ISSUER_URL}
     * (required), {@code JIT_ISSUER_JWKS_URL} ({@code <JIT_ISSUER_URL>/.well-known/jwks.json}),
     * {@code RESOURCE_ID} (required: this server's id, an audience of its credentials),
     * {@code STATE_FILE} ({@code revoked-grants.tsv}), {@code HTTP_HOST} ({@code 127.0.0.1}),
     * {@code HTTP_PORT} ({@code 8090}; 0: any free port).
     */
    public static RevocationConsumerApp start(Map<String, String> env) throws IOException {
        RegistrySerdes.trustEventsPackage();
        String issuer = required(env, "JIT_ISSUER_URL");
        String resource = required(env, "RESOURCE_ID");
        CredentialVerifier verifier = new CredentialVerifier(issuer,
                env.getOrDefault("JIT_ISSUER_JWKS_URL", issuer + "/.well-known/jwks.json"), resource);
        RevokedGrants revoked = RevokedGrants.load(Path.of(env.getOrDefault("STATE_FILE", "revoked-grants.tsv")),
                Clock.systemUTC());
        LOG.info("{} revoked grants loaded", revoked.size());
        RevocationListener listener = new RevocationListener(consumerConfig(env), revoked).start();
        ResourceServer server = ResourceServer.start(env.getOrDefault("HTTP_HOST", "127.0.0.1"),
                Integer.parseInt(env.getOrDefault("HTTP_PORT", "8090")), verifier, revoked, listener::caughtUp, resource);
        return new RevocationConsumerApp(revoked, listener, server);
    }

    /**
     * The consumer's properties from the environment: {@code KAFKA_BOOTSTRAP_SERVERS},
     * {@code KAFKA_USERNAME} (the downstream principal, required) and {@code KAFKA_PASSWORD}: its
     * SASL/SCRAM-SHA-512 login, {@code KAFKA_GROUP_ID} ({@code <KAFKA_USERNAME>.revocations}; its ACL
     * allows every group beginning with that, and each instance needs its own, e.g.
     * {@code billing-gateway.revocations.pod-1}), {@code KAFKA_SECURITY_PROTOCOL} ({@code SASL_SSL}),
     * {@code SCHEMA_REGISTRY_URL}
     * (the registry's native API, required).
     */
    public static Map<String, Object> consumerConfig(Map<String, String> env) {
        String user = required(env, "KAFKA_USERNAME");
        // The registry serde as jit-broker writes: Confluent wire format with the content id, decoded
        // into the generated Revocation class.
        Map<String, Object> config = new RegistrySerdes(required(env, "SCHEMA_REGISTRY_URL")).consumerConfig();
        config.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, required(env, "KAFKA_BOOTSTRAP_SERVERS"));
        config.putAll(KafkaClientSecurity.scram(env.getOrDefault("KAFKA_SECURITY_PROTOCOL", "SASL_SSL"), user,
                required(env, "KAFKA_PASSWORD")).clientConfig());
        config.put(ConsumerConfig.GROUP_ID_CONFIG, env.getOrDefault("KAFKA_GROUP_ID", user + ".revocations"));
        // Only revocations the revoker's transactions committed; offsets committed by hand after the
        // revoked grants are saved; a new group starts from the oldest revocation still retained.
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        return config;
    }

    public int port() {
        return server.port();
    }

    public RevocationListener listener() {
        return listener;
    }

    public RevokedGrants revoked() {
        return revoked;
    }

    /** Stops serving, then stops reading (the last batch was saved and committed). */
    @Override
    public void close() {
        server.close();
        try {
            listener.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String required(Map<String, String> env, String name) {
        String value = env.get(name);
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(name + " is not set");
        }
        return value;
    }
}
