-- Signing: which partners campaign for which petition, what a campaign shows
-- around the form, and the signers' details. Mirrors the SQLite migration.

CREATE TABLE petition_partners (
    petition_id     BIGINT NOT NULL REFERENCES petitions (id) ON DELETE CASCADE,
    partner_id      BIGINT NOT NULL REFERENCES partners (id) ON DELETE CASCADE,
    contact_opt_in  BOOLEAN NOT NULL DEFAULT FALSE,
    PRIMARY KEY (petition_id, partner_id)
);

ALTER TABLE petitions ADD COLUMN privacy_url TEXT;
ALTER TABLE petitions ADD COLUMN share_url TEXT;

ALTER TABLE petition_texts ADD COLUMN share_message TEXT NOT NULL DEFAULT '';
ALTER TABLE petition_texts ADD COLUMN hashtags TEXT NOT NULL DEFAULT '';

-- Who signed; apart from `signatures`, so erasing a person keeps the count.
CREATE TABLE signers (
    signature_id      BIGINT PRIMARY KEY REFERENCES signatures (id),
    petition_id       BIGINT NOT NULL REFERENCES petitions (id),
    email_key         TEXT NOT NULL,
    idempotency_key   TEXT NOT NULL,
    first_name        TEXT NOT NULL,
    last_name         TEXT NOT NULL,
    email             TEXT NOT NULL,
    country           TEXT NOT NULL,
    comment           TEXT NOT NULL,
    lang              TEXT NOT NULL,
    consent_version   TEXT NOT NULL,
    opt_in_organiser  BOOLEAN NOT NULL,
    opt_in_partner    BOOLEAN NOT NULL,
    UNIQUE (petition_id, email_key),
    UNIQUE (petition_id, idempotency_key)
);
