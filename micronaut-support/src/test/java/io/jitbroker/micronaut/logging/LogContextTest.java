package io.jitbroker.micronaut.logging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

class LogContextTest {

    @Test
    void shouldHoldTheIdsWhileOpenAndRemoveOnlyThemWhenClosed() {
        // given
        MDC.put("other", "kept");

        // when
        try (LogContext ids = LogContext.of(LogContext.REQUEST_ID, "r-1", LogContext.GRANT_ID, null)) {
            // then
            assertEquals("r-1", MDC.get(LogContext.REQUEST_ID));
            assertNull(MDC.get(LogContext.GRANT_ID), "a null id is left out");
        }
        assertNull(MDC.get(LogContext.REQUEST_ID));
        assertEquals("kept", MDC.get("other"));
        MDC.remove("other");
    }

    @Test
    void shouldRefuseWhenANameHasNoValue() {
        assertThrows(IllegalArgumentException.class, () -> LogContext.of(LogContext.REQUEST_ID));
    }
}
