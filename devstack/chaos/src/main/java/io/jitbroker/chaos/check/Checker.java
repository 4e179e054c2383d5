package io.jitbroker.chaos.check;

import io.jitbroker.chaos.check.LedgerSnapshot.LedgerUnreachableException;
import java.net.URI;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The independent checker: knows the services only by their topics and the ledger's HTTP API. It waits
 * (polling the ledger every second, up to a deadline) until every accepted request is settled in the
 * ledger, then reads the topics, then judges ({@link Verdict}). The ledger is read before the topics,
 * so everything the ledger says must already be on them.
 */
public final class Checker {

    /** How long the ledger gets to settle when not told otherwise. */
    public static final Duration DEFAULT_SETTLE_TIMEOUT = Duration.ofSeconds(60);

    private static final Logger LOG = LoggerFactory.getLogger(Checker.class);
    private static final long POLL_MILLIS = 1_000;

    private final String bootstrapServers;
    private final String registryUrl;
    private final Map<String, Object> kafkaClientProperties;
    private final LedgerSnapshot ledger;
    private final Duration settleTimeout;

    /** A checker of a plaintext cluster that gives the ledger {@link #DEFAULT_SETTLE_TIMEOUT}. */
    public Checker(String bootstrapServers, String registryUrl, List<URI> requestServiceUrls, Supplier<String> sreToken) {
        this(bootstrapServers, registryUrl, requestServiceUrls, sreToken, Map.of(), DEFAULT_SETTLE_TIMEOUT);
    }

    /**
     * @param registryUrl           the registry's native API, e.g. {@code http://127.0.0.1:8085/apis/registry/v2}
     * @param requestServiceUrls    every request-service instance; any that answers will do
     * @param sreToken              a bearer token of an SRE workload, asked for on every ledger call
     * @param kafkaClientProperties laid over the checker's consumer settings (e.g. SASL login)
     * @param settleTimeout         how long to wait for the ledger to settle
     */
    public Checker(String bootstrapServers, String registryUrl, List<URI> requestServiceUrls, Supplier<String> sreToken,
                   Map<String, Object> kafkaClientProperties, Duration settleTimeout) {
        this.bootstrapServers = Objects.requireNonNull(bootstrapServers, "bootstrapServers");
        this.registryUrl = Objects.requireNonNull(registryUrl, "registryUrl");
        this.kafkaClientProperties = Map.copyOf(kafkaClientProperties);
        this.ledger = new LedgerSnapshot(requestServiceUrls, sreToken);
        this.settleTimeout = Objects.requireNonNull(settleTimeout, "settleTimeout");
    }

    /**
     * Judges a run.
     *
     * @param flows                  what the load driver saw, one per flow
     * @param injectedDeadLetterKeys keys of the dead letters the run caused on purpose (normally empty)
     * @throws IllegalStateException when the topics cannot be read, or the thread is interrupted: the run
     *                               cannot be judged
     */
    public CheckResult check(List<FlowObservation> flows, Set<String> injectedDeadLetterKeys) {
        Map<String, LedgerEntry> entries = new HashMap<>();
        long ledgerReadAt = settleLedger(flows, entries);
        TopicHistory history = TopicHistory.read(bootstrapServers, registryUrl, kafkaClientProperties);
        CheckResult result = Verdict.judge(flows, history, entries, ledgerReadAt, injectedDeadLetterKeys);
        LOG.info("checked {} flows ({} accepted): lost {}, doubled {}, stale active max {} ms, unexpected dead letters {},"
                        + " ledger mismatches {}: {}", result.flows(), result.accepted(), result.lost(), result.doubled(),
                result.staleActiveMaxMs(), result.unexpectedDeadLetters(), result.ledgerMismatches(),
                result.passed() ? "passed" : "FAILED");
        return result;
    }

    /**
     * Re-reads every accepted request not yet DENIED or REVOKED until all are settled or the deadline
     * passes, into {@code entries}; returns when the last successful read started.
     */
    private long settleLedger(List<FlowObservation> flows, Map<String, LedgerEntry> entries) {
        long deadline = System.currentTimeMillis() + settleTimeout.toMillis();
        List<FlowObservation> accepted = flows.stream().filter(flow -> flow.requestId() != null).toList();
        long lastReadAt = System.currentTimeMillis();
        while (true) {
            long readAt = System.currentTimeMillis();
            List<FlowObservation> open = accepted.stream()
                    .filter(flow -> entries.get(flow.requestId()) == null || !entries.get(flow.requestId()).terminal())
                    .toList();
            try {
                entries.putAll(ledger.read(open));
                lastReadAt = readAt;
            } catch (LedgerUnreachableException e) {
                LOG.warn("the ledger could not be read; trying again until {} ms from now: {}",
                        deadline - System.currentTimeMillis(), e.getMessage());
            }
            long unsettled = accepted.stream()
                    .filter(flow -> !Verdict.settled(entries.get(flow.requestId()), flow.taskEndedAtMillis() > 0, readAt))
                    .count();
            long now = System.currentTimeMillis();
            if (unsettled == 0 || now >= deadline) {
                if (unsettled > 0) {
                    LOG.warn("{} of {} accepted requests were not settled in the ledger after {}", unsettled,
                            accepted.size(), settleTimeout);
                }
                return lastReadAt;
            }
            LOG.info("{} of {} accepted requests not settled in the ledger yet", unsettled, accepted.size());
            pause(Math.min(POLL_MILLIS, deadline - now));
        }
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the ledger to settle", e);
        }
    }
}
