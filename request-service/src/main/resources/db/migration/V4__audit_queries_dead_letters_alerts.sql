-- Operating it: audit queries over the ledger (GET /v1/ledger), and the projections of the dead-letter
-- and alert topics that SREs watch. Forward-only: change it with V5__..., never here.

-- Ledger pages are newest first, the request id breaking ties: each index below ends with both, so
-- that a filtered page is one index range read in order, however large the ledger grows.
CREATE INDEX access_request_requested_idx ON access_request (requested_at DESC, request_id DESC);
DROP INDEX access_request_workload_idx;
CREATE INDEX access_request_workload_idx ON access_request (workload_id, requested_at DESC, request_id DESC);
DROP INDEX access_request_status_idx;
CREATE INDEX access_request_status_idx ON access_request (status, requested_at DESC, request_id DESC);
-- access_request_task_idx (task_id, workload_id) stays: task ownership checks use it.
CREATE INDEX access_request_task_requested_idx ON access_request (task_id, requested_at DESC, request_id DESC);
CREATE INDEX access_request_environment_idx ON access_request (environment, requested_at DESC, request_id DESC);
-- "reason" matches a deny code or a revocation reason: two partial indexes, combined by a bitmap OR.
CREATE INDEX access_request_deny_code_idx ON access_request (deny_code, requested_at DESC, request_id DESC)
    WHERE deny_code IS NOT NULL;
CREATE INDEX access_request_revocation_reason_idx ON access_request (revocation_reason, requested_at DESC, request_id DESC)
    WHERE revocation_reason IS NOT NULL;
-- Break-glass entries are few and are looked at often.
CREATE INDEX access_request_break_glass_idx ON access_request (requested_at DESC, request_id DESC)
    WHERE break_glass OR decision_break_glass;
-- Live grants (active=true, the active-grants gauge) are read through access_request_status_idx:
-- ISSUED rows are few, since the revoker revokes each grant at its expiry.
-- Decisions per minute (the dashboard's chart).
CREATE INDEX access_request_decided_idx ON access_request (decided_at) WHERE decided_at IS NOT NULL;

-- Every service's dead letters (jit.dead-letters.v1), without the rejected bytes: they may hold
-- anything, secrets included. They stay on the topic, in the dead letter at dead_letter_offset.
-- Text columns without a length: a value from the bus must never be refused here, or the
-- projection would stall on it.
CREATE TABLE dead_letters (
    id                    BIGSERIAL   PRIMARY KEY,
    source_topic          TEXT        NOT NULL,
    source_partition      INTEGER     NOT NULL,
    source_offset         BIGINT      NOT NULL,
    consumer              TEXT        NOT NULL,
    reason                TEXT        NOT NULL,
    failed_at             TIMESTAMPTZ NOT NULL,
    -- Bytes of the rejected value; null when it had none.
    payload_size          INTEGER,
    dead_letter_partition INTEGER     NOT NULL,
    dead_letter_offset    BIGINT      NOT NULL,
    -- A consumer that dead-letters a record twice (it was redelivered) is recorded once.
    CONSTRAINT dead_letters_source UNIQUE (source_topic, source_partition, source_offset, consumer)
);
CREATE INDEX dead_letters_failed_idx ON dead_letters (failed_at DESC, id DESC);

-- Alerts policy-service raised (jit.alerts.v1), e.g. break-glass requests; one row per alert id.
CREATE TABLE alerts (
    alert_id    TEXT        PRIMARY KEY,
    kind        TEXT        NOT NULL,
    workload_id TEXT        NOT NULL,
    request_id  TEXT,
    task_id     TEXT,
    environment TEXT,
    summary     TEXT        NOT NULL,
    raised_at   TIMESTAMPTZ NOT NULL
);
CREATE INDEX alerts_raised_idx ON alerts (raised_at DESC, alert_id DESC);
