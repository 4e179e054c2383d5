package io.jitbroker.request.app;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.jitbroker.micronaut.http.ApiException;
import io.jitbroker.request.domain.LedgerStatus;
import io.jitbroker.request.persistence.LedgerChange;
import io.micronaut.http.HttpStatus;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class IntakeBacklogTest {

    private long nanos = 1_000_000_000L;
    private boolean hearing = true;
    private final IntakeBacklog backlog = new IntakeBacklog(Duration.ofSeconds(3), 3, Duration.ofSeconds(60),
            () -> nanos, () -> hearing);

    @Test
    void shouldAdmitWhileOldestRequestOnItsWayIsYoungEnough() {
        // given
        backlog.accepted("r-1");
        later(Duration.ofSeconds(3));

        // when / then
        assertDoesNotThrow(backlog::admit);
    }

    @Test
    void shouldRefuseAsOverloadedWhenOldestRequestOnItsWayWaitedTooLong() {
        // given
        backlog.accepted("r-1");
        later(Duration.ofSeconds(1));
        backlog.accepted("r-2");
        later(Duration.ofMillis(2001));

        // when
        ApiException refused = assertThrows(ApiException.class, backlog::admit);

        // then
        assertEquals(HttpStatus.SERVICE_UNAVAILABLE, refused.status());
        assertEquals("overloaded", refused.error().error());
    }

    @Test
    void shouldAdmitAgainOnceOldRequestsReachedAnAnswer() {
        // given
        backlog.accepted("r-1");
        backlog.accepted("r-2");
        later(Duration.ofSeconds(4));

        // when: approved is still on its way (the grant is not issued), issued and denied are answers
        backlog.changed(new LedgerChange("r-1", LedgerStatus.APPROVED));
        assertThrows(ApiException.class, backlog::admit);
        backlog.changed(new LedgerChange("r-1", LedgerStatus.ISSUED));
        backlog.changed(new LedgerChange("r-2", LedgerStatus.DENIED));

        // then
        assertDoesNotThrow(backlog::admit);
        assertEquals(Duration.ZERO, backlog.oldestWaiting());
    }

    @Test
    void shouldRefuseWhenTooManyRequestsAreOnTheirWay() {
        // given
        backlog.accepted("r-1");
        backlog.accepted("r-2");
        backlog.accepted("r-3");

        // when / then
        assertThrows(ApiException.class, backlog::admit);
        backlog.changed(new LedgerChange("r-2", LedgerStatus.PENDING_APPROVAL));
        assertDoesNotThrow(backlog::admit);
    }

    @Test
    void shouldTakeAChangeWithoutStatusAsAPossibleAnswer() {
        // given: an older instance notifies the request id alone
        backlog.accepted("r-1");
        later(Duration.ofSeconds(4));

        // when
        backlog.changed(new LedgerChange("r-1", null));

        // then
        assertDoesNotThrow(backlog::admit);
    }

    @Test
    void shouldForgetRequestsNeverAnsweredSoThatOneLostAnswerCannotCloseTheDoor() {
        // given
        backlog.accepted("r-1");

        // when
        later(Duration.ofSeconds(61));

        // then
        assertDoesNotThrow(backlog::admit);
    }

    @Test
    void shouldAdmitEverythingWhileChangesAreNotHeardAndStartAfreshWhenTheyAre() {
        // given
        backlog.accepted("r-1");
        later(Duration.ofSeconds(4));

        // when: the notification connection is down, then back (answers given meanwhile were missed)
        hearing = false;
        assertDoesNotThrow(backlog::admit);
        hearing = true;
        backlog.missedChanges();

        // then
        assertDoesNotThrow(backlog::admit);
    }

    private void later(Duration duration) {
        nanos += duration.toNanos();
    }
}
