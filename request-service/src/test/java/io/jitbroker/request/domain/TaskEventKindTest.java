package io.jitbroker.request.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class TaskEventKindTest {

    @Test
    void shouldReadTheTypeWhenItIsAllowed() {
        // when
        TaskEventKind kind = TaskEventKind.of("COMPLETED");

        // then
        assertEquals(TaskEventKind.COMPLETED, kind);
    }

    @Test
    void shouldListTheAllowedValuesWhenTypeIsUnknown() {
        // when
        InvalidRequestException error = assertThrows(InvalidRequestException.class,
                () -> TaskEventKind.of("PAUSED"));

        // then
        assertEquals("type", error.field());
        assertEquals("type is not valid; allowed values are STARTED, HEARTBEAT, COMPLETED, FAILED, CANCELLED", error.getMessage());
    }

    @Test
    void shouldNameTheFieldWhenTypeIsMissing() {
        // when
        InvalidRequestException error = assertThrows(InvalidRequestException.class, () -> TaskEventKind.of(null));

        // then
        assertEquals("type", error.field());
        assertEquals("type is required; allowed values are STARTED, HEARTBEAT, COMPLETED, FAILED, CANCELLED", error.getMessage());
    }
}
