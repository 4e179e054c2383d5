package io.jitbroker.request.api;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.jitbroker.contracts.Topics;
import io.jitbroker.devstack.Infrastructure;
import io.jitbroker.events.v1.AccessRequest;
import io.jitbroker.events.v1.TaskEvent;
import io.jitbroker.request.support.Api;
import io.jitbroker.request.support.Api.Reply;
import io.jitbroker.request.support.RunningService;
import io.jitbroker.request.support.TopicProbe;
import io.jitbroker.testkit.InMemorySpans;
import io.jitbroker.testkit.Tokens;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * request-service starts or continues the two traces of the product: an access request's (the HTTP
 * request, then the event the outbox relay publishes later, which carries the request's span) and a
 * task event's. Spans come from the in-memory exporter, links from the records' traceparent headers.
 */
class TracingIT {

    private static final String DEPLOYER = "spiffe://dev.local/ci/deployer";
    private static final Duration TIMEOUT = Duration.ofSeconds(15);

    private static Infrastructure infra;
    private static RunningService service;
    private static Api api;
    private static Tokens tokens;
    private static TopicProbe<AccessRequest> accessRequests;
    private static TopicProbe<TaskEvent> taskEvents;

    @BeforeAll
    static void start() {
        infra = Infrastructure.startForTests();
        infra.kafka().createTopics(Topics.newTopics(3, (short) 1));
        service = RunningService.start(infra, Map.of(), InMemorySpans.SERVICE_SETTINGS);
        api = new Api(service);
        tokens = new Tokens(infra.identityProvider());
        accessRequests = TopicProbe.onTopic(infra, Topics.ACCESS_REQUESTS);
        taskEvents = TopicProbe.onTopic(infra, Topics.TASK_EVENTS);
    }

    @AfterAll
    static void stop() {
        for (AutoCloseable closing : new AutoCloseable[] {accessRequests, taskEvents, service, infra}) {
            if (closing != null) {
                try {
                    closing.close();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }
        }
    }

    @Test
    void shouldPublishTheAccessRequestWithTheSpanOfItsHttpRequestWhenTheCallerSendsTraceParent() {
        // given: a workload whose own trace is at span C
        SpanContext caller = InMemorySpans.newTraceParent();
        String taskId = "task-" + UUID.randomUUID();

        // when
        Reply reply = api.post("/v1/access-requests", tokens.valid(DEPLOYER), body(taskId),
                Map.of("traceparent", InMemorySpans.traceParent(caller)));
        String requestId = (String) api.json(reply.body()).get("requestId");
        ConsumerRecord<String, AccessRequest> published = accessRequests.awaitRecord(r -> r.value().getRequestId().equals(requestId))
                .stream().filter(r -> r.value().getRequestId().equals(requestId)).findFirst().orElseThrow();

        // then: the event (sent later by the outbox relay) carries the server span, a child of C
        assertEquals(202, reply.status(), reply.body());
        SpanData served = InMemorySpans.awaitSpan(InMemorySpans.traceParentOf(published.headers()).orElseThrow(), TIMEOUT);
        assertEquals(SpanKind.SERVER, served.getKind());
        assertEquals(caller.getTraceId(), served.getTraceId());
        assertEquals(caller.getSpanId(), served.getParentSpanId());
    }

    @Test
    void shouldPublishTheTaskEventWithTheSpanOfItsHttpRequestWhenTheCallerSendsTraceParent() {
        // given: a task the workload asked access for
        String taskId = "task-" + UUID.randomUUID();
        assertEquals(202, api.post("/v1/access-requests", tokens.valid(DEPLOYER), body(taskId)).status());
        SpanContext caller = InMemorySpans.newTraceParent();

        // when
        Reply reply = api.post("/v1/tasks/" + taskId + "/events", tokens.valid(DEPLOYER), "{\"type\":\"COMPLETED\"}",
                Map.of("traceparent", InMemorySpans.traceParent(caller)));
        ConsumerRecord<String, TaskEvent> published = taskEvents.awaitRecord(r -> r.value().getTaskId().equals(taskId))
                .stream().filter(r -> r.value().getTaskId().equals(taskId)).findFirst().orElseThrow();

        // then
        assertEquals(202, reply.status(), reply.body());
        SpanData served = InMemorySpans.awaitSpan(InMemorySpans.traceParentOf(published.headers()).orElseThrow(), TIMEOUT);
        assertEquals(SpanKind.SERVER, served.getKind());
        assertEquals(caller.getSpanId(), served.getParentSpanId());
    }

    private static String body(String taskId) {
        return "{\"taskId\":\"" + taskId + "\",\"environment\":\"staging\",\"ttlSeconds\":300,"
                + "\"justification\":\"traced deploy\",\"resources\":[{\"type\":\"http\",\"id\":\"inventory-api\",\"actions\":[\"read\"]}]}";
    }
}
