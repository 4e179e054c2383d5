package io.jitbroker.request.domain;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class LedgerAccessTest {

    private static final String OWNER = "spiffe://dev.local/ci/deployer";
    private static final String SRE = "spiffe://dev.local/sre/alice";
    private final LedgerEntry entry = LedgerEntry.pending("req-1", OWNER,
            new ValidAccessRequest("task-1", "dev", List.of(new RequestedResource("http", "api", List.of("get"))), 60, null, "j", false, null),
            null, Instant.parse("2026-01-01T00:00:00Z"));

    @Test
    void shouldLetTheOwnerAndSresReadWhenSresAreListed() {
        // given
        LedgerAccess access = LedgerAccess.fromList(" " + SRE + " , spiffe://dev.local/sre/bob,");

        // then
        assertTrue(access.mayRead(OWNER, entry));
        assertTrue(access.mayRead(SRE, entry));
        assertFalse(access.mayRead("spiffe://dev.local/ci/intruder", entry));
    }

    @Test
    void shouldLetOnlyTheOwnerReadWhenNoSreIsListed() {
        // given
        LedgerAccess access = LedgerAccess.fromList("");

        // then
        assertTrue(access.mayRead(OWNER, entry));
        assertFalse(access.mayRead(SRE, entry));
    }

    @Test
    void shouldRefuseTheConfigurationWhenAnSreIsNotASpiffeId() {
        assertThrows(IllegalArgumentException.class, () -> LedgerAccess.fromList(SRE + ",alice"));
    }
}
