package io.jitbroker.issuer.kafka;

import io.jitbroker.issuer.domain.Enforcement;
import io.jitbroker.issuer.domain.RevocationEnforcer;
import jakarta.inject.Singleton;

/** Publishes a RevocationEnforced exactly as recorded, and records that the broker acknowledged it. */
@Singleton
public class EnforcementAnnouncer {

    private final EnforcementEventsClient events;
    private final RevocationEnforcer enforcer;

    public EnforcementAnnouncer(EnforcementEventsClient events, RevocationEnforcer enforcer) {
        this.events = events;
        this.enforcer = enforcer;
    }

    /** @throws RuntimeException if the broker did not acknowledge; the caller retries */
    public void announce(Enforcement enforcement) {
        events.send(enforcement.grantId().toString(), EventMapping.revocationEnforced(enforcement));
        enforcer.announced(enforcement.grantId());
    }
}
