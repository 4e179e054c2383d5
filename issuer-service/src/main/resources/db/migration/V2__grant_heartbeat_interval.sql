-- The heartbeat a grant requires (AccessDecision.heartbeatIntervalSeconds, carried to GrantIssued):
-- NULL when none. Stored so a redelivered decision re-announces exactly the grant first announced.
ALTER TABLE grants
    ADD COLUMN heartbeat_interval_seconds BIGINT,
    ADD CONSTRAINT grants_heartbeat_interval_positive
        CHECK (heartbeat_interval_seconds IS NULL OR heartbeat_interval_seconds > 0);
