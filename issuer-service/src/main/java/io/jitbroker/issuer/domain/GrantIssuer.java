package io.jitbroker.issuer.domain;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.function.Supplier;

/** Turns an approved decision into exactly one grant, however often the decision is delivered. */
public final class GrantIssuer {

    /** The grant for the decision, and whether this call created it (false: it already existed). */
    public record Issuance(Grant grant, boolean created) {
    }

    private final GrantStore store;
    private final Clock clock;
    private final Supplier<UUID> ids;
    private final Predicate<String> postgresTargetConfigured;

    /**
     * @param postgresTargetConfigured whether a PostgreSQL target of that name is configured
     */
    public GrantIssuer(GrantStore store, Clock clock, Supplier<UUID> ids, Predicate<String> postgresTargetConfigured) {
        this.store = store;
        this.clock = clock;
        this.ids = ids;
        this.postgresTargetConfigured = postgresTargetConfigured;
    }

    /**
     * @throws InvalidEventException if the request already has a grant for different access (a
     *                               conflicting decision must not re-route or widen an existing grant),
     *                               or its postgres resources are malformed or on an unknown target
     */
    public Issuance issue(ApprovedDecision decision) {
        String credentialType = credentialTypeFor(decision);
        Optional<Grant> existing = store.findByRequestId(decision.requestId());
        if (existing.isPresent()) {
            return existing(existing.get(), decision);
        }
        // Millisecond precision is what the events carry; the expiry is cut to whole seconds so that
        // the JWT's exp (seconds) is exactly the grant's expiry, never later than the decision allows.
        Instant issuedAt = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        Instant expiresAt = issuedAt.plus(decision.ttl()).truncatedTo(ChronoUnit.SECONDS);
        Grant grant = Grant.issue(ids.get(), ids.get(), decision, credentialType, issuedAt, expiresAt);
        if (store.insertIfAbsent(grant)) {
            return new Issuance(grant, true);
        }
        Grant raced = store.findByRequestId(decision.requestId())
                .orElseThrow(() -> new IllegalStateException("grant for request " + decision.requestId()
                        + " conflicted on insert but cannot be read"));
        return existing(raced, decision);
    }

    /** A database login for postgres resources on a configured target; a signed JWT for anything else. */
    private String credentialTypeFor(ApprovedDecision decision) {
        if (!PostgresAccess.requestedBy(decision.resources())) {
            return Grant.JWT;
        }
        PostgresAccess access = PostgresAccess.of(decision.resources());
        if (!postgresTargetConfigured.test(access.target())) {
            throw new InvalidEventException("postgres target '" + access.target() + "' is not configured here "
                    + "(JIT_POSTGRES_TARGETS); nothing can be issued on it");
        }
        return PostgresAccess.CREDENTIAL_TYPE;
    }

    private static Issuance existing(Grant grant, ApprovedDecision decision) {
        if (!grant.coversSameAccessAs(decision)) {
            throw new InvalidEventException("request " + decision.requestId() + " already has grant " + grant.grantId()
                    + " for different access; the conflicting decision is not applied");
        }
        return new Issuance(grant, false);
    }
}
