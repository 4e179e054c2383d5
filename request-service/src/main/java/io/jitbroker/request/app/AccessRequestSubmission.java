package io.jitbroker.request.app;

import io.jitbroker.micronaut.http.ApiException;
import io.jitbroker.request.domain.LedgerEntry;
import io.jitbroker.request.domain.ValidAccessRequest;
import io.jitbroker.contracts.Topics;
import io.jitbroker.events.v1.AccessRequest;
import io.jitbroker.kafka.RegistrySerdes;
import io.jitbroker.request.kafka.EventPublisher;
import io.jitbroker.request.kafka.OutboxRelay;
import io.jitbroker.request.kafka.PublishFailedException;
import io.jitbroker.request.persistence.Outbox;
import io.jitbroker.request.persistence.IdempotencyKeyTakenException;
import io.jitbroker.request.persistence.Ledger;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpStatus;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.apache.kafka.common.serialization.Serializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Accepts a valid access request: one short transaction stores the PENDING ledger row and the
 * AccessRequest event in the outbox, so both exist or neither does, and the workload has its answer
 * without waiting for Kafka; the outbox relay publishes the event right after the commit. An
 * Idempotency-Key makes retries safe: the database's unique key on (workload, key) settles concurrent
 * retries, and the loser answers with the winner's request.
 */
@Singleton
public class AccessRequestSubmission {

    private static final Logger LOG = LoggerFactory.getLogger(AccessRequestSubmission.class);

    private final Ledger ledger;
    private final Outbox outbox;
    private final OutboxRelay relay;
    private final EventPublisher events;
    private final Serializer<AccessRequest> serializer;
    private final IntakeBacklog backlog;
    private final Clock clock;

    public AccessRequestSubmission(Ledger ledger, Outbox outbox, OutboxRelay relay, EventPublisher events,
                                   RegistrySerdes serdes, IntakeBacklog backlog, Clock clock) {
        this.ledger = ledger;
        this.outbox = outbox;
        this.relay = relay;
        this.events = events;
        this.serializer = serdes.sharedValueSerializer();
        this.backlog = backlog;
        this.clock = clock;
    }

    /**
     * @param workloadClaims the caller's non-secret token claims, published with the request and not stored
     * @throws io.jitbroker.request.kafka.PublishFailedException when the event cannot be encoded (nothing stored)
     * @throws ApiException 409 when the key was used for a different request; 503 {@code overloaded}
     *                      when too many requests are on their way ({@link IntakeBacklog}), nothing stored
     */
    public Submitted submit(String workloadId, @Nullable String idempotencyKey, ValidAccessRequest request,
                            Map<String, String> workloadClaims) {
        if (idempotencyKey != null) {
            Optional<LedgerEntry> earlier = ledger.findByIdempotencyKey(workloadId, idempotencyKey);
            if (earlier.isPresent()) {
                return replay(earlier.get(), request);
            }
        }
        backlog.admit();
        // Millisecond precision: the event's timestamp-millis and the ledger must show the same instant.
        LedgerEntry entry = LedgerEntry.pending(UUID.randomUUID().toString(), workloadId, request, idempotencyKey,
                clock.instant().truncatedTo(ChronoUnit.MILLIS));
        byte[] event = encode(entry, workloadClaims);
        try {
            ledger.insert(entry, () -> outbox.append(Topics.ACCESS_REQUESTS.name(), entry.workloadId(), event));
        } catch (IdempotencyKeyTakenException e) {
            LedgerEntry winner = ledger.findByIdempotencyKey(workloadId, idempotencyKey)
                    .orElseThrow(() -> new IllegalStateException("Idempotency-Key collided but no row holds it", e));
            return replay(winner, request);
        }
        backlog.accepted(entry.requestId());
        relay.wakeUp();
        LOG.info("accepted {}access request {} of workload {} for task {}", entry.breakGlass() ? "BREAK-GLASS " : "",
                entry.requestId(), entry.workloadId(), entry.taskId());
        return new Submitted(entry, false);
    }

    /** The event as it goes on the wire; its schema was resolved when the service became ready. */
    private byte[] encode(LedgerEntry entry, Map<String, String> workloadClaims) {
        try {
            return serializer.serialize(Topics.ACCESS_REQUESTS.name(), events.accessRequest(entry, workloadClaims));
        } catch (RuntimeException e) {
            throw new PublishFailedException("could not encode access request " + entry.requestId(), e);
        }
    }

    private static Submitted replay(LedgerEntry earlier, ValidAccessRequest request) {
        if (!earlier.fingerprint().equals(request.fingerprint())) {
            LOG.warn("workload {} reused Idempotency-Key {} of request {} for a different request",
                    earlier.workloadId(), earlier.idempotencyKey(), earlier.requestId());
            throw new ApiException(HttpStatus.CONFLICT, "idempotency_key_reused",
                    "Idempotency-Key was already used for a different request (" + earlier.requestId()
                            + "); use a new key for a new request");
        }
        LOG.info("workload {} retried request {} with Idempotency-Key {}; nothing published again",
                earlier.workloadId(), earlier.requestId(), earlier.idempotencyKey());
        return new Submitted(earlier, true);
    }

    /** @param replayed true when an earlier request with the same Idempotency-Key was answered again */
    public record Submitted(LedgerEntry entry, boolean replayed) {
    }
}
