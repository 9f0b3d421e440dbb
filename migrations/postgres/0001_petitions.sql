-- Petitions, their texts per language, partner organisations and signatures.
-- The same tables as the SQLite migrations; times are Unix milliseconds
-- (BIGINT), as in every backend.

CREATE TABLE partners (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name        TEXT NOT NULL UNIQUE,
    origin      TEXT NOT NULL UNIQUE,
    created_at  BIGINT NOT NULL
);

CREATE TABLE petitions (
    id            BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    slug          TEXT NOT NULL UNIQUE,
    default_lang  TEXT NOT NULL,
    -- NULL: no fixed goal; widgets raise the goal as the count passes it.
    goal          BIGINT CHECK (goal IS NULL OR goal > 0),
    created_at    BIGINT NOT NULL
);

CREATE TABLE petition_texts (
    petition_id  BIGINT NOT NULL REFERENCES petitions (id) ON DELETE CASCADE,
    lang         TEXT NOT NULL,
    title        TEXT NOT NULL,
    summary      TEXT NOT NULL,
    body         TEXT NOT NULL,
    PRIMARY KEY (petition_id, lang)
);

-- The live count engine tails this table by id. An identity never reuses a
-- value; that ids also become visible in order is the writer's job (see
-- `record_signatures` in src/storage/postgres.rs).
CREATE TABLE signatures (
    id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    petition_id  BIGINT NOT NULL REFERENCES petitions (id),
    partner_id   BIGINT REFERENCES partners (id),
    signed_at    BIGINT NOT NULL
);

CREATE INDEX signatures_by_petition ON signatures (petition_id, id);
