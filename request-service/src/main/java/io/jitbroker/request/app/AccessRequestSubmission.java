package io.jitbroker.request.app;

import io.jitbroker.micronaut.http.ApiException;
import io.jitbroker.request.domain.LedgerEntry;
import io.jitbroker.request.domain.ValidAccessRequest;
import io.jitbroker.request.kafka.EventPublisher;
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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Accepts a valid access request: one transaction stores the PENDING ledger row and publishes the
 * AccessRequest synchronously, so a failed publish rolls the row back and nothing is half done.
 * An Idempotency-Key makes retries safe: the database's unique key on (workload, key) settles
 * concurrent retries, and the loser answers with the winner's request.
 */
@Singleton
public class AccessRequestSubmission {

    private static final Logger LOG = LoggerFactory.getLogger(AccessRequestSubmission.class);

    private final Ledger ledger;
    private final EventPublisher publisher;
    private final Clock clock;

    public AccessRequestSubmission(Ledger ledger, EventPublisher publisher, Clock clock) {
        this.ledger = ledger;
        this.publisher = publisher;
        this.clock = clock;
    }

    /**
     * @param workloadClaims the caller's non-secret token claims, published with the request and not stored
     * @throws io.jitbroker.request.kafka.PublishFailedException when Kafka did not take it (nothing stored)
     * @throws ApiException 409 when the key was used for a different request
     */
    public Submitted submit(String workloadId, @Nullable String idempotencyKey, ValidAccessRequest request,
                            Map<String, String> workloadClaims) {
        if (idempotencyKey != null) {
            Optional<LedgerEntry> earlier = ledger.findByIdempotencyKey(workloadId, idempotencyKey);
            if (earlier.isPresent()) {
                return replay(earlier.get(), request);
            }
        }
        // Millisecond precision: the event's timestamp-millis and the ledger must show the same instant.
        LedgerEntry entry = LedgerEntry.pending(UUID.randomUUID().toString(), workloadId, request, idempotencyKey,
                clock.instant().truncatedTo(ChronoUnit.MILLIS));
        try {
            ledger.insert(entry, () -> publisher.publishAccessRequest(entry, workloadClaims));
        } catch (IdempotencyKeyTakenException e) {
            LedgerEntry winner = ledger.findByIdempotencyKey(workloadId, idempotencyKey)
                    .orElseThrow(() -> new IllegalStateException("Idempotency-Key collided but no row holds it", e));
            return replay(winner, request);
        }
        return new Submitted(entry, false);
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
