-- Local events of a day of action, and the people coming to them.

-- A day many events belong to (International Migrants Day): its date is
-- the same calendar day wherever each event happens.
CREATE TABLE action_days (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    slug             TEXT NOT NULL UNIQUE,
    organisation_id  INTEGER NOT NULL REFERENCES organisations (id),
    day              TEXT NOT NULL,
    default_lang     TEXT NOT NULL,
    created_at       INTEGER NOT NULL
);

CREATE TABLE action_day_names (
    day_id  INTEGER NOT NULL REFERENCES action_days (id),
    lang    TEXT NOT NULL,
    name    TEXT NOT NULL,
    PRIMARY KEY (day_id, lang)
);

-- `city_key` is the city folded (case, accents) for searching.
-- `status`: `pending` (proposed, waiting for the organiser), `approved`,
-- `rejected` or `cancelled`. The host's contact is sealed to the
-- organisation's key (`host_sealed`) and, until the host is told of the
-- organiser's decision, kept for the outbox under Chorus's key
-- (`host_mail`). `going` is kept with the RSVPs in their transactions, so
-- a capacity is never passed; `rsvp_changes` only grows, so the live
-- attendance can tell when to look again.
CREATE TABLE events (
    id                INTEGER PRIMARY KEY AUTOINCREMENT,
    public_id         TEXT NOT NULL UNIQUE,
    day_id            INTEGER REFERENCES action_days (id),
    organisation_id   INTEGER NOT NULL REFERENCES organisations (id),
    kind              TEXT NOT NULL,
    default_lang      TEXT NOT NULL,
    starts_at         INTEGER NOT NULL,
    ends_at           INTEGER NOT NULL,
    time_zone         TEXT NOT NULL,
    venue             TEXT NOT NULL,
    address           TEXT NOT NULL,
    address_private   INTEGER NOT NULL,
    city              TEXT NOT NULL,
    city_key          TEXT NOT NULL,
    country           TEXT NOT NULL,
    online_url        TEXT,
    accessibility     TEXT NOT NULL,
    capacity          INTEGER,
    host              TEXT NOT NULL,
    host_partner_id   INTEGER REFERENCES partners (id),
    host_sealed       BLOB,
    host_email_hash   BLOB,
    host_mail         BLOB,
    submission_key    TEXT UNIQUE,
    status            TEXT NOT NULL,
    going             INTEGER NOT NULL DEFAULT 0,
    rsvp_changes      INTEGER NOT NULL DEFAULT 0,
    created_at        INTEGER NOT NULL,
    updated_at        INTEGER NOT NULL
);
CREATE INDEX events_by_day ON events (day_id, status, starts_at, id);
CREATE INDEX events_by_start ON events (status, starts_at, id);

CREATE TABLE event_texts (
    event_id     INTEGER NOT NULL REFERENCES events (id),
    lang         TEXT NOT NULL,
    title        TEXT NOT NULL,
    description  TEXT NOT NULL,
    PRIMARY KEY (event_id, lang)
);

-- One answer "I'll come". With an email, the person's details are sealed
-- to the organisation (`sealed`, for the host's list), the address is kept
-- as a keyed hash (one RSVP per address and event), and the address is
-- kept for the reminder under Chorus's key (`mail`) until the event is over.
-- `token_hash` is the digest of the cancel link's token.
CREATE TABLE rsvps (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    event_id         INTEGER NOT NULL REFERENCES events (id),
    people           INTEGER NOT NULL,
    idempotency_key  TEXT NOT NULL,
    email_hash       BLOB,
    sealed           BLOB,
    mail             BLOB,
    lang             TEXT NOT NULL,
    token_hash       BLOB UNIQUE,
    client_hash      BLOB,
    reminded_at      INTEGER,
    cancelled_at     INTEGER,
    created_at       INTEGER NOT NULL,
    UNIQUE (event_id, idempotency_key),
    UNIQUE (event_id, email_hash)
);
CREATE INDEX rsvps_to_remind ON rsvps (event_id) WHERE mail IS NOT NULL AND reminded_at IS NULL;
CREATE INDEX rsvps_by_email_hash ON rsvps (email_hash);
CREATE INDEX events_by_host_email_hash ON events (host_email_hash);
