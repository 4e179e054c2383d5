package io.jitbroker.chaos.check;

import static io.jitbroker.chaos.check.RunFixture.CHECK_AT;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.jitbroker.chaos.check.RunFixture.Flow;
import io.jitbroker.chaos.check.TopicHistory.TaskEnded;
import io.jitbroker.contracts.Topics;
import io.jitbroker.events.v1.RevocationReason;
import io.jitbroker.events.v1.TaskEventType;
import java.util.List;
import org.junit.jupiter.api.Test;

class TopicHistoryTest {

    private final RunFixture run = new RunFixture();

    @Test
    void shouldGiveTheFirstTaskEndAndRevocationTimesWhenTimingGrants() {
        // given flow 1 ran its course; flow 2's task ended twice, its grant not revoked
        Flow clean = run.cleanFlow(1);
        Flow unrevoked = run.issuedFlow(2, CHECK_AT + 60_000);
        run.taskEnds.add(new TaskEnded(unrevoked.taskId(), RunFixture.WORKLOAD, TaskEventType.CANCELLED,
                run.at(Topics.TASK_EVENTS.name(), 0, unrevoked.acceptedAt() + 900)));
        run.taskEnds.add(new TaskEnded(unrevoked.taskId(), RunFixture.WORKLOAD, TaskEventType.COMPLETED,
                run.at(Topics.TASK_EVENTS.name(), 1, unrevoked.acceptedAt() + 800)));

        // when
        List<TopicHistory.GrantTiming> timings = run.history().grantTimings();

        // then
        assertEquals(List.of(
                new TopicHistory.GrantTiming(clean.grantId(), RunFixture.WORKLOAD, clean.taskId(), clean.taskEndedAt(),
                        clean.revokedAt(), RevocationReason.TASK_COMPLETED),
                new TopicHistory.GrantTiming(unrevoked.grantId(), RunFixture.WORKLOAD, unrevoked.taskId(),
                        unrevoked.acceptedAt() + 800, 0, null)), timings);
    }
}
