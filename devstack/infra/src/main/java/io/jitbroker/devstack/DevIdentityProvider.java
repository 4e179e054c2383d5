package io.jitbroker.devstack;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.util.JSONObjectUtils;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A development-only workload identity provider: mints JWT-SVIDs (ES256, sub = SPIFFE ID) for any
 * workload in its trust domain and serves the JWKS that the services trust. Never for production:
 * it authenticates nobody, which is why it binds to loopback and says so in its log.
 *
 * <p>{@code POST /v1/tokens {"workload":"spiffe://dev.local/ci/deployer"}} answers {@code {"token":"..."}};
 * {@code GET /.well-known/jwks.json} answers the public keys.
 */
public final class DevIdentityProvider implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(DevIdentityProvider.class);
    public static final String DEFAULT_AUDIENCE = "jit-broker";
    public static final String DEFAULT_TRUST_DOMAIN = "dev.local";
    public static final Duration DEFAULT_TOKEN_TTL = Duration.ofMinutes(15);
    private static final Pattern SPIFFE_PATH = Pattern.compile("(/[A-Za-z0-9._~!$&'()*+,;=:@%-]+)+");
    private static final int MAX_BODY_BYTES = 16 * 1024;

    private final HttpServer server;
    private final ECKey signingKey;
    private final String issuer;
    private final String audience;
    private final String trustDomain;

    private DevIdentityProvider(HttpServer server, ECKey signingKey, String issuer, String audience, String trustDomain) {
        this.server = server;
        this.signingKey = signingKey;
        this.issuer = issuer;
        this.audience = audience;
        this.trustDomain = trustDomain;
    }

    public static DevIdentityProvider start(String host, int port) {
        return start(host, port, DEFAULT_AUDIENCE, DEFAULT_TRUST_DOMAIN);
    }

    public static DevIdentityProvider start(String host, int port, String audience, String trustDomain) {
        try {
            ECKey key = new ECKeyGenerator(Curve.P_256)
                    .keyUse(KeyUse.SIGNATURE)
                    .algorithm(JWSAlgorithm.ES256)
                    .keyID("dev-idp-" + UUID.randomUUID())
                    .generate();
            HttpServer server = HttpServer.create(new InetSocketAddress(host, port == 0 ? FreePorts.find() : port), 0);
            String issuer = "http://" + host + ":" + server.getAddress().getPort();
            DevIdentityProvider idp = new DevIdentityProvider(server, key, issuer, audience, trustDomain);
            server.createContext("/v1/tokens", idp::handleTokens);
            server.createContext("/.well-known/jwks.json", idp::handleJwks);
            server.setExecutor(Executors.newFixedThreadPool(2, r -> {
                Thread t = new Thread(r, "dev-idp");
                t.setDaemon(true);
                return t;
            }));
            server.start();
            LOG.warn("DEV identity provider on {}: it mints a token for any workload in trust domain {}; never use it in production",
                    issuer, trustDomain);
            return idp;
        } catch (IOException e) {
            throw new UncheckedIOException("could not start the dev identity provider on " + host + ":" + port, e);
        } catch (JOSEException e) {
            throw new IllegalStateException("could not generate the dev identity provider's key", e);
        }
    }

    public int port() {
        return server.getAddress().getPort();
    }

    public String issuer() {
        return issuer;
    }

    public String audience() {
        return audience;
    }

    public String jwksUrl() {
        return issuer + "/.well-known/jwks.json";
    }

    public String tokensUrl() {
        return issuer + "/v1/tokens";
    }

    /** Mints a token for a workload in this trust domain (for tests and the launcher). */
    public String mint(String workload) {
        return mint(workload, audience, DEFAULT_TOKEN_TTL);
    }

    public String mint(String workload, String tokenAudience, Duration ttl) {
        requireInTrustDomain(workload);
        Instant now = Instant.now();
        return sign(new JWTClaimsSet.Builder()
                .issuer(issuer)
                .subject(workload)
                .audience(tokenAudience)
                .issueTime(Date.from(now))
                .notBeforeTime(Date.from(now))
                .expirationTime(Date.from(now.plus(ttl)))
                .jwtID(UUID.randomUUID().toString())
                .build());
    }

    /** Signs arbitrary claims with the trusted key: lets tests build expired or mis-addressed tokens. */
    public String sign(JWTClaimsSet claims) {
        try {
            SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256)
                    .keyID(signingKey.getKeyID())
                    .type(JOSEObjectType.JWT)
                    .build(), claims);
            jwt.sign(new ECDSASigner(signingKey));
            return jwt.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException("could not sign a dev token", e);
        }
    }

    public String jwksJson() {
        return new JWKSet(signingKey.toPublicJWK()).toString(true);
    }

    private void requireInTrustDomain(String workload) {
        String prefix = "spiffe://" + trustDomain;
        if (workload == null || !workload.startsWith(prefix) || !SPIFFE_PATH.matcher(workload.substring(prefix.length())).matches()) {
            throw new IllegalArgumentException("workload must be a SPIFFE ID in trust domain " + trustDomain
                    + ", e.g. spiffe://" + trustDomain + "/ci/deployer");
        }
    }

    private void handleTokens(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (!"POST".equals(exchange.getRequestMethod())) {
                respond(exchange, 405, Map.of("error", "use POST"));
                return;
            }
            Map<String, Object> body;
            try (InputStream in = exchange.getRequestBody()) {
                byte[] bytes = in.readNBytes(MAX_BODY_BYTES + 1);
                if (bytes.length > MAX_BODY_BYTES) {
                    respond(exchange, 413, Map.of("error", "body too large"));
                    return;
                }
                body = JSONObjectUtils.parse(new String(bytes, StandardCharsets.UTF_8));
            } catch (ParseException e) {
                respond(exchange, 400, Map.of("error", "malformed JSON body: " + e.getMessage()));
                return;
            }
            Object workload = body.get("workload");
            if (!(workload instanceof String)) {
                respond(exchange, 400, Map.of("error", "field 'workload' is required: a SPIFFE ID"));
                return;
            }
            try {
                String token = mint((String) workload);
                LOG.info("dev identity provider minted a token for {}", workload);
                respond(exchange, 200, Map.of("token", token, "expiresIn", DEFAULT_TOKEN_TTL.toSeconds()));
            } catch (IllegalArgumentException e) {
                respond(exchange, 400, Map.of("error", e.getMessage()));
            }
        }
    }

    private void handleJwks(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] json = jwksJson().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, json.length);
            exchange.getResponseBody().write(json);
        }
    }

    private static void respond(HttpExchange exchange, int status, Map<String, ?> body) throws IOException {
        byte[] json = JSONObjectUtils.toJSONString(Map.copyOf(body)).getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, json.length);
        exchange.getResponseBody().write(json);
    }

    @Override
    public void close() {
        server.stop(0);
    }

    /** For logs and docs: the endpoints this provider serves. */
    public List<String> endpoints() {
        return List.of(tokensUrl(), jwksUrl());
    }
}
