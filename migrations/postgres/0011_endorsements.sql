-- Organisations signing a petition beside individuals (coalition sign-on).
-- The SQLite migration of the same name explains each part.

ALTER TABLE petitions ADD COLUMN signatories TEXT NOT NULL DEFAULT 'people';

CREATE TABLE endorsements (
    id                BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    petition_id       BIGINT NOT NULL REFERENCES petitions (id),
    partner_id        BIGINT REFERENCES partners (id),
    idempotency_key   TEXT NOT NULL,
    domain            TEXT NOT NULL,
    organisation      TEXT NOT NULL,
    website           TEXT NOT NULL,
    country           TEXT NOT NULL,
    kind              TEXT NOT NULL,
    statement         TEXT NOT NULL,
    logo_url          TEXT,
    unnamed           BOOLEAN NOT NULL,
    email_at_domain   BOOLEAN NOT NULL,
    status            TEXT NOT NULL,
    sealed            BYTEA,
    email_hash        BYTEA,
    token_hash        BYTEA UNIQUE,
    lang              TEXT NOT NULL,
    consent_version   TEXT NOT NULL,
    opt_in_organiser  BOOLEAN NOT NULL,
    opt_in_partner    BOOLEAN NOT NULL,
    client_hash       BYTEA,
    last_mailed_at    BIGINT,
    created_at        BIGINT NOT NULL,
    confirmed_at      BIGINT,
    decided_at        BIGINT,
    anonymised_at     BIGINT,
    UNIQUE (petition_id, domain),
    UNIQUE (petition_id, idempotency_key)
);
CREATE INDEX endorsements_by_status ON endorsements (petition_id, status, id);
CREATE INDEX endorsements_by_email_hash ON endorsements (email_hash);

CREATE TABLE endorsement_decisions (
    id              BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    endorsement_id  BIGINT NOT NULL REFERENCES endorsements (id),
    decision        TEXT NOT NULL,
    reason          TEXT NOT NULL,
    actor           TEXT NOT NULL,
    at              BIGINT NOT NULL
);
CREATE INDEX endorsement_decisions_by_endorsement ON endorsement_decisions (endorsement_id);
