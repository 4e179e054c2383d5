package io.jitbroker.devstack.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jitbroker.devstack.KafkaAccess;
import io.jitbroker.testkit.GeneratedFiles;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * docker-compose.yml and deploy/ checked against the code, with no Docker engine (there is none
 * here or in CI): the services' environments against what each service reads, secrets, health
 * checks and start order, the Prometheus targets, the Grafana dashboard's metric names, and the
 * generated Kafka scripts and configuration reference against the code that defines them.
 */
class ComposeFileTest {

    private static final Path ROOT = DevStackOptions.locateRepositoryRoot();
    private static final ComposeFile COMPOSE = ComposeFile.load(ROOT.resolve("docker-compose.yml"));
    private static final List<String> SERVICES = List.of(KafkaAccess.REQUEST_SERVICE, KafkaAccess.POLICY_SERVICE,
            KafkaAccess.ISSUER_SERVICE, KafkaAccess.REVOCATION_SERVICE);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Environment keys whose value is a secret (or embeds one, like a JAAS line). */
    private static final Pattern SECRET_KEY = Pattern.compile(".*(PASSWORD|SECRET|MASTER_KEY|JAAS_CONFIG|TOKEN|PRIVATE_KEY).*");

    /**
     * Series the dashboard may use that no jit-broker code registers: Prometheus' own {@code up}, and
     * what Micronaut, Micrometer and the Kafka clients register. Read off the four services' /prometheus
     * on 2026-11-23, each run from its Jib image against SASL Kafka: the JVM, process and HTTP server
     * meters on all four; {@code kafka_consumer_records_lag_max_records} on the micronaut-kafka
     * listeners (request-service, issuer-service); {@code kafka_consumer_fetch_manager_records_lag_max}
     * on the Kafka Streams apps (policy-service, revocation-service).
     */
    private static final Set<String> LIBRARY_SERIES = Set.of(
            "up",
            "jvm_memory_used_bytes", "jvm_memory_max_bytes", "jvm_gc_pause_seconds_count", "jvm_gc_pause_seconds_sum",
            "jvm_threads_live_threads", "process_cpu_usage", "process_uptime_seconds",
            "http_server_requests_seconds_count", "http_server_requests_seconds_sum",
            "kafka_consumer_records_lag_max_records", "kafka_consumer_fetch_manager_records_lag_max");

    /** What the SRE dashboard must show (the issue's list), by the series that carries it. */
    private static final Map<String, String> DASHBOARD_MUST_SHOW = new LinkedHashMap<>();

    static {
        DASHBOARD_MUST_SHOW.put("decisions by outcome and deny code", "jit_policy_decisions_total");
        DASHBOARD_MUST_SHOW.put("revocations by reason", "jit_revocations_total");
        DASHBOARD_MUST_SHOW.put("time-to-enforce histogram", "jit_issuer_revocations_time_to_enforce_seconds_bucket");
        DASHBOARD_MUST_SHOW.put("TTL-expiry lateness histogram", "jit_revocation_ttl_lateness_seconds_bucket");
        DASHBOARD_MUST_SHOW.put("missed-heartbeat lateness histogram", "jit_revocation_heartbeat_lateness_seconds_bucket");
        DASHBOARD_MUST_SHOW.put("active grants", "jit_revocation_active_grants");
        DASHBOARD_MUST_SHOW.put("pending approvals", "jit_pending_approvals");
        DASHBOARD_MUST_SHOW.put("dead letters (request-service)", "jit_dead_letters_total");
        DASHBOARD_MUST_SHOW.put("dead letters (policy-service)", "jit_policy_dead_letters_total");
        DASHBOARD_MUST_SHOW.put("dead letters (revocation-service)", "jit_revocation_dead_letters_total");
        DASHBOARD_MUST_SHOW.put("consumer lag (micronaut-kafka listeners)", "kafka_consumer_records_lag_max_records");
        DASHBOARD_MUST_SHOW.put("consumer lag (Kafka Streams apps)", "kafka_consumer_fetch_manager_records_lag_max");
        DASHBOARD_MUST_SHOW.put("stuck enforcement on a PostgreSQL target", "jit_issuer_postgres_target_unreachable_seconds");
    }

    @Test
    void shouldSetExactlyTheVariablesEachServiceReadsWhenComparedWithItsApplicationYml() {
        // given
        List<String> problems = new ArrayList<>();

        // when
        for (String service : SERVICES) {
            ComposeServiceVariables reads = ComposeServiceVariables.of(ROOT, service);
            Map<String, String> environment = COMPOSE.service(service).environment();
            String postgresTargets = environment.getOrDefault("JIT_POSTGRES_TARGETS", "");
            Set<String> notSet = new TreeSet<>(reads.declared().keySet());
            notSet.removeAll(environment.keySet());
            Set<String> notRead = new TreeSet<>();
            environment.keySet().stream().filter(variable -> !reads.reads(variable, postgresTargets)).forEach(notRead::add);
            if (!notSet.isEmpty()) {
                problems.add(service + ": read by the service (" + service + "/src/main/resources/application.yml) "
                        + "but not set in docker-compose.yml: " + notSet);
            }
            if (!notRead.isEmpty()) {
                problems.add(service + ": set in docker-compose.yml but never read by the service (a typo, or a "
                        + "variable the service no longer has): " + notRead);
            }
        }

        // then
        assertTrue(problems.isEmpty(), "docker-compose.yml and the services disagree:\n  " + String.join("\n  ", problems));
    }

    @Test
    void shouldKeepTheServiceDefaultWhenComposePassesAVariableThrough() {
        // given
        List<String> problems = new ArrayList<>();

        // when: a value that is just ${SAME_NAME:-default} is the operator's knob, its default the service's
        for (String service : SERVICES) {
            Map<String, Optional<String>> declared = ComposeServiceVariables.of(ROOT, service).declared();
            COMPOSE.service(service).environment().forEach((variable, value) -> {
                List<ComposeFile.Interpolation> interpolations = ComposeFile.interpolations(value);
                if (interpolations.size() == 1 && value.equals("${" + variable + interpolations.get(0).operator()
                        + interpolations.get(0).argument() + "}") && interpolations.get(0).defaultValue().isPresent()) {
                    String composeDefault = interpolations.get(0).defaultValue().get();
                    String serviceDefault = declared.getOrDefault(variable, Optional.empty()).orElse("(none)");
                    if (!composeDefault.equals(serviceDefault)) {
                        problems.add(service + " " + variable + ": docker-compose.yml defaults to '" + composeDefault
                                + "', the service to '" + serviceDefault + "'");
                    }
                }
            });
        }

        // then
        assertTrue(problems.isEmpty(), "pass-through defaults drifted:\n  " + String.join("\n  ", problems));
    }

    @Test
    void shouldTakeEverySecretFromARequiredVariableWhenComposeSetsOne() {
        // given
        List<String> problems = new ArrayList<>();
        Set<String> secretsSeen = new TreeSet<>();

        // when
        COMPOSE.services().values().forEach(service -> service.environment().forEach((key, value) -> {
            if (!SECRET_KEY.matcher(key).matches() || key.endsWith("_INSECURE_DEV_MASTER_KEY")) {
                return;
            }
            List<ComposeFile.Interpolation> interpolations = ComposeFile.interpolations(value);
            if (interpolations.isEmpty() || !interpolations.stream().allMatch(ComposeFile.Interpolation::required)) {
                problems.add(service.name() + " " + key + " = " + value
                        + " (a secret must come from ${VAR:?message}: required, never a default or a literal)");
            }
            interpolations.forEach(interpolation -> secretsSeen.add(interpolation.variable()));
        }));

        // then
        assertTrue(problems.isEmpty(), "secrets with a default or a literal value:\n  " + String.join("\n  ", problems));
        assertTrue(secretsSeen.containsAll(Set.of("JIT_ISSUER_MASTER_KEY", "POSTGRES_PASSWORD", "KAFKA_BROKER_PASSWORD",
                "REQUEST_SERVICE_DB_PASSWORD", "ISSUER_SERVICE_DB_PASSWORD", "GRAFANA_ADMIN_PASSWORD")), secretsSeen.toString());
        assertEquals("false", COMPOSE.service(KafkaAccess.ISSUER_SERVICE).environment().get("JIT_ISSUER_INSECURE_DEV_MASTER_KEY"),
                "production must never run on the public development master key");
    }

    @Test
    void shouldListEveryRequiredVariableWhenAnOperatorCopiesTheEnvExample() {
        // given
        Set<String> required = new TreeSet<>();
        COMPOSE.services().values().forEach(service -> service.environment().values().forEach(value ->
                ComposeFile.interpolations(value).stream().filter(ComposeFile.Interpolation::required)
                        .forEach(interpolation -> required.add(interpolation.variable()))));

        // when
        Set<String> listed = new TreeSet<>();
        ComposeServiceVariables.read(ROOT.resolve("deploy/env.example")).lines()
                .filter(line -> line.matches("[A-Z][A-Z0-9_]*=.*"))
                .forEach(line -> listed.add(line.substring(0, line.indexOf('='))));
        required.removeAll(listed);

        // then
        assertTrue(required.isEmpty(), "docker-compose.yml requires variables deploy/env.example does not list: " + required);
    }

    @Test
    void shouldGiveEveryContainerAnImageAndAHealthCheckWhenItKeepsRunning() {
        // given
        List<String> problems = new ArrayList<>();
        Set<String> awaitedToComplete = new TreeSet<>();
        COMPOSE.services().values().forEach(service -> service.dependsOn().forEach((dependency, condition) -> {
            if (condition.equals("service_completed_successfully")) {
                awaitedToComplete.add(dependency);
            }
        }));

        // when
        for (ComposeFile.Service service : COMPOSE.services().values()) {
            if (service.image().isEmpty()) {
                problems.add(service.name() + " has no image");
            }
            if (service.oneShot()) {
                if (!awaitedToComplete.contains(service.name())) {
                    problems.add(service.name() + " runs once (restart: \"no\") but nothing waits for it to complete");
                }
            } else if (service.healthcheck().map(check -> check.get("test")).isEmpty()) {
                problems.add(service.name() + " keeps running but has no healthcheck.test");
            }
        }

        // then
        assertTrue(problems.isEmpty(), String.join("\n", problems));
    }

    @Test
    void shouldRunEachServiceFromItsJibImageOnItsPortWhenComposeStartsIt() {
        // given
        String version = projectVersion();
        List<String> problems = new ArrayList<>();

        // when
        for (String service : SERVICES) {
            ComposeFile.Service container = COMPOSE.service(service);
            String expectedImage = "jit-broker/" + service + ":" + version;
            if (!container.image().orElse("").equals(expectedImage)) {
                problems.add(service + ": image " + container.image().orElse("(none)") + ", Jib builds " + expectedImage);
            }
            String port = container.environment().get("HTTP_PORT");
            String jibPort = jibPort(service);
            if (!jibPort.equals(port)) {
                problems.add(service + ": HTTP_PORT " + port + " but the image exposes " + jibPort + " (" + service + "/pom.xml)");
            }
            String check = String.valueOf(container.healthcheck().map(health -> health.get("test")).orElse(""));
            // Over TLS (curl in the base image), trusting the deployment's CA, to the name the certificate carries.
            if (!check.contains("https://" + service + ":" + port + "/health") || !check.contains("--cacert")) {
                problems.add(service + ": the health check must ask GET https://" + service + ":" + port
                        + "/health with the CA, it is " + check);
            }
        }

        // then
        assertTrue(problems.isEmpty(), String.join("\n", problems));
    }

    @Test
    void shouldMakeEachServiceWaitForWhatItReadsWhenStarting() {
        // given: a variable read → the container it points at and how ready that must be
        Map<String, List<String>> needs = Map.of(
                "KAFKA_BOOTSTRAP_SERVERS", List.of("kafka", "kafka-init", "service_completed_successfully"),
                // The registry must hold this release's schemas: the deploy step registers them (services never do).
                "SCHEMA_REGISTRY_URL", List.of("schema-registry", "schema-deploy", "service_completed_successfully"),
                "DATASOURCE_URL", List.of("postgres", "postgres", "service_healthy"));
        List<String> problems = new ArrayList<>();

        // when
        for (String service : SERVICES) {
            ComposeFile.Service container = COMPOSE.service(service);
            Map<String, String> environment = container.environment();
            needs.forEach((variable, need) -> {
                if (!ComposeServiceVariables.of(ROOT, service).declared().containsKey(variable)) {
                    return;
                }
                String host = hostOf(environment.getOrDefault(variable, ""));
                if (!need.get(0).equals(host)) {
                    problems.add(service + " " + variable + " points at '" + host + "', expected " + need.get(0));
                }
                if (!need.get(2).equals(container.dependsOn().get(need.get(1)))) {
                    problems.add(service + " must depend on " + need.get(1) + " with condition " + need.get(2)
                            + ", it has " + container.dependsOn());
                }
            });
        }
        COMPOSE.services().values().forEach(service -> service.dependsOn().forEach((dependency, condition) -> {
            ComposeFile.Service target = COMPOSE.service(dependency);
            if (condition.equals("service_healthy") && target.healthcheck().isEmpty()) {
                problems.add(service.name() + " waits for " + dependency + " to be healthy, which has no health check");
            }
            if (condition.equals("service_completed_successfully") && !target.oneShot()) {
                problems.add(service.name() + " waits for " + dependency + " to complete, which keeps running");
            }
        }));

        // then
        assertTrue(problems.isEmpty(), String.join("\n", problems));
    }

    @Test
    void shouldScrapeExactlyTheFourServicesWhenPrometheusRuns() {
        // given
        Map<String, Object> config = ComposeFile.yamlMap(ComposeServiceVariables.read(ROOT.resolve("deploy/prometheus/prometheus.yml")));
        Map<String, String> expected = new TreeMap<>();
        SERVICES.forEach(service -> expected.put(service,
                "/prometheus " + service + ":" + COMPOSE.service(service).environment().get("HTTP_PORT")));

        // when
        Map<String, String> scraped = new TreeMap<>();
        for (Object job : (List<?>) config.get("scrape_configs")) {
            Map<String, Object> scrape = ComposeFile.map(job, "scrape_configs[]");
            List<String> targets = new ArrayList<>();
            for (Object staticConfig : (List<?>) scrape.getOrDefault("static_configs", List.of())) {
                ((List<?>) ComposeFile.map(staticConfig, "static_configs[]").get("targets")).forEach(target -> targets.add(target.toString()));
            }
            for (Object dnsConfig : (List<?>) scrape.getOrDefault("dns_sd_configs", List.of())) {
                Map<String, Object> dns = ComposeFile.map(dnsConfig, "dns_sd_configs[]");
                ((List<?>) dns.get("names")).forEach(name -> targets.add(name + ":" + dns.get("port")));
            }
            scraped.put(String.valueOf(scrape.get("job_name")),
                    scrape.getOrDefault("metrics_path", "/metrics") + " " + String.join(",", targets));
        }

        // then
        assertEquals(expected, scraped, "deploy/prometheus/prometheus.yml must scrape exactly the four services' /prometheus");
        assertTrue(COMPOSE.service("prometheus").volumes().stream().anyMatch(volume -> volume.startsWith("./deploy/prometheus/prometheus.yml:")),
                "the prometheus container must mount deploy/prometheus/prometheus.yml");
    }

    @Test
    void shouldQueryOnlyMetricsTheServicesRegisterWhenTheDashboardLoads() throws IOException {
        // given
        JsonNode dashboard = JSON.readTree(ROOT.resolve("deploy/grafana/dashboards/jit-broker.json").toFile());
        Map<String, Object> datasources = ComposeFile.yamlMap(
                ComposeServiceVariables.read(ROOT.resolve("deploy/grafana/provisioning/datasources/prometheus.yml")));
        String datasourceUid = String.valueOf(ComposeFile.map(((List<?>) datasources.get("datasources")).get(0), "datasources[0]").get("uid"));
        Set<String> registered = new TreeSet<>(LIBRARY_SERIES);
        SERVICES.forEach(service -> registered.addAll(ComposeMetrics.exposedSeries(ROOT, service)));

        // when
        Map<String, Set<String>> unknownByPanel = new TreeMap<>();
        Set<String> used = new TreeSet<>();
        List<String> wrongDatasource = new ArrayList<>();
        for (JsonNode panel : panels(dashboard)) {
            for (JsonNode target : panel.path("targets")) {
                Set<String> names = ComposeMetrics.metricNames(target.path("expr").asText());
                used.addAll(names);
                names.stream().filter(name -> !registered.contains(name))
                        .forEach(name -> unknownByPanel.computeIfAbsent(panel.path("title").asText(), title -> new TreeSet<>()).add(name));
                if (!datasourceUid.equals(target.path("datasource").path("uid").asText(datasourceUid))
                        || !datasourceUid.equals(panel.path("datasource").path("uid").asText())) {
                    wrongDatasource.add(panel.path("title").asText());
                }
            }
        }

        // then
        assertTrue(unknownByPanel.isEmpty(), "the dashboard queries series no service registers (by panel): " + unknownByPanel
                + "\nregistered: " + registered);
        assertTrue(wrongDatasource.isEmpty(), "panels not on the provisioned datasource " + datasourceUid + ": " + wrongDatasource);
        Map<String, String> missing = new LinkedHashMap<>(DASHBOARD_MUST_SHOW);
        missing.values().removeAll(used);
        assertTrue(missing.isEmpty(), "the dashboard lacks: " + missing);
    }

    @Test
    void shouldMatchTopicsWhenTheTopicScriptIsGenerated() {
        assertGenerated(ComposeKafkaScripts.TOPICS_FILE, ComposeKafkaScripts.topicsScript());
    }

    @Test
    void shouldMatchKafkaAccessWhenTheAclScriptIsGenerated() {
        assertGenerated(ComposeKafkaScripts.ACLS_FILE, ComposeKafkaScripts.aclsScript());
    }

    @Test
    void shouldLogEachServiceInAsItsOwnKafkaUserWhenKafkaInitCreatedIt() {
        // given
        String init = ComposeServiceVariables.read(ROOT.resolve("deploy/kafka/init-kafka.sh"));
        Matcher usersLine = Pattern.compile("(?m)^USERS=\\(([^)]*)\\)").matcher(init);
        assertTrue(usersLine.find(), "deploy/kafka/init-kafka.sh must list its users as USERS=(...)");
        Set<String> expectedUsers = new TreeSet<>(Set.of("admin"));
        KafkaAccess.PRINCIPALS.forEach(access -> expectedUsers.add(access.service()));
        Map<String, String> initEnvironment = COMPOSE.service("kafka-init").environment();
        List<String> problems = new ArrayList<>();

        // when
        Set<String> users = new TreeSet<>(List.of(usersLine.group(1).trim().split("\\s+")));
        for (String user : users) {
            String passwordVariable = passwordVariable(user);
            if (!initEnvironment.containsKey(passwordVariable)) {
                problems.add("kafka-init does not get " + passwordVariable);
            }
        }
        for (String service : SERVICES) {
            String login = COMPOSE.service(service).environment().getOrDefault("KAFKA_SASL_JAAS_CONFIG", "");
            if (!login.contains("username=\"" + service + "\"") || !login.contains("${" + passwordVariable(service) + ":?")) {
                problems.add(service + " must log in as " + service + " with ${" + passwordVariable(service) + ":?...}, it has " + login);
            }
        }

        // then
        assertEquals(expectedUsers, users, "init-kafka.sh users vs KafkaAccess.PRINCIPALS + admin");
        assertTrue(init.contains("USERS+=(${DOWNSTREAM_PRINCIPALS:-})"), "init-kafka.sh must create the downstream users");
        assertEquals("${KAFKA_DOWNSTREAM_PRINCIPALS:-}", initEnvironment.get("DOWNSTREAM_PRINCIPALS"),
                "kafka-init must pass the deployment's downstream principals to acls.sh");
        assertTrue(problems.isEmpty(), String.join("\n", problems));
    }

    @Test
    void shouldListEveryVariableWhenTheConfigurationReferenceIsGenerated() {
        List<ComposeServiceVariables> services = SERVICES.stream().map(service -> ComposeServiceVariables.of(ROOT, service)).toList();
        assertGenerated(ComposeConfigurationReference.FILE, ComposeConfigurationReference.render(COMPOSE, services));
    }

    @Test
    void shouldFindOnlyMetricNamesWhenAnExpressionHasFunctionsLabelsAndRanges() {
        // given
        String expression = "histogram_quantile(0.95, sum by (le, backend) (rate(jit_x_seconds_bucket{backend=~\"jwt.*\"}[$__rate_interval])))"
                + " / ignoring(le) group_left sum without (instance) (increase(jit_y_total[5m] offset 1h)) > bool 0";

        // when
        Set<String> names = ComposeMetrics.metricNames(expression);

        // then
        assertEquals(Set.of("jit_x_seconds_bucket", "jit_y_total"), names);
    }

    @Test
    void shouldTellRequiredFromDefaultedWhenComposeInterpolates() {
        // given
        String value = "user=\"a\" password=\"${P:?set P}\" $${LITERAL} ${Q:-dev,staging} ${R}";

        // when
        List<ComposeFile.Interpolation> interpolations = ComposeFile.interpolations(value);

        // then
        assertEquals(List.of("P", "Q", "R"), interpolations.stream().map(ComposeFile.Interpolation::variable).toList());
        assertTrue(interpolations.get(0).required());
        assertEquals(Optional.of("dev,staging"), interpolations.get(1).defaultValue());
        assertFalse(interpolations.get(2).required());
        assertEquals(Optional.empty(), interpolations.get(2).defaultValue());
    }

    /** The file must equal what the code generates; with -Djit.deploy.regenerate=true it is rewritten first. */
    private static void assertGenerated(String relativePath, String expected) {
        GeneratedFiles.assertUpToDate(ROOT, relativePath, expected, ComposeKafkaScripts.REGENERATE_PROPERTY,
                "devstack/launcher", ComposeFileTest.class);
    }

    private static String passwordVariable(String user) {
        return "KAFKA_" + user.toUpperCase(Locale.ROOT).replace('-', '_') + "_PASSWORD";
    }

    /** kafka:9092 → kafka; http://schema-registry:8080/... → schema-registry; jdbc:postgresql://postgres:5432/x → postgres. */
    private static String hostOf(String address) {
        String withoutJdbc = address.startsWith("jdbc:") ? address.substring("jdbc:".length()) : address;
        if (withoutJdbc.contains("://")) {
            return Optional.ofNullable(URI.create(withoutJdbc).getHost()).orElse("");
        }
        return withoutJdbc.split(",")[0].split(":")[0];
    }

    private static List<JsonNode> panels(JsonNode dashboard) {
        List<JsonNode> panels = new ArrayList<>();
        Stream.of(dashboard.path("panels")).forEach(list -> list.forEach(panel -> {
            panels.add(panel);
            panel.path("panels").forEach(panels::add);
        }));
        return panels;
    }

    static String projectVersion() {
        Matcher version = Pattern.compile("<artifactId>jit-broker</artifactId>\\s*<version>([^<]+)</version>")
                .matcher(ComposeServiceVariables.read(ROOT.resolve("pom.xml")));
        assertTrue(version.find(), "no project version in the root pom.xml");
        return version.group(1);
    }

    /** The port the service's image exposes: its jib-maven-plugin entry in its pom.xml. */
    private static String jibPort(String service) {
        String pom = ComposeServiceVariables.read(ROOT.resolve(service).resolve("pom.xml"));
        Matcher port = Pattern.compile("<artifactId>jib-maven-plugin</artifactId>(?:(?!</plugin>).)*?<port>(\\d+)</port>", Pattern.DOTALL)
                .matcher(pom);
        return port.find() ? port.group(1) : "(no jib-maven-plugin port in " + service + "/pom.xml)";
    }
}
