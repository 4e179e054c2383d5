package io.jitbroker.issuer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jitbroker.devstack.FreePorts;
import io.jitbroker.issuer.support.IssuerHarness;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The production TLS settings (JIT_TLS_*) on a real issuer-service, with key stores made by the
 * deployment's own script (deploy/tls/new-certs.sh): the API answers over TLS and nothing over
 * plain HTTP, and with mutual TLS required only a client with a certificate from the client CA
 * gets a connection.
 */
class TlsIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(15);
    private static Path certificates;
    private static String password;
    private static IssuerHarness issuer;
    private static int port;
    private static EmbeddedServer mutualTls;

    @BeforeAll
    static void start() throws Exception {
        certificates = Files.createTempDirectory("jit-tls-it-");
        Path script = repositoryRoot().resolve("deploy/tls/new-certs.sh");
        Process made = new ProcessBuilder("bash", script.toString(), certificates.toString(), "--client", "deployer", "127.0.0.1")
                .redirectErrorStream(true).start();
        assertTrue(made.waitFor(60, TimeUnit.SECONDS), "new-certs.sh did not finish");
        String output = new String(made.getInputStream().readAllBytes());
        assertEquals(0, made.exitValue(), output);
        password = Files.readString(certificates.resolve("password")).trim();

        port = FreePorts.find();
        issuer = IssuerHarness.start(tls(port, Map.of()));
        Map<String, Object> mutual = new HashMap<>(issuer.properties());
        int mutualPort = FreePorts.find();
        mutual.putAll(tls(mutualPort, Map.of(
                "micronaut.server.ssl.client-authentication", "NEED",
                "micronaut.server.ssl.trust-store.path", "file:" + certificates.resolve("ca-truststore.p12"),
                "micronaut.server.ssl.trust-store.password", password)));
        mutualTls = ApplicationContext.run(EmbeddedServer.class, mutual);
    }

    @AfterAll
    static void stop() {
        if (mutualTls != null) {
            mutualTls.close();
        }
        if (issuer != null) {
            issuer.close();
        }
    }

    /** What JIT_TLS_ENABLED, JIT_TLS_KEY_STORE and JIT_TLS_KEY_STORE_PASSWORD set, on {@code port}. */
    private static Map<String, Object> tls(int port, Map<String, Object> more) {
        Map<String, Object> properties = new HashMap<>(more);
        properties.put("micronaut.server.port", port);
        properties.put("micronaut.server.ssl.enabled", true);
        properties.put("micronaut.server.ssl.port", port);
        properties.put("micronaut.server.ssl.key-store.path", "file:" + certificates.resolve("127.0.0.1.p12"));
        properties.put("micronaut.server.ssl.key-store.password", password);
        return properties;
    }

    @Test
    void shouldAnswerOverTlsWhenAClientTrustsTheCa() throws Exception {
        // given
        HttpClient client = client(null);

        // when
        HttpResponse<String> keys = client.send(get("https", port, "/.well-known/jwks.json"), HttpResponse.BodyHandlers.ofString());

        // then
        assertEquals(200, keys.statusCode(), keys.body());
        assertTrue(keys.body().contains("\"keys\""), keys.body());
        assertTrue(List.of("TLSv1.3", "TLSv1.2").contains(keys.sslSession().orElseThrow().getProtocol()));
    }

    @Test
    void shouldRefusePlainHttpWhenTheListenerIsTls() {
        // given
        HttpClient plain = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();

        // when / then: no HTTP answer at all, so no token or credential can cross in clear
        assertThrows(IOException.class, () -> plain.send(get("http", port, "/.well-known/jwks.json"),
                HttpResponse.BodyHandlers.ofString()));
    }

    @Test
    void shouldRefuseAClientWithoutCertificateWhenMutualTlsIsRequired() throws Exception {
        // given: trusts the server, presents nothing
        HttpClient client = client(null);

        // when / then: the handshake fails
        assertThrows(IOException.class, () -> client.send(get("https", mutualTls.getPort(), "/.well-known/jwks.json"),
                HttpResponse.BodyHandlers.ofString()));
    }

    @Test
    void shouldAnswerAClientWithACertificateFromTheClientCaWhenMutualTlsIsRequired() throws Exception {
        // given
        HttpClient client = client(certificates.resolve("deployer.p12"));

        // when
        // (the JWKS, not /health: health is DOWN until the service's Kafka side is ready, which is not this test's subject)
        HttpResponse<String> keys = client.send(get("https", mutualTls.getPort(), "/.well-known/jwks.json"),
                HttpResponse.BodyHandlers.ofString());

        // then
        assertEquals(200, keys.statusCode(), keys.body());
    }

    private static HttpRequest get(String scheme, int port, String path) {
        return HttpRequest.newBuilder(URI.create(scheme + "://127.0.0.1:" + port + path)).timeout(TIMEOUT).build();
    }

    /** Trusts the CA of new-certs.sh; presents {@code clientKeyStore}'s certificate when given. */
    private static HttpClient client(Path clientKeyStore) throws Exception {
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(keyStore(certificates.resolve("ca-truststore.p12")));
        KeyManagerFactory keys = null;
        if (clientKeyStore != null) {
            keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keys.init(keyStore(clientKeyStore), password.toCharArray());
        }
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keys == null ? null : keys.getKeyManagers(), trust.getTrustManagers(), null);
        return HttpClient.newBuilder().sslContext(context).connectTimeout(TIMEOUT).build();
    }

    private static KeyStore keyStore(Path file) throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(file)) {
            store.load(in, password.toCharArray());
        }
        return store;
    }

    private static Path repositoryRoot() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("deploy/tls/new-certs.sh"))) {
                return dir;
            }
        }
        throw new IllegalStateException("deploy/tls/new-certs.sh not found above " + Path.of("").toAbsolutePath());
    }
}
