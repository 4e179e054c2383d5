package io.jitbroker.issuer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.jitbroker.contracts.Topics;
import io.jitbroker.events.v1.AccessDecision;
import io.jitbroker.events.v1.GrantIssued;
import io.jitbroker.events.v1.RevocationEnforced;
import io.jitbroker.events.v1.RevocationReason;
import io.jitbroker.issuer.support.IssuerHarness;
import io.jitbroker.testkit.InMemorySpans;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.UUID;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * issuer-service continues the traces it is part of: a decision's trace through the grant it
 * issues, a revocation's through its enforcement, a caller's through its HTTP request. Spans are
 * read from the in-memory exporter; links are checked on the records' traceparent headers.
 */
class TracingIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(15);
    private static IssuerHarness issuer;

    @BeforeAll
    static void start() {
        issuer = IssuerHarness.start(InMemorySpans.SERVICE_SETTINGS);
    }

    @AfterAll
    static void stop() {
        if (issuer != null) {
            issuer.close();
        }
    }

    @Test
    void shouldIssueTheGrantInASpanOfTheDecisionsTraceWhenTheDecisionCarriesOne() {
        // given: an approved decision sent from span P of a trace
        SpanContext decided = InMemorySpans.newTraceParent();
        String requestId = "r-traced-" + UUID.randomUUID();
        AccessDecision decision = IssuerHarness.approved(requestId, 60, IssuerHarness.resource("http", "inventory-api", "read"))
                .build();

        // when
        issuer.produce(traced(Topics.Names.ACCESS_DECISIONS, requestId, decision, decided));
        ConsumerRecord<String, GrantIssued> grant = issuer.grants().await(r -> r.value().getRequestId().equals(requestId));

        // then: the grant was sent from the issuer's span, a child of P in the same trace
        SpanData issuing = InMemorySpans.awaitSpan(InMemorySpans.traceParentOf(grant.headers()).orElseThrow(), TIMEOUT);
        assertEquals("issuer issue grant", issuing.getName());
        assertEquals(SpanKind.CONSUMER, issuing.getKind());
        assertEquals(decided.getTraceId(), issuing.getTraceId());
        assertEquals(decided.getSpanId(), issuing.getParentSpanId());
    }

    @Test
    void shouldEnforceTheRevocationInASpanOfItsTraceWhenTheRevocationCarriesOne() {
        // given: a grant, and its revocation sent from span R of another trace
        GrantIssued grant = issuer.issue(IssuerHarness.approved("r-" + UUID.randomUUID(), 60,
                IssuerHarness.resource("http", "inventory-api", "read")).build());
        SpanContext revoked = InMemorySpans.newTraceParent();

        // when
        issuer.produce(traced(Topics.Names.REVOCATIONS, grant.getGrantId(),
                IssuerHarness.revocation(grant, RevocationReason.TASK_COMPLETED), revoked));
        ConsumerRecord<String, RevocationEnforced> enforced = issuer.enforcements()
                .await(r -> r.value().getGrantId().equals(grant.getGrantId()));

        // then
        SpanData enforcing = InMemorySpans.awaitSpan(InMemorySpans.traceParentOf(enforced.headers()).orElseThrow(), TIMEOUT);
        assertEquals("issuer enforce revocation", enforcing.getName());
        assertEquals(revoked.getTraceId(), enforcing.getTraceId());
        assertEquals(revoked.getSpanId(), enforcing.getParentSpanId());
    }

    @Test
    void shouldServeTheRequestInASpanOfTheCallersTraceWhenTheCallerSendsTraceParent() {
        // given
        SpanContext caller = InMemorySpans.newTraceParent();

        // when
        HttpResponse<String> keys = IssuerHarness.send(HttpRequest.newBuilder(issuer.url("/.well-known/jwks.json"))
                .header("traceparent", InMemorySpans.traceParent(caller)).build());

        // then: a server span, child of the caller's
        assertEquals(200, keys.statusCode());
        SpanData served = InMemorySpans.awaitChildOf(caller, TIMEOUT);
        assertEquals(SpanKind.SERVER, served.getKind());
    }

    private static ProducerRecord<String, SpecificRecord> traced(String topic, String key, SpecificRecord value,
                                                                SpanContext from) {
        ProducerRecord<String, SpecificRecord> record = new ProducerRecord<>(topic, key, value);
        record.headers().add("traceparent", InMemorySpans.traceParent(from).getBytes(StandardCharsets.UTF_8));
        return record;
    }
}
