package io.jitbroker.policy.app;

import io.jitbroker.contracts.Topics;
import io.jitbroker.events.v1.PolicyBundle;
import io.jitbroker.policy.domain.LoadedBundle;
import io.jitbroker.policy.domain.Policy;
import io.jitbroker.policy.domain.PublishRules;
import io.jitbroker.policy.domain.yaml.YamlLines;
import io.jitbroker.policy.kafka.BundleProducer;
import io.jitbroker.policy.kafka.PolicyBundleReader;
import io.micronaut.context.annotation.Value;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes a new version of this instance's bundle: validated in full first (nothing invalid
 * reaches the topic), refused if it would change what a running version means, written
 * synchronously, then awaited until this instance runs it. Authorization is the caller's job.
 */
@Singleton
public class BundleAdministration {

    private static final Logger LOG = LoggerFactory.getLogger(BundleAdministration.class);
    private static final Logger AUDIT = LoggerFactory.getLogger("jit.audit");

    private final CurrentPolicy current;
    private final PolicyBundleReader reader;
    private final BundleProducer producer;
    private final Clock clock;
    private final Duration loadWait;

    public BundleAdministration(CurrentPolicy current, PolicyBundleReader reader, BundleProducer producer, Clock clock,
                                @Value("${jit.policy.publish-wait:10s}") Duration loadWait) {
        this.current = current;
        this.reader = reader;
        this.producer = producer;
        this.clock = clock;
        this.loadWait = loadWait;
    }

    /** What came of a publication. */
    public enum Status {
        /** Written, and this instance now runs it. */
        LOADED,
        /** Written, but this instance had not loaded it when the wait ended; it will. */
        WRITTEN,
        /** The running version with the very same document: nothing written. */
        UNCHANGED
    }

    /** @param previousVersion what ran before (the same version when unchanged) */
    public record Publication(Status status, String name, String version, String previousVersion) {
    }

    /**
     * One publication at a time per instance, so that the check against the running version and
     * the write are not interleaved with another admin's.
     *
     * @param admin    the SPIFFE ID of the caller, recorded as publishedBy
     * @param document the policy YAML
     * @throws InvalidBundleException   the document does not parse or type-check, or uses a reserved version
     * @throws VersionConflictException the version is running with another document
     * @throws NotReadyException        this instance has not caught up with the topic yet
     * @throws WriteFailedException     Kafka did not acknowledge the write
     */
    public synchronized Publication publish(String admin, String document) {
        if (!reader.caughtUp()) {
            throw new NotReadyException("policy-service is still reading " + Topics.POLICIES.name() + "; try again shortly");
        }
        String name = current.name();
        Policy policy = PolicyDocuments.parse(document, "bundle '" + name + "' as submitted");
        String version = policy.version();
        LoadedBundle running = current.bundle();
        switch (PublishRules.verdict(running, version, document)) {
            case UNCHANGED -> {
                LOG.info("{} re-published bundle {} version {} unchanged; nothing written", admin, name, version);
                return new Publication(Status.UNCHANGED, name, version, running.version());
            }
            case VERSION_CONFLICT -> throw new VersionConflictException("version '" + version + "' of bundle '" + name
                    + "' is already running with a different document; versions are immutable: give the new document a new version");
            case RESERVED_VERSION -> throw new InvalidBundleException(YamlLines.lineOf(document, "version", null),
                    "version: '" + version + "' is reserved (it labels decisions made before any bundle is loaded)", null);
            case PUBLISH -> {
                // below
            }
        }
        PolicyBundle bundle = PolicyBundle.newBuilder()
                .setName(name)
                .setVersion(version)
                .setDocument(document)
                .setPublishedBy(admin)
                .setPublishedAt(clock.instant().truncatedTo(ChronoUnit.MILLIS))
                .build();
        RecordMetadata written = producer.publish(bundle);
        AUDIT.info("policy bundle {} version {} published by {} at {}-{}@{} ({} rules); previous version {}", name, version,
                admin, written.topic(), written.partition(), written.offset(), policy.rules().size(), running.version());
        boolean loaded = reader.awaitRead(new TopicPartition(written.topic(), written.partition()), written.offset(), loadWait);
        if (!loaded) {
            LOG.warn("Bundle {} version {} was written but not loaded here within {}", name, version, loadWait);
        } else if (!current.version().equals(version)) {
            LOG.warn("Bundle {} version {} was read back, but version {} runs here", name, version, current.version());
        }
        return new Publication(loaded ? Status.LOADED : Status.WRITTEN, name, version, running.version());
    }
}
