-- Organisations signing a petition beside individuals (coalition sign-on).

-- Who a petition takes signatures from: 'people', 'organisations' or 'both'.
ALTER TABLE petitions ADD COLUMN signatories TEXT NOT NULL DEFAULT 'people';

-- One organisation's signature. Its name, website, country, kind and
-- statement become public once an organiser approves it, unless `unnamed`
-- (counted, never named). `domain` is its website's registrable domain:
-- one signature per organisation and petition. The person signing on its
-- behalf (name, role, email) is sealed to the running organisation's key
-- (`sealed`); their address is kept as a keyed hash for erasure, and
-- `email_at_domain` says it is at the organisation's own domain, which
-- makes a confirmed signature domain-verified.
-- `status`: 'unconfirmed' (waiting for the signer's email confirmation),
-- 'pending' (confirmed, waiting for the organiser), 'approved' or
-- 'rejected'. `token_hash` is the digest of the confirmation link's token.
-- `sealed` and `email_hash` are NULL once the signer is anonymised; the
-- organisation's own, public details stay.
CREATE TABLE endorsements (
    id                INTEGER PRIMARY KEY AUTOINCREMENT,
    petition_id       INTEGER NOT NULL REFERENCES petitions (id),
    partner_id        INTEGER REFERENCES partners (id),
    idempotency_key   TEXT NOT NULL,
    domain            TEXT NOT NULL,
    organisation      TEXT NOT NULL,
    website           TEXT NOT NULL,
    country           TEXT NOT NULL,
    kind              TEXT NOT NULL,
    statement         TEXT NOT NULL,
    logo_url          TEXT,
    unnamed           INTEGER NOT NULL,
    email_at_domain   INTEGER NOT NULL,
    status            TEXT NOT NULL,
    sealed            BLOB,
    email_hash        BLOB,
    token_hash        BLOB UNIQUE,
    lang              TEXT NOT NULL,
    consent_version   TEXT NOT NULL,
    opt_in_organiser  INTEGER NOT NULL,
    opt_in_partner    INTEGER NOT NULL,
    client_hash       BLOB,
    last_mailed_at    INTEGER,
    created_at        INTEGER NOT NULL,
    confirmed_at      INTEGER,
    decided_at        INTEGER,
    anonymised_at     INTEGER,
    UNIQUE (petition_id, domain),
    UNIQUE (petition_id, idempotency_key)
);
CREATE INDEX endorsements_by_status ON endorsements (petition_id, status, id);
CREATE INDEX endorsements_by_email_hash ON endorsements (email_hash);

-- The audit log of organisers' decisions on organisations: who approved or
-- rejected which, when and why.
CREATE TABLE endorsement_decisions (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    endorsement_id  INTEGER NOT NULL REFERENCES endorsements (id),
    decision        TEXT NOT NULL,
    reason          TEXT NOT NULL,
    actor           TEXT NOT NULL,
    at              INTEGER NOT NULL
);
CREATE INDEX endorsement_decisions_by_endorsement ON endorsement_decisions (endorsement_id);
