-- How far revocations have been applied, per partition of jit.revocations.v1, shared by every issuer
-- instance (the consumer group spreads the partitions over them; any instance answers for any grant).
-- caught_up_at: every revocation written to the partition before it had been applied to the deny-list
-- (grants.revoked_at) when the row was written; end_offset: the partition's log end at that time, which
-- the consumer had reached; confirmed_by: the consumer group member that proved it. Introspection and
-- pickup refuse to call a grant unrevoked while its partition's caught_up_at is older than
-- JIT_ISSUER_REVOCATION_MAX_STALENESS. One small row per partition, rewritten about twice a second.
CREATE TABLE revocation_watermarks (
    topic_partition  INTEGER     NOT NULL,
    caught_up_at     TIMESTAMPTZ NOT NULL,
    end_offset       BIGINT      NOT NULL,
    confirmed_by     TEXT        NOT NULL,
    CONSTRAINT revocation_watermarks_pk PRIMARY KEY (topic_partition),
    CONSTRAINT revocation_watermarks_partition_is_valid CHECK (topic_partition >= 0),
    CONSTRAINT revocation_watermarks_end_offset_is_valid CHECK (end_offset >= 0)
);
