package io.jitbroker.request.persistence;

import io.jitbroker.request.domain.AlertRecord;
import io.jitbroker.request.domain.DeadLetterRecord;
import io.jitbroker.request.domain.InvalidRequestException;
import io.jitbroker.request.domain.Page;
import io.jitbroker.request.domain.PageCursor;
import io.jitbroker.request.domain.PageRequest;
import jakarta.inject.Singleton;
import jakarta.transaction.Transactional;
import java.util.List;

/**
 * What SREs watch besides the ledger: the dead letters of every service and the alerts policy
 * raised, projected from their topics. Each is stored once (a redelivery is a no-op) and listed
 * newest first, a page at a time.
 */
@Singleton
public class OperationalRecords {

    private final DeadLetterRepository deadLetters;
    private final AlertRepository alerts;

    public OperationalRecords(DeadLetterRepository deadLetters, AlertRepository alerts) {
        this.deadLetters = deadLetters;
        this.alerts = alerts;
    }

    /** @return whether it was new (false: this consumer's dead letter for that record is stored already) */
    @Transactional
    public boolean recordDeadLetter(DeadLetterRecord letter) {
        return deadLetters.insertIfAbsent(letter.sourceTopic(), letter.sourcePartition(), letter.sourceOffset(),
                letter.consumer(), letter.reason(), letter.failedAt(), letter.payloadSize(), letter.deadLetterPartition(),
                letter.deadLetterOffset()) > 0;
    }

    /** @return whether it was new (false: an alert with its id is stored already) */
    @Transactional
    public boolean recordAlert(AlertRecord alert) {
        return alerts.insertIfAbsent(alert.alertId(), alert.kind(), alert.workloadId(), alert.requestId(), alert.taskId(),
                alert.environment(), alert.summary(), alert.raisedAt()) > 0;
    }

    @Transactional
    public Page<DeadLetterRecord> deadLetters(PageRequest page) {
        PageCursor after = page.after();
        List<DeadLetterRow> fetched = after == null
                ? deadLetters.findNewest(page.limit() + 1)
                : deadLetters.findNewestBefore(after.position(), rowId(after), page.limit() + 1);
        Page<DeadLetterRow> rows = Page.of(fetched, page.limit(),
                row -> new PageCursor(row.failedAt(), Long.toString(row.id())));
        return new Page<>(rows.items().stream().map(DeadLetterRow::toDomain).toList(), rows.next());
    }

    @Transactional
    public Page<AlertRecord> alerts(PageRequest page) {
        PageCursor after = page.after();
        List<AlertRow> fetched = after == null
                ? alerts.findNewest(page.limit() + 1)
                : alerts.findNewestBefore(after.position(), after.id(), page.limit() + 1);
        Page<AlertRow> rows = Page.of(fetched, page.limit(), row -> new PageCursor(row.raisedAt(), row.alertId()));
        return new Page<>(rows.items().stream().map(AlertRow::toDomain).toList(), rows.next());
    }

    /** A dead-letter cursor carries the row id; one from another list does not parse. */
    private static long rowId(PageCursor cursor) {
        try {
            return Long.parseLong(cursor.id());
        } catch (NumberFormatException e) {
            throw new InvalidRequestException(PageRequest.CURSOR,
                    "cursor is not a cursor of this list; pass the nextCursor of the previous page, or leave it out");
        }
    }
}
