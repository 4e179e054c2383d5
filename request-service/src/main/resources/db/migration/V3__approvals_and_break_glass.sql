-- Policy as code: break-glass requests, DPoP-bound credentials, and requests that wait for an SRE's
-- approval (PENDING_APPROVAL, then APPROVED or DENIED). Forward-only: change it with V4__..., never here.
ALTER TABLE access_request
    DROP CONSTRAINT access_request_status_check,
    ADD CONSTRAINT access_request_status_check
        CHECK (status IN ('PENDING', 'PENDING_APPROVAL', 'APPROVED', 'DENIED', 'ISSUED', 'REVOKED')),
    DROP CONSTRAINT access_request_decision_check,
    ADD CONSTRAINT access_request_decision_check
        CHECK (decision IN ('APPROVED', 'DENIED', 'PENDING_APPROVAL')),
    -- What was asked: rows from before this migration asked for neither.
    ADD COLUMN break_glass          BOOLEAN       NOT NULL DEFAULT FALSE,
    ADD COLUMN dpop_jkt             CHAR(43),
    -- What policy (and the approving SRE) decided.
    ADD COLUMN deny_code            VARCHAR(64),
    ADD COLUMN decision_break_glass BOOLEAN,
    ADD COLUMN approval_deadline    TIMESTAMPTZ,
    ADD COLUMN approved_by          VARCHAR(2048),
    ADD COLUMN approval_reason      TEXT;

-- The SREs' queue: requests waiting for approval, oldest first.
CREATE INDEX access_request_pending_approval_idx ON access_request (requested_at)
    WHERE status = 'PENDING_APPROVAL';
