package io.jitbroker.request.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;
import org.junit.jupiter.api.Test;

class TaskEventKindTest {

    @Test
    void shouldReadTheTypeWhenItIsAllowed() {
        // when
        TaskEventKind kind = TaskEventKind.fromBody(Map.of("type", "COMPLETED"));

        // then
        assertEquals(TaskEventKind.COMPLETED, kind);
    }

    @Test
    void shouldListTheAllowedValuesWhenTypeIsUnknown() {
        // when
        InvalidRequestException error = assertThrows(InvalidRequestException.class,
                () -> TaskEventKind.fromBody(Map.of("type", "PAUSED")));

        // then
        assertEquals("type", error.field());
        assertEquals("type is not valid; allowed values are STARTED, HEARTBEAT, COMPLETED, FAILED, CANCELLED", error.getMessage());
    }

    @Test
    void shouldNameTheFieldWhenTypeIsMissing() {
        // when
        InvalidRequestException error = assertThrows(InvalidRequestException.class, () -> TaskEventKind.fromBody(Map.of()));

        // then
        assertEquals("type", error.field());
        assertEquals("type is required; allowed values are STARTED, HEARTBEAT, COMPLETED, FAILED, CANCELLED", error.getMessage());
    }

    @Test
    void shouldRejectWhenBodyNamesAWorkload() {
        // when
        InvalidRequestException error = assertThrows(InvalidRequestException.class,
                () -> TaskEventKind.fromBody(Map.of("type", "STARTED", "workloadId", "spiffe://dev.local/other")));

        // then
        assertEquals("workloadId", error.field());
    }
}
