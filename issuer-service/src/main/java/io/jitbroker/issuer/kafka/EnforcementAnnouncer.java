package io.jitbroker.issuer.kafka;

import io.jitbroker.issuer.domain.Enforcement;
import io.jitbroker.issuer.domain.RevocationEnforcer;
import jakarta.inject.Singleton;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.RecordMetadata;

/**
 * Publishes a RevocationEnforced exactly as recorded, and records that the broker acknowledged it;
 * a batch of them can be sent together and awaited together.
 */
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
        send(enforcement).awaitAcknowledged();
    }

    /** Sends the announcement without waiting; {@link Sent#awaitAcknowledged} finishes it. */
    public Sent send(Enforcement enforcement) {
        return new Sent(enforcement, events.send(enforcement.grantId().toString(), EventMapping.revocationEnforced(enforcement)));
    }

    /** An announcement on its way to the broker. */
    public final class Sent {

        private final Enforcement enforcement;
        private final Future<RecordMetadata> sent;

        private Sent(Enforcement enforcement, Future<RecordMetadata> sent) {
            this.enforcement = enforcement;
            this.sent = sent;
        }

        public Enforcement enforcement() {
            return enforcement;
        }

        /** Waits for the broker's acknowledgement, then records it. @throws IllegalStateException if it failed */
        public void awaitAcknowledged() {
            try {
                sent.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while announcing the enforcement of grant "
                        + enforcement.grantId(), e);
            } catch (ExecutionException e) {
                throw new IllegalStateException("announcing the enforcement of grant " + enforcement.grantId()
                        + " failed", e.getCause());
            }
            enforcer.announced(enforcement.grantId());
        }
    }
}
