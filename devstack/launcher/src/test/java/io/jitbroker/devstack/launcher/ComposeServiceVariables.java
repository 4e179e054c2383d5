package io.jitbroker.devstack.launcher;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;

/**
 * The environment variables one service reads, found in its sources rather than written down twice:
 * the {@code ${NAME:default}} placeholders of its src/main/resources/application.yml (with their
 * defaults), those of its logback.xml ({@code ${NAME:-default}}) and any {@code System.getenv("NAME")}
 * in its main code. Two reads are not spelled out
 * in either place and are rules here:
 * <ul>
 *   <li>a service with micronaut-kafka clients ({@code @KafkaListener}/{@code @KafkaClient}) hands
 *   every {@code kafka.*} property to them, and Micronaut maps {@code KAFKA_SASL_JAAS_CONFIG} to
 *   {@code kafka.sasl.jaas.config}: such a service also reads {@code KAFKA_<client setting>};</li>
 *   <li>issuer-service reads {@code JIT_POSTGRES_TARGET_<NAME>_URL}, {@code _ADMIN_USER} and
 *   {@code _ADMIN_PASSWORD} for each name in {@code JIT_POSTGRES_TARGETS} (PostgresTargetSettings).</li>
 * </ul>
 */
final class ComposeServiceVariables {

    /** {@code ${NAME}} or {@code ${NAME:default}}; a default with ':' is in backticks. */
    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([A-Z][A-Z0-9_]*)(?::(`[^`]*`|[^}]*))?}");
    /** Logback's {@code ${NAME}} or {@code ${NAME:-default}} in src/main/resources/logback.xml. */
    private static final Pattern LOGBACK_PLACEHOLDER = Pattern.compile("\\$\\{([A-Z][A-Z0-9_]*)(?::-([^}]*))?}");
    private static final Pattern GETENV = Pattern.compile("System\\.getenv\\(\\s*\"([A-Z][A-Z0-9_]*)\"\\s*\\)");
    private static final Pattern MICRONAUT_KAFKA_CLIENT = Pattern.compile("@Kafka(Listener|Client)\\b");
    private static final String POSTGRES_TARGET_PREFIX = "JIT_POSTGRES_TARGET_";
    private static final Pattern POSTGRES_TARGET_SETTING =
            Pattern.compile(POSTGRES_TARGET_PREFIX + "([A-Z0-9_]+)_(URL|ADMIN_USER|ADMIN_PASSWORD)");

    private final String service;
    /** Variable → its default in the service (empty string: an empty default; absent: none). */
    private final Map<String, Optional<String>> declared;
    private final boolean micronautKafkaClients;
    private final boolean postgresTargets;

    private ComposeServiceVariables(String service, Map<String, Optional<String>> declared, boolean micronautKafkaClients,
                                    boolean postgresTargets) {
        this.service = service;
        this.declared = declared;
        this.micronautKafkaClients = micronautKafkaClients;
        this.postgresTargets = postgresTargets;
    }

    static ComposeServiceVariables of(Path repositoryRoot, String service) {
        Path module = repositoryRoot.resolve(service);
        Map<String, Optional<String>> declared = new TreeMap<>();
        Matcher placeholders = PLACEHOLDER.matcher(read(module.resolve("src/main/resources/application.yml")));
        while (placeholders.find()) {
            Optional<String> defaultValue = Optional.ofNullable(placeholders.group(2))
                    .map(value -> value.startsWith("`") ? value.substring(1, value.length() - 1) : value);
            declared.putIfAbsent(placeholders.group(1), defaultValue);
        }
        Matcher logging = LOGBACK_PLACEHOLDER.matcher(read(module.resolve("src/main/resources/logback.xml")));
        while (logging.find()) {
            declared.putIfAbsent(logging.group(1), Optional.ofNullable(logging.group(2)));
        }
        String mainCode = mainSources(module);
        Matcher getenv = GETENV.matcher(mainCode);
        while (getenv.find()) {
            declared.putIfAbsent(getenv.group(1), Optional.empty());
        }
        return new ComposeServiceVariables(service, declared, MICRONAUT_KAFKA_CLIENT.matcher(mainCode).find(),
                mainCode.contains("\"" + POSTGRES_TARGET_PREFIX + "\""));
    }

    String service() {
        return service;
    }

    /** The variables written down in the service (application.yml, getenv), with their defaults. */
    Map<String, Optional<String>> declared() {
        return declared;
    }

    /**
     * Whether the service reads {@code variable}: declared, or covered by one of the two rules above.
     *
     * @param postgresTargetNames the value of JIT_POSTGRES_TARGETS the service gets
     */
    boolean reads(String variable, String postgresTargetNames) {
        if (declared.containsKey(variable)) {
            return true;
        }
        if (micronautKafkaClients && variable.startsWith("KAFKA_")) {
            String setting = variable.substring("KAFKA_".length()).toLowerCase(Locale.ROOT).replace('_', '.');
            if (ProducerConfig.configNames().contains(setting) || ConsumerConfig.configNames().contains(setting)) {
                return true;
            }
        }
        Matcher target = POSTGRES_TARGET_SETTING.matcher(variable);
        if (postgresTargets && target.matches()) {
            return Stream.of(postgresTargetNames.split(","))
                    .map(name -> name.trim().toUpperCase(Locale.ROOT).replace('-', '_'))
                    .anyMatch(target.group(1)::equals);
        }
        return false;
    }

    boolean usesMicronautKafkaClients() {
        return micronautKafkaClients;
    }

    boolean readsPostgresTargets() {
        return postgresTargets;
    }

    static String mainSources(Path module) {
        Path sources = module.resolve("src/main/java");
        try (Stream<Path> files = Files.walk(sources)) {
            StringBuilder all = new StringBuilder();
            files.filter(file -> file.toString().endsWith(".java")).sorted()
                    .forEach(file -> all.append(read(file)).append('\n'));
            return all.toString();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }
}
