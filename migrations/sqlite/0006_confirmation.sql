-- Confirmed signatures (double opt-in), the outbox that mails signers, and
-- the audit log of count corrections.

-- The organiser's choice: a signature counts only once its address confirms.
ALTER TABLE petitions ADD COLUMN confirm_by_email INTEGER NOT NULL DEFAULT 0;

-- The organiser's switch for a petition under attack: signing stops until
-- it is switched back; nothing else changes.
ALTER TABLE petitions ADD COLUMN paused INTEGER NOT NULL DEFAULT 0;

-- When Chorus last mailed this signer about a repeat signature, so repeats
-- cannot flood a mailbox (one such email an hour at most).
ALTER TABLE signers ADD COLUMN last_mailed_at INTEGER;

-- The links mailed to a signer: to confirm, and to say "it wasn't me". Only
-- a digest of each token is kept; the token itself is in the email alone.
CREATE TABLE signer_tokens (
    token_hash  BLOB PRIMARY KEY,
    signer_id   INTEGER NOT NULL REFERENCES signers (id),
    created_at  INTEGER NOT NULL
);
CREATE INDEX signer_tokens_by_signer ON signer_tokens (signer_id);

-- Email waiting to go out. `sealed` holds the recipient and the message's
-- parts, encrypted with a key derived from Chorus's secret; the row is
-- deleted once the message is sent. `email_hash` lets an erasure find it.
-- `next_attempt_at` is when to try (again); a sender claims a message by
-- moving it forward.
CREATE TABLE outbox (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    kind             TEXT NOT NULL,
    signer_id        INTEGER REFERENCES signers (id),
    email_hash       BLOB NOT NULL,
    sealed           BLOB NOT NULL,
    created_at       INTEGER NOT NULL,
    attempts         INTEGER NOT NULL DEFAULT 0,
    next_attempt_at  INTEGER NOT NULL
);
CREATE INDEX outbox_due ON outbox (next_attempt_at);
CREATE INDEX outbox_by_email_hash ON outbox (email_hash);

-- Every change to a count other than a signature being counted: who or
-- what made it, why, and by how much.
CREATE TABLE count_corrections (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    petition_id  INTEGER NOT NULL REFERENCES petitions (id),
    change       INTEGER NOT NULL,
    reason       TEXT NOT NULL,
    actor        TEXT NOT NULL,
    at           INTEGER NOT NULL
);
