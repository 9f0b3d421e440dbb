-- Donation campaigns, their texts per language and partners, and the
-- donations payment providers confirm. Amounts are integers in the
-- currency's minor unit. No donor's name, address or card is stored:
-- the totals need none.

CREATE TABLE donation_campaigns (
    id            BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    slug          TEXT NOT NULL UNIQUE,
    default_lang  TEXT NOT NULL,
    currency      TEXT NOT NULL,
    goal          BIGINT CHECK (goal IS NULL OR goal > 0),
    min_amount    BIGINT NOT NULL CHECK (min_amount > 0),
    max_amount    BIGINT NOT NULL CHECK (max_amount >= min_amount),
    deadline      BIGINT,
    -- Space-separated, the default first: "monthly once yearly".
    frequencies   TEXT NOT NULL,
    -- JSON: [{"frequency": "monthly", "amount": 500}, ...]
    asks          TEXT NOT NULL,
    -- JSON: {"kind": "stripe" | "paypal" | "link", ...settings}
    provider      TEXT NOT NULL,
    created_at    BIGINT NOT NULL
);

-- `labels`: JSON object from an ask's key ("monthly:500") to its label.
CREATE TABLE donation_texts (
    campaign_id  BIGINT NOT NULL REFERENCES donation_campaigns (id) ON DELETE CASCADE,
    lang         TEXT NOT NULL,
    title        TEXT NOT NULL,
    impact       TEXT NOT NULL,
    labels       TEXT NOT NULL,
    PRIMARY KEY (campaign_id, lang)
);

-- Checkouts are started only from the pages of a campaign's partners.
CREATE TABLE donation_partners (
    campaign_id  BIGINT NOT NULL REFERENCES donation_campaigns (id) ON DELETE CASCADE,
    partner_id   BIGINT NOT NULL REFERENCES partners (id) ON DELETE CASCADE,
    PRIMARY KEY (campaign_id, partner_id)
);

-- One row per payment the provider confirmed. `payment_ref` (a one-off
-- session, an invoice) makes a payment count once however often and in
-- whatever order its events arrive; `donor_ref` (the session, the
-- subscription) makes a monthly donor count once.
CREATE TABLE donations (
    id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    campaign_id  BIGINT NOT NULL REFERENCES donation_campaigns (id),
    partner_id   BIGINT REFERENCES partners (id),
    provider     TEXT NOT NULL,
    payment_ref  TEXT NOT NULL,
    donor_ref    TEXT NOT NULL,
    amount       BIGINT NOT NULL CHECK (amount > 0),
    currency     TEXT NOT NULL,
    frequency    TEXT NOT NULL,
    donated_at   BIGINT NOT NULL,
    UNIQUE (provider, payment_ref)
);

CREATE INDEX donations_by_campaign ON donations (campaign_id, id);

-- Provider events already handled: a redelivered event changes nothing.
CREATE TABLE provider_events (
    provider     TEXT NOT NULL,
    event_id     TEXT NOT NULL,
    received_at  BIGINT NOT NULL,
    PRIMARY KEY (provider, event_id)
);
