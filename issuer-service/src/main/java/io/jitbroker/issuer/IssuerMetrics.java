package io.jitbroker.issuer;

import io.jitbroker.issuer.domain.PickupResult;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.inject.Singleton;
import java.util.Locale;

/** The counters an SRE watches on this service (exported on /prometheus). */
@Singleton
public class IssuerMetrics {

    private final MeterRegistry registry;

    public IssuerMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    /** A new grant was stored and announced (re-announcements of an existing grant are not counted). */
    public void grantIssued() {
        registry.counter("jit.issuer.grants.issued").increment();
    }

    public void pickup(PickupResult.Outcome outcome) {
        registry.counter("jit.issuer.credential.pickups", "outcome", outcome.name().toLowerCase(Locale.ROOT)).increment();
    }

    public void introspection(boolean active) {
        registry.counter("jit.issuer.introspections", "active", Boolean.toString(active)).increment();
    }

    /** A revocation became durable here: introspection now denies the grant's credential. */
    public void revocationEnforced() {
        registry.counter("jit.issuer.revocations.enforced").increment();
    }

    /** A revocation named a grant this service does not know. */
    public void revocationForUnknownGrant() {
        registry.counter("jit.issuer.revocations.unknown.grant").increment();
    }
}
