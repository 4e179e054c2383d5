package io.jitbroker.request.support;

import io.jitbroker.devstack.EmbeddedPostgresServer;
import io.jitbroker.devstack.Infrastructure;
import io.jitbroker.kafka.RegistrySerdes;
import io.micronaut.context.ApplicationContext;
import io.micronaut.context.env.Environment;
import io.micronaut.context.env.PropertySource;
import io.micronaut.http.client.BlockingHttpClient;
import io.micronaut.http.client.DefaultHttpClientConfiguration;
import io.micronaut.http.client.HttpClient;
import io.micronaut.runtime.server.EmbeddedServer;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * request-service started as in production (its application.yml, configured by environment
 * variables) against the test infrastructure, on a free port.
 */
public final class RunningService implements AutoCloseable {

    public static final String DATABASE = "request_service";

    private final ApplicationContext context;
    private final EmbeddedServer server;
    private final HttpClient httpClient;

    private RunningService(ApplicationContext context, EmbeddedServer server, HttpClient httpClient) {
        this.context = context;
        this.server = server;
        this.httpClient = httpClient;
    }

    /**
     * @param extraEnvironment environment variables on top of the infrastructure's (e.g. JIT_SRE_WORKLOADS)
     * @param extraProperties  configuration properties, for what has no environment variable
     */
    public static RunningService start(Infrastructure infra, Map<String, Object> extraEnvironment,
                                       Map<String, Object> extraProperties) {
        RegistrySerdes.trustEventsPackage();
        infra.postgres().createDatabase(DATABASE);
        Map<String, Object> environment = new LinkedHashMap<>(infra.serviceEnvironment());
        environment.put("DATASOURCE_URL", infra.postgres().jdbcUrl(DATABASE));
        environment.put("DATASOURCE_USERNAME", EmbeddedPostgresServer.USER);
        environment.put("DATASOURCE_PASSWORD", "");
        environment.put("HTTP_HOST", "127.0.0.1");
        environment.put("HTTP_PORT", "-1");
        // Tests leave requests undecided for as long as they like; load shedding by age is tested on its own.
        environment.put("JIT_INTAKE_MAX_BACKLOG_AGE", "1h");
        environment.putAll(extraEnvironment);
        ApplicationContext context = ApplicationContext.builder()
                .deduceEnvironment(false)
                // The dev profile, as the dev infrastructure's services run (its plaintext Kafka is refused outside it).
                .environments(Environment.DEVELOPMENT)
                .propertySources(PropertySource.of("test-environment-variables", environment,
                        PropertySource.PropertyConvention.ENVIRONMENT_VARIABLE))
                .properties(extraProperties)
                .start();
        try {
            EmbeddedServer server = context.getBean(EmbeddedServer.class).start();
            // Longer than the longest ?wait= (30 s): a waiting GET is answered when the ledger changes,
            // which on a loaded machine may take longer than the client's default 10 s read timeout.
            DefaultHttpClientConfiguration configuration = new DefaultHttpClientConfiguration();
            configuration.setReadTimeout(Duration.ofSeconds(45));
            HttpClient client = HttpClient.create(server.getURL(), configuration);
            return new RunningService(context, server, client);
        } catch (RuntimeException e) {
            context.close();
            throw e;
        }
    }

    /** The service's database reached through {@code proxy} (a test that takes PostgreSQL away sets DATASOURCE_URL to it). */
    public static String jdbcUrlThrough(TcpProxy proxy) {
        return "jdbc:postgresql://127.0.0.1:" + proxy.port() + "/" + DATABASE;
    }

    public BlockingHttpClient http() {
        return httpClient.toBlocking();
    }

    public ApplicationContext context() {
        return context;
    }

    public EmbeddedServer server() {
        return server;
    }

    @Override
    public void close() {
        httpClient.close();
        server.stop();
        context.close();
    }
}
