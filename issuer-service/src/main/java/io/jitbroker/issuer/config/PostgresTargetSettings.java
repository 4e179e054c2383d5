package io.jitbroker.issuer.config;

import io.jitbroker.issuer.domain.PostgresAccess;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * One PostgreSQL target the issuer creates logins on, from configuration: JIT_POSTGRES_TARGETS names
 * the targets (comma-separated, e.g. {@code orders-db}); each is set by
 * {@code JIT_POSTGRES_TARGET_<NAME>_URL} (a JDBC URL naming the database), {@code _ADMIN_USER} and
 * {@code _ADMIN_PASSWORD}, NAME being the target in upper case with '-' as '_'.
 *
 * @param adminPassword never logged, never in an error message
 */
public record PostgresTargetSettings(String name, String jdbcUrl, String adminUser, String adminPassword) {

    /**
     * @param names   the JIT_POSTGRES_TARGETS value; blank means no target
     * @param setting looks a setting up by its environment variable name
     * @throws IllegalStateException naming the missing or malformed setting (never its value)
     */
    public static Map<String, PostgresTargetSettings> read(String names, Function<String, Optional<String>> setting) {
        Map<String, PostgresTargetSettings> targets = new LinkedHashMap<>();
        if (names == null || names.isBlank()) {
            return targets;
        }
        List<String> problems = new ArrayList<>();
        for (String raw : names.split(",")) {
            String name = raw.trim();
            if (name.isEmpty()) {
                continue;
            }
            if (!PostgresAccess.isTargetName(name)) {
                problems.add("target name '" + name + "' in JIT_POSTGRES_TARGETS must be lower-case letters, digits "
                        + "and '-', starting with a letter");
                continue;
            }
            String prefix = variablePrefix(name);
            Optional<String> url = setting.apply(prefix + "_URL").filter(value -> !value.isBlank());
            Optional<String> user = setting.apply(prefix + "_ADMIN_USER").filter(value -> !value.isBlank());
            if (url.isEmpty() || !url.get().startsWith("jdbc:postgresql://")) {
                problems.add(prefix + "_URL must be set to a jdbc:postgresql:// URL naming the database");
            }
            if (user.isEmpty()) {
                problems.add(prefix + "_ADMIN_USER must be set");
            }
            if (url.isPresent() && user.isPresent()) {
                targets.put(name, new PostgresTargetSettings(name, url.get(), user.get(),
                        setting.apply(prefix + "_ADMIN_PASSWORD").orElse("")));
            }
        }
        if (!problems.isEmpty()) {
            throw new IllegalStateException("PostgreSQL targets are misconfigured: " + String.join("; ", problems));
        }
        return targets;
    }

    /** {@code orders-db} → {@code JIT_POSTGRES_TARGET_ORDERS_DB}. */
    public static String variablePrefix(String name) {
        return "JIT_POSTGRES_TARGET_" + name.toUpperCase(Locale.ROOT).replace('-', '_');
    }

    @Override
    public String toString() {
        return "PostgresTargetSettings[" + name + ", " + jdbcUrl + ", admin " + adminUser + ", password=<redacted>]";
    }
}
