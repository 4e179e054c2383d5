-- Events written in the same transaction as the ledger row that caused them, and published by the
-- outbox relay after the commit: a request is stored and published, or neither, and no database
-- connection waits for Kafka while a workload waits for its answer.
CREATE TABLE outbox (
    id         BIGSERIAL PRIMARY KEY,
    topic      TEXT        NOT NULL,
    record_key TEXT,
    -- The record value as it goes on the wire: the registry's format (magic byte, schema id, Avro).
    payload    BYTEA       NOT NULL,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
