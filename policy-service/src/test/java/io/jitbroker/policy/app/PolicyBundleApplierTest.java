package io.jitbroker.policy.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jitbroker.events.v1.PolicyBundle;
import io.jitbroker.kafka.RegistrySerdes;
import io.jitbroker.policy.metrics.BundleMetrics;
import io.jitbroker.policy.support.PolicyDocs;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A version read from the topic becomes the running policy only when it is valid and new. */
class PolicyBundleApplierTest {

    private static final String WHERE = "jit.policies.v1-0@7";
    private static final Instant PUBLISHED_AT = Instant.parse("2026-11-23T10:00:00Z");

    private final CurrentPolicy current = new CurrentPolicy("default");
    private final MeterRegistry meters = new SimpleMeterRegistry();
    private final List<PolicyChanged> changes = new ArrayList<>();
    private final PolicyBundleApplier applier = new PolicyBundleApplier(current, changes::add, new BundleMetrics(meters));

    @BeforeAll
    static void trustEvents() {
        // Before the first Avro class loads, as in production: later tests of this JVM decode events.
        RegistrySerdes.trustEventsPackage();
    }

    @Test
    void shouldRunAndAnnounceTheVersionWhenItIsValid() {
        // when
        Optional<String> refusal = applier.apply(bundle("v1", PolicyDocs.valid("v1")), WHERE, true);

        // then
        assertEquals(Optional.empty(), refusal);
        assertEquals("v1", current.version());
        assertEquals(1, changes.size());
        assertTrue(changes.get(0).previous().isDenyAll());
        assertEquals("v1", changes.get(0).current().version());
        assertTrue(changes.get(0).catchingUp());
        assertEquals(1, meters.get("jit.policy.bundle").tag("version", "v1").gauge().value());
    }

    @Test
    void shouldChangeNothingWhenTheRunningVersionComesAgain() {
        // given
        applier.apply(bundle("v1", PolicyDocs.valid("v1")), WHERE, false);

        // when
        Optional<String> refusal = applier.apply(bundle("v1", PolicyDocs.valid("v1")), WHERE, false);

        // then
        assertEquals(Optional.empty(), refusal);
        assertEquals(1, changes.size());
    }

    @Test
    void shouldRefuseAndKeepTheRunningPolicyWhenConditionDoesNotTypeCheck() {
        // given
        applier.apply(bundle("v1", PolicyDocs.valid("v1")), WHERE, false);
        String broken = PolicyDocs.valid("v2").replace("request.ttlSeconds <= 600", "workload.path > 600");

        // when
        Optional<String> refusal = applier.apply(bundle("v2", broken), WHERE, false);

        // then
        assertTrue(refusal.orElseThrow().startsWith("line 10: policy bundle 'default' at " + WHERE + " is invalid"),
                refusal.orElseThrow());
        assertEquals("v1", current.version());
        assertEquals(1, changes.size());
    }

    @Test
    void shouldRefuseWhenTheRecordsVersionIsNotTheDocuments() {
        // when
        Optional<String> refusal = applier.apply(bundle("v2", PolicyDocs.valid("other")), WHERE, false);

        // then
        assertEquals(Optional.of("the record says version 'v2' but its document says 'other'"), refusal);
        assertTrue(current.bundle().isDenyAll());
        assertTrue(changes.isEmpty());
    }

    @Test
    void shouldRunTheVersionWhenAListenerFails() {
        // given
        PolicyBundleApplier failingListener = new PolicyBundleApplier(current, change -> {
            throw new IllegalStateException("listener broke");
        }, new BundleMetrics(new SimpleMeterRegistry()));

        // when
        Optional<String> refusal = failingListener.apply(bundle("v1", PolicyDocs.valid("v1")), WHERE, false);

        // then
        assertEquals(Optional.empty(), refusal);
        assertEquals("v1", current.version());
        assertFalse(current.bundle().isDenyAll());
    }

    private static PolicyBundle bundle(String version, String document) {
        return PolicyBundle.newBuilder()
                .setName("default")
                .setVersion(version)
                .setDocument(document)
                .setPublishedBy("spiffe://dev.local/sre/policy-admin")
                .setPublishedAt(PUBLISHED_AT)
                .build();
    }
}
