package io.jitbroker.issuer.domain;

import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** A real, in-memory replay guard: first use wins, entries are forgotten after their time. */
final class InMemoryProofReplayGuard implements ProofReplayGuard {

    private final Map<String, Instant> used = new ConcurrentHashMap<>();

    @Override
    public boolean firstUse(String issuer, String jtiHash, Instant keepUntil) {
        return used.putIfAbsent(issuer + " " + jtiHash, keepUntil) == null;
    }

    @Override
    public int forgetExpired(Instant now) {
        int before = used.size();
        used.values().removeIf(keepUntil -> keepUntil.isBefore(now));
        return before - used.size();
    }

    int size() {
        return used.size();
    }
}
