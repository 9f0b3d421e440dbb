-- "Join us": sign-up lists, apart from any petition.
-- The SQLite migration of the same name explains each part.

CREATE TABLE signup_lists (
    id               BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    slug             TEXT NOT NULL UNIQUE,
    organisation_id  BIGINT NOT NULL REFERENCES organisations (id),
    name             TEXT NOT NULL,
    privacy_url      TEXT,
    created_at       BIGINT NOT NULL
);

CREATE TABLE signups (
    id               BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    list_id          BIGINT NOT NULL REFERENCES signup_lists (id),
    partner_id       BIGINT REFERENCES partners (id),
    idempotency_key  TEXT NOT NULL,
    email_hash       BYTEA NOT NULL,
    sealed           BYTEA NOT NULL,
    country          TEXT NOT NULL,
    lang             TEXT NOT NULL,
    consent          TEXT NOT NULL,
    consent_version  TEXT NOT NULL,
    status           TEXT NOT NULL,
    token_hash       BYTEA NOT NULL UNIQUE,
    client_hash      BYTEA,
    last_mailed_at   BIGINT,
    created_at       BIGINT NOT NULL,
    confirmed_at     BIGINT,
    UNIQUE (list_id, email_hash),
    UNIQUE (list_id, idempotency_key)
);
CREATE INDEX signups_by_email_hash ON signups (email_hash);
CREATE INDEX signups_by_status ON signups (list_id, status, id);
