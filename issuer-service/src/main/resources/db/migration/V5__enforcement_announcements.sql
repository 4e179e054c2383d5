-- When the broker acknowledged the RevocationEnforced of a grant. A database login's revocation is
-- enforced (its role dropped) outside the consumer of jit.revocations.v1 when its target was down, and
-- announced from there: this column lets an enforcement recorded just before a crash be announced
-- after it.
ALTER TABLE grants ADD COLUMN enforcement_announced_at TIMESTAMPTZ;

-- The revocations whose logins still have to be dropped at their targets.
CREATE INDEX grants_unenforced_revocations_idx ON grants (revoked_at)
    WHERE revoked_at IS NOT NULL AND enforced_at IS NULL;
