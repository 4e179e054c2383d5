package io.jitbroker.issuer.domain;

import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Proves, for each partition of jit.revocations.v1 one consumer holds, "every revocation written to
 * it before T has been applied to the deny-list", and remembers the latest such T (a confirmation).
 *
 * <p>The proof compares two facts: the consumer's position (the next offset it will hand out; every
 * record before it was applied, because the tracker is driven before each poll, after the previous
 * batch was applied, and a failed batch seeks back), and the partition's end offset read from the
 * broker at T (for a read_committed consumer the last stable offset: every committed revocation written
 * before T lies below it). Once the position reaches that end offset, the partition is confirmed caught
 * up as of T. The end offset is asked for before T's request is sent and kept until the position
 * reaches it, so a consumer that keeps up with a busy partition still confirms it, about as late as it
 * lags; one that cannot reach the broker, or stopped applying, confirms nothing.
 *
 * <p>Not thread-safe: the consumer's own thread drives it.
 */
public final class CatchUpTracker {

    /** Applied through {@code endOffset}, the partition's log end at {@code caughtUpAt}. */
    public record Confirmation(Instant caughtUpAt, long endOffset) {
    }

    /** An end offset read at {@code at}, not reached yet. */
    private record Probe(Instant at, long endOffset) {
    }

    private final Map<Integer, Instant> heldSince = new HashMap<>();
    private final Map<Integer, Long> positions = new HashMap<>();
    private final Map<Integer, Probe> pending = new HashMap<>();
    private final Map<Integer, Confirmation> confirmed = new HashMap<>();
    private final Map<Integer, Confirmation> unwritten = new HashMap<>();

    /**
     * First step of a round: the partitions held now and the consumer's position on those it knows one
     * for. Forgets the partitions no longer held and confirms the probes the positions reached.
     *
     * @return the held partitions with a position and no probe outstanding: ask their end offsets
     */
    public Set<Integer> positions(Set<Integer> held, Map<Integer, Long> positionsNow, Instant now) {
        heldSince.keySet().retainAll(held);
        pending.keySet().retainAll(held);
        confirmed.keySet().retainAll(held);
        unwritten.keySet().retainAll(held);
        held.forEach(partition -> heldSince.putIfAbsent(partition, now));
        positions.clear();
        positions.putAll(positionsNow);
        positions.keySet().retainAll(held);
        Set<Integer> toProbe = new HashSet<>();
        for (Map.Entry<Integer, Long> position : positions.entrySet()) {
            Probe probe = pending.get(position.getKey());
            if (probe != null && position.getValue() >= probe.endOffset()) {
                confirm(position.getKey(), new Confirmation(probe.at(), probe.endOffset()));
                pending.remove(position.getKey());
            }
            if (!pending.containsKey(position.getKey())) {
                toProbe.add(position.getKey());
            }
        }
        return toProbe;
    }

    /**
     * Second step: end offsets read from the broker for (some of) the partitions the first step named.
     *
     * @param sentAt taken before the request was sent: every revocation written before it lies below
     *               the end offset it returned
     */
    public void endOffsets(Map<Integer, Long> endOffsets, Instant sentAt) {
        endOffsets.forEach((partition, endOffset) -> {
            Long position = positions.get(partition);
            if (position == null || pending.containsKey(partition)) {
                return;
            }
            if (position >= endOffset) {
                confirm(partition, new Confirmation(sentAt, endOffset));
            } else {
                pending.put(partition, new Probe(sentAt, endOffset));
            }
        });
    }

    /** The confirmations not recorded yet, newest per partition; they are forgotten until {@link #unrecorded}. */
    public Map<Integer, Confirmation> takeUnrecorded() {
        Map<Integer, Confirmation> taken = Map.copyOf(unwritten);
        unwritten.clear();
        return taken;
    }

    /** Confirmations that could not be recorded: kept for the next attempt unless newer ones came meanwhile. */
    public void unrecorded(Map<Integer, Confirmation> confirmations) {
        confirmations.forEach((partition, confirmation) -> {
            if (heldSince.containsKey(partition)) {
                unwritten.putIfAbsent(partition, confirmation);
            }
        });
    }

    /**
     * For each held partition, since when this consumer has known it caught up: its last confirmation,
     * or, never confirmed since it was assigned, the assignment (a newly held partition gets time to
     * be confirmed).
     */
    public Map<Integer, Instant> heldKnownSince() {
        Map<Integer, Instant> since = new HashMap<>(heldSince);
        confirmed.forEach((partition, confirmation) -> since.merge(partition, confirmation.caughtUpAt(),
                (assigned, caughtUp) -> caughtUp.isAfter(assigned) ? caughtUp : assigned));
        return Map.copyOf(since);
    }

    private void confirm(int partition, Confirmation confirmation) {
        Confirmation previous = confirmed.get(partition);
        if (previous == null || confirmation.caughtUpAt().isAfter(previous.caughtUpAt())) {
            confirmed.put(partition, confirmation);
            unwritten.put(partition, confirmation);
        }
    }
}
