-- Social-media storms: the hour a coalition's supporters post together.
-- Nothing personal is kept: the plan is the organiser's, the shares bare
-- counts.

-- `starts_at` is an instant (milliseconds, UTC) and `minutes` how long the
-- storm lasts. `hashtags` are space-separated, without `#`. `texts` is a
-- JSON document of titles and messages per language, read and written
-- whole.
CREATE TABLE storms (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    slug          TEXT NOT NULL UNIQUE,
    default_lang  TEXT NOT NULL,
    starts_at     INTEGER NOT NULL,
    minutes       INTEGER NOT NULL,
    hashtags      TEXT NOT NULL,
    link          TEXT NOT NULL,
    texts         TEXT NOT NULL,
    created_at    INTEGER NOT NULL,
    updated_at    INTEGER NOT NULL
);

-- Clicks on each platform's share button: a count, and nothing about who.
CREATE TABLE storm_shares (
    storm_id  INTEGER NOT NULL REFERENCES storms (id),
    platform  TEXT NOT NULL,
    shares    INTEGER NOT NULL,
    PRIMARY KEY (storm_id, platform)
);
