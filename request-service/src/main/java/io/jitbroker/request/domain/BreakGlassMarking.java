package io.jitbroker.request.domain;

import java.util.List;

/**
 * Makes a break-glass entry stand out wherever the ledger is shown: each of its decision reasons
 * begins with {@value #REASON_PREFIX}. Only the view is decorated; the stored reasons are policy's own.
 */
public final class BreakGlassMarking {

    public static final String REASON_PREFIX = "BREAK-GLASS: ";
    private static final String MARK = REASON_PREFIX.strip();

    private BreakGlassMarking() {
    }

    /** The entry's decision reasons as shown: marked when the entry is break-glass; null before any decision. */
    public static List<String> reasons(LedgerEntry entry) {
        List<String> reasons = entry.decisionReasons();
        if (reasons == null || !entry.isBreakGlass()) {
            return reasons;
        }
        // Policy may have marked some already: never twice.
        return reasons.stream().map(reason -> reason.startsWith(MARK) ? reason : REASON_PREFIX + reason).toList();
    }
}
