package io.jitbroker.examples.revocations;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RevokedGrantsTest {

    private static final Instant NOW = Instant.parse("2026-12-07T10:00:00Z");
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

    @TempDir
    Path dir;

    @Test
    void shouldFindTheSavedGrantWhenLoadedAgain() {
        // given
        Path file = dir.resolve("revoked.tsv");
        RevokedGrants revoked = RevokedGrants.load(file, CLOCK);
        revoked.add(new RevokedGrants.Entry("g-1", NOW.plus(Duration.ofMinutes(5)), "TASK_COMPLETED",
                "task\tt-1 reported\nCOMPLETED"));

        // when
        revoked.save();
        RevokedGrants reloaded = RevokedGrants.load(file, CLOCK);

        // then: one line per grant, whatever the detail held
        assertEquals(new RevokedGrants.Entry("g-1", NOW.plus(Duration.ofMinutes(5)), "TASK_COMPLETED",
                "task t-1 reported COMPLETED"), reloaded.find("g-1").orElseThrow());
    }

    @Test
    void shouldForgetAGrantWhenItsCredentialHasLongExpired() {
        // given: one expired beyond the clock skew, one just expired, one live
        RevokedGrants revoked = RevokedGrants.load(dir.resolve("revoked.tsv"), CLOCK);
        revoked.add(new RevokedGrants.Entry("old", NOW.minus(RevokedGrants.CLOCK_SKEW).minusSeconds(1), "TTL_EXPIRED", ""));
        revoked.add(new RevokedGrants.Entry("recent", NOW.minusSeconds(30), "TASK_FAILED", ""));
        revoked.add(new RevokedGrants.Entry("live", NOW.plusSeconds(600), "MANUAL", "incident"));

        // when
        revoked.save();

        // then
        assertTrue(revoked.find("old").isEmpty(), "its own exp refuses it now");
        assertTrue(revoked.find("recent").isPresent());
        assertTrue(revoked.find("live").isPresent());
    }
}
