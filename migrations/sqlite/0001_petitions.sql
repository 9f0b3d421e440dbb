-- Petitions, their texts per language, partner organisations and signatures.
-- Times are Unix milliseconds (INTEGER), as in every backend.

CREATE TABLE partners (
    id          INTEGER PRIMARY KEY,
    name        TEXT NOT NULL UNIQUE,
    origin      TEXT NOT NULL UNIQUE,
    created_at  INTEGER NOT NULL
);

CREATE TABLE petitions (
    id            INTEGER PRIMARY KEY,
    slug          TEXT NOT NULL UNIQUE,
    default_lang  TEXT NOT NULL,
    -- NULL: no fixed goal; widgets raise the goal as the count passes it.
    goal          INTEGER CHECK (goal IS NULL OR goal > 0),
    created_at    INTEGER NOT NULL
);

CREATE TABLE petition_texts (
    petition_id  INTEGER NOT NULL REFERENCES petitions (id) ON DELETE CASCADE,
    lang         TEXT NOT NULL,
    title        TEXT NOT NULL,
    summary      TEXT NOT NULL,
    body         TEXT NOT NULL,
    PRIMARY KEY (petition_id, lang)
);

-- AUTOINCREMENT, not a plain rowid: ids must never be reused after a delete,
-- because the live count engine tails this table by id.
CREATE TABLE signatures (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    petition_id  INTEGER NOT NULL REFERENCES petitions (id),
    partner_id   INTEGER REFERENCES partners (id),
    signed_at    INTEGER NOT NULL
);

CREATE INDEX signatures_by_petition ON signatures (petition_id, id);
