-- "Join us": sign-up lists, to hear about a coalition's work apart from
-- any petition.

-- A list people join. `name` is how the widget and the emails name it;
-- its people are sealed to `organisation_id`'s key, like signers.
CREATE TABLE signup_lists (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    slug             TEXT NOT NULL UNIQUE,
    organisation_id  INTEGER NOT NULL REFERENCES organisations (id),
    name             TEXT NOT NULL,
    privacy_url      TEXT,
    created_at       INTEGER NOT NULL
);

-- One person on a list. Their first name and address are sealed to the
-- list's organisation (`sealed`); the address is also kept as a keyed hash
-- (one sign-up per address and list; erasure finds it by it). `consent`
-- is the sentence they agreed to, word for word, with its version.
-- `status`: 'unconfirmed' until they follow the emailed link (double
-- opt-in, always), then 'confirmed'. Leaving deletes the row.
-- `token_hash` is the digest of the link's token, which also lets them
-- leave; `last_mailed_at` keeps repeats to one email an hour.
CREATE TABLE signups (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    list_id          INTEGER NOT NULL REFERENCES signup_lists (id),
    partner_id       INTEGER REFERENCES partners (id),
    idempotency_key  TEXT NOT NULL,
    email_hash       BLOB NOT NULL,
    sealed           BLOB NOT NULL,
    country          TEXT NOT NULL,
    lang             TEXT NOT NULL,
    consent          TEXT NOT NULL,
    consent_version  TEXT NOT NULL,
    status           TEXT NOT NULL,
    token_hash       BLOB NOT NULL UNIQUE,
    client_hash      BLOB,
    last_mailed_at   INTEGER,
    created_at       INTEGER NOT NULL,
    confirmed_at     INTEGER,
    UNIQUE (list_id, email_hash),
    UNIQUE (list_id, idempotency_key)
);
CREATE INDEX signups_by_email_hash ON signups (email_hash);
CREATE INDEX signups_by_status ON signups (list_id, status, id);
