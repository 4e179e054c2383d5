package io.jitbroker.issuer.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class EnforcementTest {

    private static final Instant REVOKED_AT = Instant.parse("2026-11-23T10:00:00.100Z");

    @Test
    void shouldMeasureFromRevokedAtToEnforcedAtWhenEnforcedLater() {
        // given
        Enforcement enforcement = enforcedAt(REVOKED_AT.plusMillis(37));

        // when
        Duration timeToEnforce = enforcement.timeToEnforce();

        // then
        assertEquals(Duration.ofMillis(37), timeToEnforce);
    }

    @Test
    void shouldCountZeroWhenClocksSkewPutEnforcementBeforeRevocation() {
        // given: the revoker's clock runs ahead of ours
        Enforcement enforcement = enforcedAt(REVOKED_AT.minusMillis(5));

        // when
        Duration timeToEnforce = enforcement.timeToEnforce();

        // then
        assertEquals(Duration.ZERO, timeToEnforce);
    }

    private static Enforcement enforcedAt(Instant enforcedAt) {
        return new Enforcement(UUID.randomUUID(), "r-1", Fixtures.DEPLOYER, UUID.randomUUID().toString(), "TASK_COMPLETED",
                Enforcement.JWT_DENYLIST, REVOKED_AT, enforcedAt);
    }
}
