package io.jitbroker.request.domain;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Decisions per minute, by outcome, over a window of whole minutes: what the SRE dashboard charts.
 * A request counts once, with its current decision, in the minute that decision was made (a request
 * that waited for approval counts as approved or denied when an SRE's answer closed it).
 */
public final class DecisionTimeline {

    public static final Duration DEFAULT_WINDOW = Duration.ofHours(1);
    public static final Duration MAX_WINDOW = Duration.ofHours(24);
    private static final Set<String> PARAMETERS = Set.of(LedgerQueryValidator.FROM, LedgerQueryValidator.TO);

    private DecisionTimeline() {
    }

    /** The window {@code [from, to)} in whole minutes; by default the hour up to the end of the current minute. */
    public record Window(Instant from, Instant to) {

        public Window {
            Objects.requireNonNull(from, "from");
            Objects.requireNonNull(to, "to");
        }

        public List<Instant> minutes() {
            List<Instant> minutes = new ArrayList<>();
            for (Instant minute = from; minute.isBefore(to); minute = minute.plus(1, ChronoUnit.MINUTES)) {
                minutes.add(minute);
            }
            return minutes;
        }
    }

    /** Counts of one minute. */
    public record Minute(Instant minute, long approved, long denied, long pendingApproval) {
    }

    /** Reads {@code from} and {@code to} (ISO-8601, rounded out to whole minutes; at most 24 hours apart). */
    public static Window window(QueryParameters parameters, Instant now) {
        parameters.allowOnly(PARAMETERS);
        Instant to = parameters.instant(LedgerQueryValidator.TO);
        Instant from = parameters.instant(LedgerQueryValidator.FROM);
        Instant end = to == null ? now.truncatedTo(ChronoUnit.MINUTES).plus(1, ChronoUnit.MINUTES) : ceilToMinute(to);
        Instant start = from == null ? end.minus(DEFAULT_WINDOW) : from.truncatedTo(ChronoUnit.MINUTES);
        if (!start.isBefore(end)) {
            throw new InvalidRequestException(LedgerQueryValidator.TO, "to must be after from");
        }
        if (Duration.between(start, end).compareTo(MAX_WINDOW) > 0) {
            throw new InvalidRequestException(LedgerQueryValidator.FROM, "from and to must be at most 24 hours apart");
        }
        return new Window(start, end);
    }

    /**
     * Every minute of the window, with zeros where nothing was decided.
     *
     * @param counts per minute start, per outcome, as counted in the ledger
     */
    public static List<Minute> fill(Window window, Map<Instant, Map<DecisionOutcome, Long>> counts) {
        return window.minutes().stream().map(minute -> {
            Map<DecisionOutcome, Long> of = counts.getOrDefault(minute, Map.of());
            return new Minute(minute, of.getOrDefault(DecisionOutcome.APPROVED, 0L),
                    of.getOrDefault(DecisionOutcome.DENIED, 0L), of.getOrDefault(DecisionOutcome.PENDING_APPROVAL, 0L));
        }).toList();
    }

    private static Instant ceilToMinute(Instant instant) {
        Instant floor = instant.truncatedTo(ChronoUnit.MINUTES);
        return floor.equals(instant) ? floor : floor.plus(1, ChronoUnit.MINUTES);
    }
}
