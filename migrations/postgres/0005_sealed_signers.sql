-- Personal data sealed at rest, and the count as a ledger. The SQLite
-- migration of the same name explains each part.
CREATE TABLE organisations (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name        TEXT NOT NULL UNIQUE,
    public_key  BYTEA NOT NULL,
    created_at  BIGINT NOT NULL
);

ALTER TABLE petitions ADD COLUMN organisation_id BIGINT REFERENCES organisations (id);
ALTER TABLE petitions ADD COLUMN closed_at BIGINT;

-- Rows from before this version hold personal data in clear and cannot be
-- sealed here: stop rather than keep or drop them silently.
DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM signers) THEN
        RAISE EXCEPTION 'signers stored in clear: export them with the previous version of Chorus and empty the signers table before upgrading';
    END IF;
END
$$;
DROP TABLE signers;

CREATE TABLE signers (
    id                BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    petition_id       BIGINT NOT NULL REFERENCES petitions (id),
    partner_id        BIGINT REFERENCES partners (id),
    signed_at         BIGINT NOT NULL,
    status            TEXT NOT NULL,
    email_hash        BYTEA,
    idempotency_key   TEXT NOT NULL,
    sealed            BYTEA,
    country           TEXT NOT NULL,
    lang              TEXT NOT NULL,
    consent_version   TEXT NOT NULL,
    opt_in_organiser  BOOLEAN NOT NULL,
    opt_in_partner    BOOLEAN NOT NULL,
    anonymised_at     BIGINT,
    CONSTRAINT sealed_until_anonymised CHECK ((sealed IS NULL) = (anonymised_at IS NOT NULL)),
    UNIQUE (petition_id, email_hash),
    UNIQUE (petition_id, idempotency_key)
);

CREATE INDEX signers_by_petition ON signers (petition_id, id);
CREATE INDEX signers_by_email_hash ON signers (email_hash);

ALTER TABLE signatures ADD COLUMN delta INTEGER NOT NULL DEFAULT 1 CHECK (delta IN (-1, 1));
ALTER TABLE signatures ADD COLUMN signer_id BIGINT REFERENCES signers (id);
