package io.jitbroker.micronaut.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micronaut.data.connection.exceptions.ConnectionException;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import org.junit.jupiter.api.Test;

class DatabaseConnectionLostHandlerTest {

    @Test
    void shouldAnswerServiceUnavailableWithRetryAfterWhenAPooledConnectionWasClosedUnderneath() {
        // given what a read-only transaction met right after a PostgreSQL restart
        ConnectionException lost = new ConnectionException("Could not set JDBC Connection [x] read-only");

        // when
        HttpResponse<ApiError> answer = new DatabaseConnectionLostHandler().handle(HttpRequest.GET("/v1/access-requests/1"), lost);

        // then
        assertEquals(HttpStatus.SERVICE_UNAVAILABLE, answer.getStatus());
        assertEquals("1", answer.getHeaders().get(HttpHeaders.RETRY_AFTER));
        ApiError body = answer.getBody().orElseThrow();
        assertEquals("unavailable", body.error());
        assertTrue(body.message().contains("nothing was done"), body.message());
    }
}
