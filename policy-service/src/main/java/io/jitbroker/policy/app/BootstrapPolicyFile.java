package io.jitbroker.policy.app;

import io.jitbroker.policy.domain.InvalidPolicyException;
import io.jitbroker.policy.domain.Policy;
import io.micronaut.core.annotation.Nullable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * The policy file named by JIT_POLICY_FILE, already validated: published as the first bundle when
 * jit.policies.v1 holds none of this instance's name. {@link #none()} when no file is configured.
 *
 * @param location as configured: a path or {@code classpath:...}
 * @param document its text
 * @param policy   what it parsed to
 */
public record BootstrapPolicyFile(@Nullable String location, @Nullable String document, @Nullable Policy policy) {

    private static final String CLASSPATH_PREFIX = "classpath:";

    public static BootstrapPolicyFile none() {
        return new BootstrapPolicyFile(null, null, null);
    }

    /**
     * Reads and validates the file at {@code location} (blank: none).
     *
     * @throws InvalidPolicyException when the file is missing or cannot be read
     * @throws InvalidBundleException when it does not parse or type-check, naming the line
     */
    public static BootstrapPolicyFile read(@Nullable String location) {
        if (location == null || location.isBlank()) {
            return none();
        }
        String where = location.strip();
        String document = readDocument(where);
        return new BootstrapPolicyFile(where, document, PolicyDocuments.parse(document, where));
    }

    public boolean isConfigured() {
        return location != null;
    }

    /** The publishedBy of the bundle made from this file. */
    public String publisher() {
        return "policy-service bootstrap from " + location;
    }

    private static String readDocument(String location) {
        if (location.startsWith(CLASSPATH_PREFIX)) {
            String resource = location.substring(CLASSPATH_PREFIX.length()).replaceFirst("^/", "");
            try (InputStream in = BootstrapPolicyFile.class.getClassLoader().getResourceAsStream(resource)) {
                if (in == null) {
                    throw new InvalidPolicyException("policy " + location + " not found on the classpath");
                }
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new InvalidPolicyException("policy " + location + " could not be read: " + e.getMessage(), e);
            }
        }
        try {
            return Files.readString(Path.of(location), StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new InvalidPolicyException("policy file " + location + " does not exist", e);
        } catch (IOException e) {
            throw new InvalidPolicyException("policy file " + location + " could not be read: " + e, e);
        }
    }
}
