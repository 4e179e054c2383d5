package io.jitbroker.client;

import java.util.List;

/**
 * One page of the ledger, newest first.
 *
 * @param nextCursor pass it to {@link LedgerQuery.Builder#cursor} for the next page; null on the last page
 */
public record LedgerPage(List<LedgerEntry> entries, String nextCursor) {

    public LedgerPage {
        entries = entries == null ? List.of() : List.copyOf(entries);
    }
}
