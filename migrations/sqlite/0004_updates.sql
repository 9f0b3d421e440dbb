-- "Latest updates" feeds and their items. Items are stored sanitised.
-- Times are Unix milliseconds.

-- `source_*`: a feed mirrored from the organisation's own RSS, Atom or
-- JSON Feed; NULL for feeds organisers post to directly.
CREATE TABLE feeds (
    id                    INTEGER PRIMARY KEY,
    slug                  TEXT NOT NULL UNIQUE,
    title                 TEXT NOT NULL,
    default_lang          TEXT NOT NULL,
    source_url            TEXT,
    source_etag           TEXT,
    source_last_modified  TEXT,
    source_checked_at     INTEGER,
    -- The last fetch's problem, for organisers; NULL when it went well.
    source_error          TEXT,
    created_at            INTEGER NOT NULL
);

-- `source_id`: the item's id in the mirrored feed, so a new fetch updates
-- the item instead of adding it again. `tags`: space-separated, with a
-- space at each end, so one tag is found with LIKE '% tag %'.
-- `published_at` in the future: published then.
CREATE TABLE feed_items (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    feed_id       INTEGER NOT NULL REFERENCES feeds (id) ON DELETE CASCADE,
    source_id     TEXT,
    title         TEXT NOT NULL,
    summary       TEXT NOT NULL,
    body_html     TEXT NOT NULL,
    image_url     TEXT,
    image_alt     TEXT NOT NULL,
    link          TEXT,
    tags          TEXT NOT NULL,
    lang          TEXT NOT NULL,
    published_at  INTEGER NOT NULL,
    updated_at    INTEGER NOT NULL,
    unpublished   INTEGER NOT NULL DEFAULT 0,
    UNIQUE (feed_id, source_id)
);

CREATE INDEX feed_items_newest ON feed_items (feed_id, published_at DESC, id DESC);
