-- No bots, without tracking anyone: each signer's client, as a hash of its
-- network under a key that changes every day (NULL once older than the
-- review period), and why a signer is held for review, if it is.
ALTER TABLE signers ADD COLUMN client_hash BLOB;
ALTER TABLE signers ADD COLUMN held_reason TEXT;
CREATE INDEX signers_by_client ON signers (client_hash, signed_at);

-- Proof-of-work solutions already used: each is accepted once (a retry of
-- the same submission excepted). Rows go once the challenge has expired.
CREATE TABLE spent_proofs (
    challenge        TEXT PRIMARY KEY,
    idempotency_key  TEXT NOT NULL,
    expires_at       INTEGER NOT NULL
);
