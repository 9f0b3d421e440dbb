-- Confirmed signatures (double opt-in), the outbox that mails signers, and
-- the audit log of count corrections. The SQLite migration of the same name
-- explains each part.
ALTER TABLE petitions ADD COLUMN confirm_by_email BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE petitions ADD COLUMN paused BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE signers ADD COLUMN last_mailed_at BIGINT;

CREATE TABLE signer_tokens (
    token_hash  BYTEA PRIMARY KEY,
    signer_id   BIGINT NOT NULL REFERENCES signers (id),
    created_at  BIGINT NOT NULL
);
CREATE INDEX signer_tokens_by_signer ON signer_tokens (signer_id);

CREATE TABLE outbox (
    id               BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    kind             TEXT NOT NULL,
    signer_id        BIGINT REFERENCES signers (id),
    email_hash       BYTEA NOT NULL,
    sealed           BYTEA NOT NULL,
    created_at       BIGINT NOT NULL,
    attempts         INTEGER NOT NULL DEFAULT 0,
    next_attempt_at  BIGINT NOT NULL
);
CREATE INDEX outbox_due ON outbox (next_attempt_at);
CREATE INDEX outbox_by_email_hash ON outbox (email_hash);

CREATE TABLE count_corrections (
    id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    petition_id  BIGINT NOT NULL REFERENCES petitions (id),
    change       INTEGER NOT NULL,
    reason       TEXT NOT NULL,
    actor        TEXT NOT NULL,
    at           BIGINT NOT NULL
);
