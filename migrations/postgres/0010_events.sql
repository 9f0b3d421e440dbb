-- Local events of a day of action, and the people coming to them. The
-- SQLite migration of the same name explains each part.

CREATE TABLE action_days (
    id               BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    slug             TEXT NOT NULL UNIQUE,
    organisation_id  BIGINT NOT NULL REFERENCES organisations (id),
    day              TEXT NOT NULL,
    default_lang     TEXT NOT NULL,
    created_at       BIGINT NOT NULL
);

CREATE TABLE action_day_names (
    day_id  BIGINT NOT NULL REFERENCES action_days (id),
    lang    TEXT NOT NULL,
    name    TEXT NOT NULL,
    PRIMARY KEY (day_id, lang)
);

CREATE TABLE events (
    id                BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    public_id         TEXT NOT NULL UNIQUE,
    day_id            BIGINT REFERENCES action_days (id),
    organisation_id   BIGINT NOT NULL REFERENCES organisations (id),
    kind              TEXT NOT NULL,
    default_lang      TEXT NOT NULL,
    starts_at         BIGINT NOT NULL,
    ends_at           BIGINT NOT NULL,
    time_zone         TEXT NOT NULL,
    venue             TEXT NOT NULL,
    address           TEXT NOT NULL,
    address_private   BOOLEAN NOT NULL,
    city              TEXT NOT NULL,
    city_key          TEXT NOT NULL,
    country           TEXT NOT NULL,
    online_url        TEXT,
    accessibility     TEXT NOT NULL,
    capacity          BIGINT,
    host              TEXT NOT NULL,
    host_partner_id   BIGINT REFERENCES partners (id),
    host_sealed       BYTEA,
    host_email_hash   BYTEA,
    host_mail         BYTEA,
    submission_key    TEXT UNIQUE,
    status            TEXT NOT NULL,
    going             BIGINT NOT NULL DEFAULT 0,
    rsvp_changes      BIGINT NOT NULL DEFAULT 0,
    created_at        BIGINT NOT NULL,
    updated_at        BIGINT NOT NULL
);
CREATE INDEX events_by_day ON events (day_id, status, starts_at, id);
CREATE INDEX events_by_start ON events (status, starts_at, id);

CREATE TABLE event_texts (
    event_id     BIGINT NOT NULL REFERENCES events (id),
    lang         TEXT NOT NULL,
    title        TEXT NOT NULL,
    description  TEXT NOT NULL,
    PRIMARY KEY (event_id, lang)
);

CREATE TABLE rsvps (
    id               BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    event_id         BIGINT NOT NULL REFERENCES events (id),
    people           BIGINT NOT NULL,
    idempotency_key  TEXT NOT NULL,
    email_hash       BYTEA,
    sealed           BYTEA,
    mail             BYTEA,
    lang             TEXT NOT NULL,
    token_hash       BYTEA UNIQUE,
    client_hash      BYTEA,
    reminded_at      BIGINT,
    cancelled_at     BIGINT,
    created_at       BIGINT NOT NULL,
    UNIQUE (event_id, idempotency_key),
    UNIQUE (event_id, email_hash)
);
CREATE INDEX rsvps_to_remind ON rsvps (event_id) WHERE mail IS NOT NULL AND reminded_at IS NULL;
CREATE INDEX rsvps_by_email_hash ON rsvps (email_hash);
CREATE INDEX events_by_host_email_hash ON events (host_email_hash);
