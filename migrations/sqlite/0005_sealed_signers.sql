-- Personal data sealed at rest, and the count as a ledger.
--
-- Each organisation has a key pair; Chorus stores only the public key, and
-- seals every signer's name, address and comment to it. Petitions belong to
-- the organisation running them.
CREATE TABLE organisations (
    id          INTEGER PRIMARY KEY,
    name        TEXT NOT NULL UNIQUE,
    public_key  BLOB NOT NULL,
    created_at  INTEGER NOT NULL
);

ALTER TABLE petitions ADD COLUMN organisation_id INTEGER REFERENCES organisations (id);
-- When signing ended. Personal data of a closed petition is removed after
-- the retention period.
ALTER TABLE petitions ADD COLUMN closed_at INTEGER;

-- Signers get their own ids: a signer can wait (for confirmation, for
-- review) before counting, so not every signer has a count entry.
-- `status`: 'counted', or why not yet.
-- `email_hash`: a keyed hash of the normalised address, to recognise a
-- repeat. `sealed`: the personal details, sealed to the organisation's key.
-- Both are NULL once the signer is anonymised; what stays (country,
-- language, consents) serves statistics.
--
-- Rows from before this version hold personal data in clear and cannot be
-- sealed here (the organisation's key is not known yet): the copy below
-- fails on the check for any such row rather than keep or drop it silently.
-- Export them with the previous version and clear the table first.
CREATE TABLE signers_sealed (
    id                INTEGER PRIMARY KEY AUTOINCREMENT,
    petition_id       INTEGER NOT NULL REFERENCES petitions (id),
    partner_id        INTEGER REFERENCES partners (id),
    signed_at         INTEGER NOT NULL,
    status            TEXT NOT NULL,
    email_hash        BLOB,
    idempotency_key   TEXT NOT NULL,
    sealed            BLOB,
    country           TEXT NOT NULL,
    lang              TEXT NOT NULL,
    consent_version   TEXT NOT NULL,
    opt_in_organiser  INTEGER NOT NULL,
    opt_in_partner    INTEGER NOT NULL,
    anonymised_at     INTEGER,
    CONSTRAINT sealed_until_anonymised CHECK ((sealed IS NULL) = (anonymised_at IS NOT NULL)),
    UNIQUE (petition_id, email_hash),
    UNIQUE (petition_id, idempotency_key)
);

INSERT INTO signers_sealed (petition_id, signed_at, status, idempotency_key,
        country, lang, consent_version, opt_in_organiser, opt_in_partner)
    SELECT petition_id, 0, 'counted', idempotency_key, country, lang,
        consent_version, opt_in_organiser, opt_in_partner
    FROM signers;
DROP TABLE signers;
ALTER TABLE signers_sealed RENAME TO signers;

CREATE INDEX signers_by_petition ON signers (petition_id, id);
-- Erasing a person finds every petition they signed.
CREATE INDEX signers_by_email_hash ON signers (email_hash);

-- The count is the sum of `delta` over a petition's entries: +1 when a
-- signer starts counting, -1 when a counted signer is withdrawn. Entries
-- are only ever added, so the live counts can keep tailing by id.
ALTER TABLE signatures ADD COLUMN delta INTEGER NOT NULL DEFAULT 1 CHECK (delta IN (-1, 1));
ALTER TABLE signatures ADD COLUMN signer_id INTEGER REFERENCES signers (id);
