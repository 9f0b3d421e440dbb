-- Signing: which partners campaign for which petition, what a campaign shows
-- around the form, and the signers' details.

-- Writes for a petition are accepted only from the origins of its partners.
-- `contact_opt_in`: the partner asks its own signers whether it may write to them.
CREATE TABLE petition_partners (
    petition_id     INTEGER NOT NULL REFERENCES petitions (id) ON DELETE CASCADE,
    partner_id      INTEGER NOT NULL REFERENCES partners (id) ON DELETE CASCADE,
    contact_opt_in  INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (petition_id, partner_id)
);

-- The campaign's privacy notice (linked from the consent) and the address
-- shares point to; NULL share_url: the page the supporter signed on.
ALTER TABLE petitions ADD COLUMN privacy_url TEXT;
ALTER TABLE petitions ADD COLUMN share_url TEXT;

-- Share message and hashtags (space-separated, without '#') per language.
ALTER TABLE petition_texts ADD COLUMN share_message TEXT NOT NULL DEFAULT '';
ALTER TABLE petition_texts ADD COLUMN hashtags TEXT NOT NULL DEFAULT '';

-- Who signed. Apart from `signatures` so that erasing a person keeps the
-- count (and the ids the count engine tails) intact.
-- `email_key`: the normalised address; one address signs a petition once.
-- `idempotency_key`: made by the widget per submission; a retry adds nothing.
CREATE TABLE signers (
    signature_id      INTEGER PRIMARY KEY REFERENCES signatures (id),
    petition_id       INTEGER NOT NULL REFERENCES petitions (id),
    email_key         TEXT NOT NULL,
    idempotency_key   TEXT NOT NULL,
    first_name        TEXT NOT NULL,
    last_name         TEXT NOT NULL,
    email             TEXT NOT NULL,
    country           TEXT NOT NULL,
    comment           TEXT NOT NULL,
    lang              TEXT NOT NULL,
    consent_version   TEXT NOT NULL,
    opt_in_organiser  INTEGER NOT NULL,
    opt_in_partner    INTEGER NOT NULL,
    UNIQUE (petition_id, email_key),
    UNIQUE (petition_id, idempotency_key)
);
