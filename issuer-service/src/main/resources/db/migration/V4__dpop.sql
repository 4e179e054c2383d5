-- The DPoP key (RFC 9449 JWK SHA-256 thumbprint) the access request declared: the credential must be
-- bound to it. NULL when none was declared (a proof at pickup may still bind the credential).
ALTER TABLE grants
    ADD COLUMN dpop_jkt TEXT,
    ADD CONSTRAINT grants_dpop_jkt_is_thumbprint CHECK (dpop_jkt IS NULL OR dpop_jkt ~ '^[A-Za-z0-9_-]{43}$');

-- DPoP proofs already used, by workload and SHA-256 of the proof's jti, so a captured proof cannot be
-- replayed on any instance. An entry is kept only while its proof could still pass the iat window.
CREATE TABLE dpop_proof_uses (
    issuer      TEXT        NOT NULL,
    jti_sha256  TEXT        NOT NULL,
    keep_until  TIMESTAMPTZ NOT NULL,
    CONSTRAINT dpop_proof_uses_pk PRIMARY KEY (issuer, jti_sha256)
);
CREATE INDEX dpop_proof_uses_keep_until_idx ON dpop_proof_uses (keep_until);
