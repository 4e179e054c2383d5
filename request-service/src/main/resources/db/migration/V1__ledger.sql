-- The access ledger: one row per access request, projected from the request itself and from the
-- decision, grant and revocation events about it. Forward-only: change it with V2__..., never here.
CREATE TABLE access_request (
    request_id          VARCHAR(64)   PRIMARY KEY,
    workload_id         VARCHAR(2048) NOT NULL,
    task_id             VARCHAR(128)  NOT NULL,
    environment         VARCHAR(64)   NOT NULL,
    resources           JSONB         NOT NULL,
    ttl_seconds         BIGINT        NOT NULL CHECK (ttl_seconds > 0),
    justification       VARCHAR(1000) NOT NULL,
    idempotency_key     VARCHAR(128),
    request_fingerprint CHAR(64)      NOT NULL,
    status              VARCHAR(16)   NOT NULL CHECK (status IN ('PENDING', 'DENIED', 'ISSUED', 'REVOKED')),
    decision            VARCHAR(16)   CHECK (decision IN ('APPROVED', 'DENIED')),
    decision_reasons    JSONB,
    policy_version      VARCHAR(256),
    granted_resources   JSONB,
    granted_ttl_seconds BIGINT,
    grant_id            VARCHAR(256),
    expires_at          TIMESTAMPTZ,
    revocation_reason   VARCHAR(64),
    revocation_detail   TEXT,
    requested_at        TIMESTAMPTZ   NOT NULL,
    decided_at          TIMESTAMPTZ,
    issued_at           TIMESTAMPTZ,
    revoked_at          TIMESTAMPTZ,
    -- A retry with the same key finds the first request; concurrent retries collide here, not in code.
    CONSTRAINT access_request_idempotency UNIQUE (workload_id, idempotency_key)
);

-- For the ledger queries to come (by workload, by task, by status) and for task ownership checks.
CREATE INDEX access_request_workload_idx ON access_request (workload_id, requested_at DESC);
CREATE INDEX access_request_task_idx ON access_request (task_id, workload_id);
CREATE INDEX access_request_status_idx ON access_request (status, requested_at DESC);
