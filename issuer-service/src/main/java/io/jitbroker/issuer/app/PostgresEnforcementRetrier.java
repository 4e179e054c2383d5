package io.jitbroker.issuer.app;

import io.jitbroker.issuer.domain.Enforcement;
import io.jitbroker.issuer.domain.Grant;
import io.jitbroker.issuer.domain.RevocationEnforcer;
import io.jitbroker.issuer.kafka.EnforcementAnnouncer;
import io.jitbroker.issuer.metrics.IssuerMetrics;
import io.micronaut.context.annotation.Value;
import io.micronaut.scheduling.annotation.Scheduled;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drops the logins of revoked postgres grants whose targets could not do it when the revocation
 * arrived, with exponential backoff per grant (doubling from the retry interval up to the maximum),
 * and announces each enforcement once it is done. The pending work is durable (revoked but not
 * enforced rows), so after a restart every instance simply tries again; two instances trying the same
 * grant is harmless (the drop is idempotent, the enforcement is recorded once). Enforcements recorded
 * but never announced (an instance stopped in between) are announced here too.
 */
@Singleton
public class PostgresEnforcementRetrier {

    private static final Logger LOG = LoggerFactory.getLogger(PostgresEnforcementRetrier.class);
    private static final int BATCH = 100;
    /** An enforcement this old and still unannounced was left by an instance that stopped. */
    private static final Duration ANNOUNCEMENT_GRACE = Duration.ofSeconds(30);

    /** When a grant may be tried again, and how many attempts have failed. */
    private record Backoff(int failures, Instant notBefore) {
    }

    private final RevocationEnforcer enforcer;
    private final EnforcementAnnouncer announcer;
    private final IssuerMetrics metrics;
    private final Clock clock;
    private final Duration firstDelay;
    private final Duration maxDelay;
    private final Map<UUID, Backoff> backoffs = new ConcurrentHashMap<>();

    public PostgresEnforcementRetrier(RevocationEnforcer enforcer, EnforcementAnnouncer announcer, IssuerMetrics metrics,
                                      Clock clock, @Value("${jit.postgres.retry-interval}") Duration firstDelay,
                                      @Value("${jit.postgres.max-retry-backoff}") Duration maxDelay) {
        this.enforcer = enforcer;
        this.announcer = announcer;
        this.metrics = metrics;
        this.clock = clock;
        this.firstDelay = firstDelay;
        this.maxDelay = maxDelay;
    }

    /** A drop failed (here or in the listener): count it and back this grant off. */
    public void failed(Grant grant, String failure) {
        String target = grant.postgresAccess().target();
        metrics.postgresTargetFailed(target);
        Backoff previous = backoffs.get(grant.grantId());
        int failures = previous == null ? 1 : previous.failures() + 1;
        Duration delay = firstDelay.multipliedBy(1L << Math.min(failures - 1, 20));
        if (delay.compareTo(maxDelay) > 0) {
            delay = maxDelay;
        }
        backoffs.put(grant.grantId(), new Backoff(failures, clock.instant().plus(delay)));
        if (failures % 10 == 0) {
            LOG.warn("dropping login {} of revoked grant {} on {} has failed {} times, next attempt in {}: {}",
                    grant.credentialName(), grant.grantId(), target, failures, delay, failure);
        } else {
            LOG.debug("dropping login {} of revoked grant {} on {} failed {} time(s), next attempt in {}: {}",
                    grant.credentialName(), grant.grantId(), target, failures, delay, failure);
        }
    }

    /** A revocation was enforced: for a login, its target answered. */
    public void succeeded(Grant grant) {
        if (grant.isPostgres()) {
            metrics.postgresTargetReached(grant.postgresAccess().target());
            backoffs.remove(grant.grantId());
        }
    }

    @Scheduled(fixedDelay = "${jit.postgres.retry-interval}", initialDelay = "${jit.postgres.retry-interval}")
    void retryPendingLogins() {
        try {
            List<Grant> pending = enforcer.pendingLogins(BATCH);
            metrics.pendingLoginRevocations(pending.stream()
                    .collect(Collectors.groupingBy(grant -> grant.postgresAccess().target(),
                            Collectors.collectingAndThen(Collectors.counting(), Long::intValue))));
            Set<UUID> stillPending = pending.stream().map(Grant::grantId).collect(Collectors.toSet());
            backoffs.keySet().retainAll(stillPending);
            for (Grant grant : pending) {
                Backoff backoff = backoffs.get(grant.grantId());
                if (backoff == null || !clock.instant().isBefore(backoff.notBefore())) {
                    attempt(grant);
                }
            }
            announceLeftovers();
        } catch (RuntimeException e) {
            metrics.housekeepingFailed("postgres-revocations");
            LOG.error("retrying revoked database logins failed; trying again in the next pass", e);
        }
    }

    private void attempt(Grant grant) {
        RevocationEnforcer.Result result = enforcer.dropLogin(grant);
        switch (result.outcome()) {
            case PENDING -> failed(grant, result.failure());
            case ENFORCED, ALREADY_ENFORCED -> {
                succeeded(grant);
                Enforcement enforcement = result.enforcement();
                if (result.outcome() == RevocationEnforcer.Outcome.ENFORCED) {
                    metrics.revocationEnforced(enforcement);
                }
                LOG.info("revoked grant {} (request {}, task {}): dropped login {} on {} at {}, {} ms after revocation",
                        grant.grantId(), grant.requestId(), grant.taskId(), grant.credentialName(), enforcement.backend(),
                        enforcement.enforcedAt(), enforcement.timeToEnforce().toMillis());
                announceQuietly(enforcement);
            }
            case UNKNOWN_GRANT -> LOG.warn("grant {} vanished while its login was being dropped", grant.grantId());
        }
    }

    private void announceLeftovers() {
        for (Enforcement enforcement : enforcer.unannouncedLogins(clock.instant().minus(ANNOUNCEMENT_GRACE), BATCH)) {
            LOG.info("announcing the enforcement of grant {} on {}, recorded at {} and not announced yet",
                    enforcement.grantId(), enforcement.backend(), enforcement.enforcedAt());
            announceQuietly(enforcement);
        }
    }

    private void announceQuietly(Enforcement enforcement) {
        try {
            announcer.announce(enforcement);
        } catch (RuntimeException e) {
            // Recorded but unannounced: announceLeftovers picks it up in a later pass.
            LOG.warn("announcing the enforcement of grant {} failed; will retry: {}", enforcement.grantId(), e.toString());
        }
    }
}
