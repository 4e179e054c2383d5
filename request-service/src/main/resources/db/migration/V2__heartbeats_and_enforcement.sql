-- The revocation engine: the heartbeat interval a request asked for, the event that caused a
-- revocation, and where and when the issuer enforced it. Forward-only: change it with V3__..., never here.
ALTER TABLE access_request
    ADD COLUMN heartbeat_interval_seconds BIGINT,
    ADD COLUMN cause_event_id             TEXT,
    ADD COLUMN enforcement_backend        TEXT,
    ADD COLUMN enforced_at                TIMESTAMPTZ,
    -- The API refuses anything else; the table refuses it too.
    ADD CONSTRAINT access_request_heartbeat_within_ttl
        CHECK (heartbeat_interval_seconds IS NULL OR heartbeat_interval_seconds BETWEEN 5 AND ttl_seconds);

-- Manual revocation of one grant finds its workload by grant id.
CREATE INDEX access_request_grant_idx ON access_request (grant_id);
