package io.jitbroker.devstack.launcher;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * docker-compose.yml as Compose reads it: YAML with anchors and merge keys resolved, each service's
 * image, environment, health check and dependencies, and the {@code ${VAR...}} interpolations in a value.
 */
record ComposeFile(Map<String, ComposeFile.Service> services) {

    /** A Compose interpolation: {@code ${NAME}}, {@code ${NAME:-default}}, {@code ${NAME:?message}} and the forms without ':'. */
    private static final Pattern INTERPOLATION = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?])([^}]*))?}");

    static ComposeFile load(Path file) {
        try {
            return parse(Files.readString(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static ComposeFile parse(String yaml) {
        Map<String, Object> root = yamlMap(yaml);
        Map<String, Service> services = new LinkedHashMap<>();
        map(root.get("services"), "services").forEach((name, definition) ->
                services.put(name, new Service(name, map(definition, "services." + name))));
        return new ComposeFile(services);
    }

    /** Safe YAML (no arbitrary types), merge keys ({@code <<}) applied as Compose applies them. */
    static Map<String, Object> yamlMap(String yaml) {
        Object loaded = new Yaml(new SafeConstructor(new LoaderOptions())).load(yaml);
        return map(loaded, "the document");
    }

    Service service(String name) {
        Service service = services.get(name);
        if (service == null) {
            throw new AssertionError("docker-compose.yml has no service " + name + "; it has " + services.keySet());
        }
        return service;
    }

    /** Every interpolation in a value, in order ({@code $$} is a literal dollar and is skipped). */
    static List<Interpolation> interpolations(String value) {
        List<Interpolation> found = new ArrayList<>();
        Matcher matcher = INTERPOLATION.matcher(value.replace("$$", ""));
        while (matcher.find()) {
            found.add(new Interpolation(matcher.group(1), matcher.group(2) == null ? "" : matcher.group(2),
                    matcher.group(3) == null ? "" : matcher.group(3)));
        }
        return found;
    }

    /**
     * @param operator {@code ""} (plain), {@code ":-"}/{@code "-"} (default), {@code ":?"}/{@code "?"} (required)
     * @param argument the default or the error message
     */
    record Interpolation(String variable, String operator, String argument) {

        boolean required() {
            return operator.endsWith("?");
        }

        Optional<String> defaultValue() {
            return operator.endsWith("-") ? Optional.of(argument) : Optional.empty();
        }
    }

    record Service(String name, Map<String, Object> definition) {

        Optional<String> image() {
            return Optional.ofNullable(definition.get("image")).map(Object::toString);
        }

        /** The environment as the container gets it (map or KEY=VALUE list), values as text. */
        Map<String, String> environment() {
            Object environment = definition.get("environment");
            Map<String, String> variables = new LinkedHashMap<>();
            if (environment instanceof Map<?, ?> entries) {
                entries.forEach((key, value) -> variables.put(key.toString(), value == null ? "" : value.toString()));
            } else if (environment instanceof List<?> entries) {
                for (Object entry : entries) {
                    String[] keyValue = entry.toString().split("=", 2);
                    variables.put(keyValue[0], keyValue.length == 2 ? keyValue[1] : "");
                }
            }
            return variables;
        }

        Optional<Map<String, Object>> healthcheck() {
            return Optional.ofNullable(definition.get("healthcheck")).map(value -> map(value, name + ".healthcheck"));
        }

        /** Each dependency with its condition; the short (list) form means {@code service_started}. */
        Map<String, String> dependsOn() {
            Object dependsOn = definition.get("depends_on");
            Map<String, String> conditions = new LinkedHashMap<>();
            if (dependsOn instanceof List<?> names) {
                names.forEach(dependency -> conditions.put(dependency.toString(), "service_started"));
            } else if (dependsOn instanceof Map<?, ?> entries) {
                entries.forEach((dependency, settings) -> conditions.put(dependency.toString(),
                        String.valueOf(map(settings, name + ".depends_on." + dependency).getOrDefault("condition", "service_started"))));
            }
            return conditions;
        }

        /** A job that runs once and exits (others wait for it with service_completed_successfully). */
        boolean oneShot() {
            return "no".equals(String.valueOf(definition.get("restart")));
        }

        List<String> volumes() {
            Object volumes = definition.get("volumes");
            return volumes instanceof List<?> list ? list.stream().map(Object::toString).toList() : List.of();
        }
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object value, String where) {
        if (!(value instanceof Map<?, ?>)) {
            throw new AssertionError(where + " must be a mapping, found " + value);
        }
        return (Map<String, Object>) value;
    }
}
