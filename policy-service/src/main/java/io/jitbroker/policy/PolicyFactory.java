package io.jitbroker.policy;

import io.jitbroker.policy.bundle.BootstrapPolicyFile;
import io.jitbroker.policy.bundle.PolicyDocuments;
import io.jitbroker.policy.bundle.PolicyOperators;
import io.jitbroker.policy.domain.InvalidPolicyException;
import io.jitbroker.policy.domain.Policy;
import io.jitbroker.contracts.Topics;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Value;
import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Builds the policy beans from configuration (application.yml, section jit). */
@Factory
public class PolicyFactory {

    private static final Logger LOG = LoggerFactory.getLogger(PolicyFactory.class);
    static final String CLASSPATH_PREFIX = "classpath:";

    /**
     * The file named by {@code jit.policy.file} (env {@code JIT_POLICY_FILE}), read and validated at
     * startup even when jit.policies.v1 already holds a bundle, so that a missing or invalid file
     * stops the service, naming the line and the error, before it touches Kafka.
     */
    @Context
    BootstrapPolicyFile bootstrapPolicyFile(@Nullable @Value("${jit.policy.file:}") String location) {
        if (location == null || location.isBlank()) {
            LOG.info("No bootstrap policy file (jit.policy.file / JIT_POLICY_FILE): until a bundle is published, every request is denied");
            return BootstrapPolicyFile.none();
        }
        String where = location.strip();
        String document = read(where);
        Policy policy = PolicyDocuments.parse(document, where);
        LOG.info("Bootstrap policy {} is valid: version {}, {} rule(s), environments {}; it is published only if {} holds no bundle yet",
                where, policy.version(), policy.rules().size(), policy.environments(), Topics.POLICIES.name());
        return new BootstrapPolicyFile(where, document, policy);
    }

    /** Eager: a list entry that is not a SPIFFE ID stops the service at startup, not at the first call. */
    @Context
    PolicyOperators policyOperators(@Value("${jit.policy.admins:}") String admins,
                                    @Value("${jit.sre-workloads:}") String sres) {
        PolicyOperators operators = PolicyOperators.fromLists(admins, sres);
        LOG.info("{} policy admin(s) may publish bundles; they and {} SRE(s) may read the bundle and explain decisions",
                operators.adminCount(), operators.sreCount());
        return operators;
    }

    @Singleton
    Clock clock() {
        return Clock.systemUTC();
    }

    static String read(String location) {
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
