-- The W3C trace context of the request that wrote the event (its traceparent and tracestate headers),
-- sent with the event by the outbox relay, so the trace continues in the consumers. NULL: not traced.
ALTER TABLE outbox ADD COLUMN trace_parent TEXT, ADD COLUMN trace_state TEXT;
