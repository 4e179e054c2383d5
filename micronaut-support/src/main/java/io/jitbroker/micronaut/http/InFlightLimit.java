package io.jitbroker.micronaut.http;

import io.micronaut.context.annotation.Requires;
import io.micronaut.context.annotation.Value;
import io.micronaut.core.async.publisher.Publishers;
import io.micronaut.http.HttpMethod;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.Filter;
import io.micronaut.http.filter.HttpServerFilter;
import io.micronaut.http.filter.ServerFilterChain;
import io.micronaut.http.filter.ServerFilterPhase;
import java.util.Set;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;
import org.reactivestreams.Publisher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;

/**
 * Caps the requests that change something (every method but GET, HEAD and OPTIONS) this instance
 * works on at once ({@code jit.http.max-in-flight}). One more is answered 503 {@code overloaded} with
 * Retry-After at once, before its token or body is read, instead of queueing for CPU behind the others:
 * under ten times the load it could take, requests waited tens of seconds, clients timed out and sent
 * them again, and the queue only grew. Reads are not capped (a waiting GET holds no thread). A permit
 * is given back however the request ends: answered, failed, or dropped by the client.
 */
@Filter(Filter.MATCH_ALL_PATTERN)
@Requires(property = InFlightLimit.PROPERTY)
public class InFlightLimit implements HttpServerFilter {

    public static final String PROPERTY = "jit.http.max-in-flight";
    private static final Logger LOG = LoggerFactory.getLogger(InFlightLimit.class);
    private static final Set<HttpMethod> READS = Set.of(HttpMethod.GET, HttpMethod.HEAD, HttpMethod.OPTIONS);

    private final int limit;
    private final Semaphore permits;

    public InFlightLimit(@Value("${" + PROPERTY + "}") int limit) {
        this.limit = limit;
        this.permits = new Semaphore(Math.max(limit, 0));
    }

    /** Before security and body decoding: refusing must cost next to nothing. */
    @Override
    public int getOrder() {
        return ServerFilterPhase.FIRST.order();
    }

    @Override
    public Publisher<MutableHttpResponse<?>> doFilter(HttpRequest<?> request, ServerFilterChain chain) {
        if (limit <= 0 || READS.contains(request.getMethod())) {
            return chain.proceed(request);
        }
        if (!permits.tryAcquire()) {
            LOG.debug("{} {} refused: {} requests already in flight", request.getMethodName(), request.getPath(), limit);
            return Publishers.just(ApiExceptionHandler.unavailable(new ApiError("overloaded",
                    "the service is working on as many requests as it takes at once; nothing was done, retry in a second")));
        }
        AtomicBoolean held = new AtomicBoolean(true);
        Runnable release = () -> {
            if (held.compareAndSet(true, false)) {
                permits.release();
            }
        };
        try {
            return Flux.from(chain.proceed(request)).doFinally(signal -> release.run());
        } catch (RuntimeException e) {
            release.run();
            throw e;
        }
    }

    /** Requests being worked on now (for tests and diagnostics). */
    int inFlight() {
        return limit - permits.availablePermits();
    }
}
