package io.jitbroker.micronaut.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.filter.ServerFilterChain;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

class InFlightLimitTest {

    private final InFlightLimit limit = new InFlightLimit(2);
    /** The answers the application has not given yet, one per request let through. */
    private final List<Sinks.One<MutableHttpResponse<?>>> working = new ArrayList<>();
    private final ServerFilterChain application = request -> {
        Sinks.One<MutableHttpResponse<?>> answer = Sinks.one();
        working.add(answer);
        return answer.asMono();
    };

    @Test
    void shouldRefuseAtOnceWith503WhenAsManyChangesAreInFlightAsAllowed() {
        // given
        send(HttpRequest.POST("/v1/access-requests", "{}"));
        send(HttpRequest.POST("/v1/tasks/t-1/events", "{}"));

        // when
        MutableHttpResponse<?> refused = Mono.from(limit.doFilter(HttpRequest.POST("/v1/access-requests", "{}"), application))
                .block();

        // then: refused without reaching the application
        assertEquals(HttpStatus.SERVICE_UNAVAILABLE, refused.getStatus());
        assertEquals("1", refused.getHeaders().get("Retry-After"));
        assertEquals("overloaded", ((ApiError) refused.body()).error());
        assertEquals(2, working.size());
    }

    @Test
    void shouldNotCountReads() {
        // given
        send(HttpRequest.POST("/v1/access-requests", "{}"));
        send(HttpRequest.POST("/v1/access-requests", "{}"));

        // when
        send(HttpRequest.GET("/v1/access-requests/r-1?wait=10s"));

        // then
        assertEquals(3, working.size());
        assertEquals(2, limit.inFlight());
    }

    @Test
    void shouldGiveThePermitBackWhetherTheRequestIsAnsweredFailsOrIsDropped() {
        // given
        Disposable answered = send(HttpRequest.POST("/a", "{}"));
        Disposable failed = send(HttpRequest.POST("/b", "{}"));

        // when
        working.get(0).tryEmitValue(HttpResponse.accepted());
        working.get(1).tryEmitError(new IllegalStateException("boom"));

        // then
        assertEquals(0, limit.inFlight());

        // and a client that hangs up gives its permit back too
        Disposable dropped = send(HttpRequest.POST("/c", "{}"));
        assertEquals(1, limit.inFlight());
        dropped.dispose();
        assertEquals(0, limit.inFlight());
        answered.dispose();
        failed.dispose();
    }

    private Disposable send(HttpRequest<?> request) {
        return Mono.from(limit.doFilter(request, application)).subscribe(response -> { }, error -> { });
    }
}
