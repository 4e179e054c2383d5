package io.jitbroker.request.api;

import io.jitbroker.request.domain.DecisionTimeline;
import io.micronaut.serde.annotation.Serdeable;
import java.time.Instant;
import java.util.List;

/** Answer to GET /v1/ledger/decisions-per-minute: every minute of [from, to), oldest first. */
@Serdeable
public record DecisionTimelineView(Instant from, Instant to, List<MinuteView> minutes) {

    @Serdeable
    public record MinuteView(Instant minute, long approved, long denied, long pendingApproval) {
    }

    static DecisionTimelineView of(DecisionTimeline.Window window, List<DecisionTimeline.Minute> minutes) {
        return new DecisionTimelineView(window.from(), window.to(), minutes.stream()
                .map(m -> new MinuteView(m.minute(), m.approved(), m.denied(), m.pendingApproval()))
                .toList());
    }
}
