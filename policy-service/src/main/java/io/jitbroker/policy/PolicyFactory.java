package io.jitbroker.policy;

import io.jitbroker.policy.domain.InvalidPolicyException;
import io.jitbroker.policy.domain.Policy;
import io.jitbroker.policy.domain.PolicyEngine;
import io.jitbroker.policy.domain.PolicyParser;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Value;
import io.micronaut.core.annotation.Nullable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads the policy named by {@code jit.policy.file} (env {@code JIT_POLICY_FILE}) at startup. Eager,
 * so that a missing or invalid file stops the service before it consumes a single request: fail
 * closed, never run on a policy that does not say what its author meant.
 */
@Factory
public class PolicyFactory {

    private static final Logger LOG = LoggerFactory.getLogger(PolicyFactory.class);
    static final String CLASSPATH_PREFIX = "classpath:";

    @Context
    Policy policy(@Nullable @Value("${jit.policy.file:}") String location) {
        if (location == null || location.isBlank()) {
            LOG.warn("No policy file configured (jit.policy.file / JIT_POLICY_FILE): every request will be denied");
            return Policy.denyAll();
        }
        Policy policy = PolicyParser.parse(read(location.strip()), location.strip());
        LOG.info("Loaded policy {} from {}: {} rule(s), environments {}, global max ttl {} s",
                policy.version(), location, policy.rules().size(), policy.environments(), policy.maxTtlSeconds());
        return policy;
    }

    @Context
    PolicyEngine policyEngine(Policy policy) {
        return new PolicyEngine(policy);
    }

    private static String read(String location) {
        if (location.startsWith(CLASSPATH_PREFIX)) {
            String resource = location.substring(CLASSPATH_PREFIX.length()).replaceFirst("^/", "");
            try (InputStream in = PolicyFactory.class.getClassLoader().getResourceAsStream(resource)) {
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
