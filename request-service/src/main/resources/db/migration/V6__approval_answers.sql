-- The one answer a request waiting for approval gets: the first SRE to answer claims the row, and
-- every other concurrent or later answer is refused (409) instead of being published and ignored.
-- Forward-only: change it with V7__..., never here.
CREATE TABLE approval_answer (
    request_id  VARCHAR(64)   PRIMARY KEY REFERENCES access_request (request_id),
    event_id    VARCHAR(36)   NOT NULL,
    answered_by VARCHAR(2048) NOT NULL,
    approve     BOOLEAN       NOT NULL,
    answered_at TIMESTAMPTZ   NOT NULL
);
