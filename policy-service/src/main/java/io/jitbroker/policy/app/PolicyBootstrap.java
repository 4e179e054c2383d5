package io.jitbroker.policy.app;

import io.jitbroker.contracts.Topics;
import io.jitbroker.events.v1.PolicyBundle;
import io.jitbroker.policy.kafka.BundleProducer;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Value;
import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Provider;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The file named by {@code jit.policy.file} (env {@code JIT_POLICY_FILE}): read and validated at
 * startup even when jit.policies.v1 already holds a bundle, so that a missing or invalid file
 * stops the service, naming the line and the error, before it touches Kafka; published as the
 * first version of this instance's bundle when the bundle reader finds none on the topic.
 */
@Context
public class PolicyBootstrap {

    private static final Logger LOG = LoggerFactory.getLogger(PolicyBootstrap.class);

    private final BootstrapPolicyFile file;
    private final CurrentPolicy current;
    private final Provider<BundleProducer> producer;

    /** @param producer a provider: the file is validated before any Kafka client exists, and most starts never publish it */
    public PolicyBootstrap(@Nullable @Value("${jit.policy.file:}") String location, CurrentPolicy current,
                           Provider<BundleProducer> producer) {
        this.file = BootstrapPolicyFile.read(location);
        this.current = current;
        this.producer = producer;
        if (!file.isConfigured()) {
            LOG.info("No bootstrap policy file (jit.policy.file / JIT_POLICY_FILE): until a bundle is published, every request is denied");
        } else {
            LOG.info("Bootstrap policy {} is valid: version {}, {} rule(s), environments {}; it is published only if {} holds no bundle yet",
                    file.location(), file.policy().version(), file.policy().rules().size(), file.policy().environments(),
                    Topics.POLICIES.name());
        }
    }

    public boolean isConfigured() {
        return file.isConfigured();
    }

    /**
     * Publishes the file as the first version of this instance's bundle: only when {@link #isConfigured()} and the
     * topic holds no version of the bundle.
     *
     * @return where it was written
     * @throws WriteFailedException when Kafka did not take it; the caller tries again
     */
    public RecordMetadata publishFirstVersion() {
        PolicyBundle bundle = PolicyBundle.newBuilder()
                .setName(current.name())
                .setVersion(file.policy().version())
                .setDocument(file.document())
                .setPublishedBy(file.publisher())
                .setPublishedAt(Instant.now().truncatedTo(ChronoUnit.MILLIS))
                .build();
        RecordMetadata written = producer.get().publish(bundle);
        LOG.info("No policy bundle {} on {}: published {} version {} as its first version at {}-{}@{}", current.name(),
                Topics.POLICIES.name(), file.location(), bundle.getVersion(), written.topic(), written.partition(),
                written.offset());
        return written;
    }
}
