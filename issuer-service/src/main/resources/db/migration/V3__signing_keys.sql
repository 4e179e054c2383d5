-- The issuer's ES256 signing keys, shared by every instance (the database is the source of truth).
-- The newest published key (highest seq) signs; every published key verifies and is in the JWKS.
CREATE TABLE signing_keys (
    -- Insertion order, assigned by the database: "newest" never depends on an instance's clock.
    seq                 BIGINT GENERATED ALWAYS AS IDENTITY,
    kid                 TEXT        NOT NULL,
    -- The public JWK (JSON): published anyway, so stored in clear.
    public_jwk          TEXT        NOT NULL,
    -- The private JWK, AES-256-GCM under the master key (JIT_ISSUER_MASTER_KEY) with the kid as associated
    -- data: version byte, 12-byte nonce, ciphertext and tag. Erased when the key is retired.
    sealed_private_jwk  BYTEA,
    created_at          TIMESTAMPTZ NOT NULL,
    -- The latest exp of any token this key signed, raised before each signature: the key is retired only
    -- once this has passed.
    last_signed_expiry  TIMESTAMPTZ,
    retired_at          TIMESTAMPTZ,
    CONSTRAINT signing_keys_pk PRIMARY KEY (kid),
    CONSTRAINT signing_keys_seq_uq UNIQUE (seq),
    CONSTRAINT signing_keys_published_have_private CHECK (retired_at IS NOT NULL OR sealed_private_jwk IS NOT NULL),
    CONSTRAINT signing_keys_retired_erased CHECK (retired_at IS NULL OR sealed_private_jwk IS NULL)
);
