package io.jitbroker.issuer.app;

import io.jitbroker.issuer.domain.ProofReplayGuard;
import io.jitbroker.issuer.domain.SigningKeys;
import io.jitbroker.issuer.metrics.IssuerMetrics;
import io.micronaut.scheduling.annotation.Scheduled;
import jakarta.inject.Singleton;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The periodic work of every instance: key rotation and retirement (and reading what other instances
 * did), and forgetting DPoP proofs too old to replay. A failed pass is logged and counted, and the next
 * pass tries again; signing and verification keep using the keys last read.
 */
@Singleton
public class IssuerHousekeeping {

    private static final Logger LOG = LoggerFactory.getLogger(IssuerHousekeeping.class);

    private final SigningKeys keys;
    private final ProofReplayGuard replayGuard;
    private final IssuerMetrics metrics;
    private final Clock clock;

    public IssuerHousekeeping(SigningKeys keys, ProofReplayGuard replayGuard, IssuerMetrics metrics, Clock clock) {
        this.keys = keys;
        this.replayGuard = replayGuard;
        this.metrics = metrics;
        this.clock = clock;
    }

    @Scheduled(fixedDelay = "${jit.issuer.key-maintenance-interval}", initialDelay = "${jit.issuer.key-maintenance-interval}")
    void maintainSigningKeys() {
        try {
            SigningKeys.Maintenance pass = keys.maintain();
            if (pass.rotated()) {
                metrics.signingKeyRotated("schedule");
                LOG.info("rotated signing keys on schedule: key {} signs from now on", pass.signingKid());
            }
            for (String kid : pass.retired()) {
                metrics.signingKeyRetired();
                LOG.info("retired signing key {}: the last token it signed has expired; removed from the JWKS", kid);
            }
        } catch (RuntimeException e) {
            metrics.housekeepingFailed("signing-keys");
            LOG.error("signing key maintenance failed; retrying in the next pass", e);
        }
    }

    @Scheduled(fixedDelay = "1m", initialDelay = "1m")
    void forgetExpiredProofs() {
        try {
            int forgotten = replayGuard.forgetExpired(clock.instant());
            LOG.debug("forgot {} DPoP proof uses too old to be replayed", forgotten);
        } catch (RuntimeException e) {
            metrics.housekeepingFailed("dpop-replay-cache");
            LOG.error("sweeping used DPoP proofs failed; retrying in the next pass", e);
        }
    }
}
