-- No bots, without tracking anyone. The SQLite migration of the same name
-- explains each part.
ALTER TABLE signers ADD COLUMN client_hash BYTEA;
ALTER TABLE signers ADD COLUMN held_reason TEXT;
CREATE INDEX signers_by_client ON signers (client_hash, signed_at);

CREATE TABLE spent_proofs (
    challenge        TEXT PRIMARY KEY,
    idempotency_key  TEXT NOT NULL,
    expires_at       BIGINT NOT NULL
);
