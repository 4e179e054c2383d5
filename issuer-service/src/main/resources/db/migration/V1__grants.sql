-- One grant per approved access decision. Nothing secret is stored here: the credential is minted
-- when the workload picks it up, and only its id (credential_id, the JWT's jti) is known before.
CREATE TABLE grants (
    grant_id           UUID        NOT NULL,
    request_id         TEXT        NOT NULL,
    credential_id      UUID        NOT NULL,
    workload_id        TEXT        NOT NULL,
    task_id            TEXT        NOT NULL,
    environment        TEXT        NOT NULL,
    -- The granted resources as a JSON array of {"type","id","actions":[...]}, in decision order.
    resources          TEXT        NOT NULL,
    credential_type    TEXT        NOT NULL,
    issued_at          TIMESTAMPTZ NOT NULL,
    expires_at         TIMESTAMPTZ NOT NULL,
    -- Set once, by the one pickup that wins the conditional update.
    picked_up_at       TIMESTAMPTZ,
    -- A revoked grant is the deny-list entry that introspection reads.
    revoked_at         TIMESTAMPTZ,
    revocation_reason  TEXT,
    revocation_detail  TEXT,
    -- When this service made the revocation durable (revoked_at is when revocation-service decided).
    enforced_at        TIMESTAMPTZ,
    CONSTRAINT grants_pk PRIMARY KEY (grant_id),
    -- Idempotence: a redelivered decision cannot create a second grant.
    CONSTRAINT grants_request_id_uq UNIQUE (request_id),
    CONSTRAINT grants_credential_id_uq UNIQUE (credential_id),
    CONSTRAINT grants_expiry_after_issue CHECK (expires_at > issued_at),
    CONSTRAINT grants_revocation_has_reason CHECK ((revoked_at IS NULL) = (revocation_reason IS NULL)),
    CONSTRAINT grants_enforced_after_revoked CHECK (enforced_at IS NULL OR revoked_at IS NOT NULL)
);
