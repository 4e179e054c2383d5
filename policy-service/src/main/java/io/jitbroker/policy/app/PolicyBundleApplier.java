package io.jitbroker.policy.app;

import io.jitbroker.events.v1.PolicyBundle;
import io.jitbroker.policy.domain.LoadedBundle;
import io.jitbroker.policy.domain.Policy;
import io.jitbroker.policy.domain.PolicyEngine;
import io.jitbroker.policy.metrics.BundleMetrics;
import io.micronaut.context.event.ApplicationEventPublisher;
import jakarta.inject.Singleton;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns a version of this instance's bundle, as read from jit.policies.v1, into the running
 * policy: compiled once, swapped into {@link CurrentPolicy} (the decisions' topology sees the new
 * version there and re-evaluates the active grants against it), shown on the
 * {@code jit.policy.bundle} gauge, and announced as a {@link PolicyChanged}.
 *
 * <p>A valid version replaces the running policy whatever its version (the last valid record wins,
 * so every instance that reads the same log ends on the same version); the same version with the
 * same document again is a no-op. A document that does not parse and type-check, or whose version
 * is not the record's, changes nothing: the running policy stays.
 */
@Singleton
public class PolicyBundleApplier {

    private static final Logger LOG = LoggerFactory.getLogger(PolicyBundleApplier.class);

    private final CurrentPolicy current;
    private final ApplicationEventPublisher<PolicyChanged> events;
    private final BundleMetrics metrics;

    public PolicyBundleApplier(CurrentPolicy current, ApplicationEventPublisher<PolicyChanged> events, BundleMetrics metrics) {
        this.current = current;
        this.events = events;
        this.metrics = metrics;
        metrics.loaded(current.bundle());
    }

    /**
     * @param bundle     a version of this instance's bundle (its name is the running one's)
     * @param where      where it was read, e.g. {@code jit.policies.v1-0@42}, for logs and messages
     * @param catchingUp whether the instance is still reading what was published before it started
     * @return why it was refused; empty when it runs now (or already ran)
     */
    public Optional<String> apply(PolicyBundle bundle, String where, boolean catchingUp) {
        LoadedBundle running = current.bundle();
        if (running.sameAs(bundle.getVersion(), bundle.getDocument())) {
            LOG.debug("Bundle {} version {} at {} is already running", bundle.getName(), bundle.getVersion(), where);
            return Optional.empty();
        }
        Policy policy;
        try {
            policy = PolicyDocuments.parse(bundle.getDocument(), "bundle '" + bundle.getName() + "' at " + where);
        } catch (InvalidBundleException e) {
            return Optional.of(e.getMessage());
        }
        if (!policy.version().equals(bundle.getVersion())) {
            return Optional.of("the record says version '" + bundle.getVersion() + "' but its document says '"
                    + policy.version() + "'");
        }
        LoadedBundle next = new LoadedBundle(bundle.getName(), bundle.getVersion(), bundle.getDocument(),
                bundle.getPublishedBy(), bundle.getPublishedAt(), new PolicyEngine(policy));
        LoadedBundle previous = current.replace(next);
        metrics.loaded(next);
        if (previous.version().equals(next.version())) {
            LOG.warn("Bundle {} version {} at {} has a different document than the running one with the same version;"
                    + " loaded it (the latest valid record wins)", next.name(), next.version(), where);
        }
        LOG.info("Loaded policy bundle {} version {} ({} rules) published by {} at {} from {}; previous version {}",
                next.name(), next.version(), policy.rules().size(), next.publishedBy(), next.publishedAt(), where,
                previous.version());
        announce(previous, next, catchingUp);
        return Optional.empty();
    }

    private void announce(LoadedBundle previous, LoadedBundle next, boolean catchingUp) {
        try {
            events.publishEvent(new PolicyChanged(previous, next, catchingUp));
        } catch (RuntimeException e) {
            LOG.error("A listener of the change of bundle {} from version {} to {} failed", next.name(),
                    previous.version(), next.version(), e);
        }
    }
}
