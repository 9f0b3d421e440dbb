-- Social-media storms. The SQLite migration of the same name explains each
-- part.

CREATE TABLE storms (
    id            BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    slug          TEXT NOT NULL UNIQUE,
    default_lang  TEXT NOT NULL,
    starts_at     BIGINT NOT NULL,
    minutes       BIGINT NOT NULL,
    hashtags      TEXT NOT NULL,
    link          TEXT NOT NULL,
    texts         TEXT NOT NULL,
    created_at    BIGINT NOT NULL,
    updated_at    BIGINT NOT NULL
);

CREATE TABLE storm_shares (
    storm_id  BIGINT NOT NULL REFERENCES storms (id),
    platform  TEXT NOT NULL,
    shares    BIGINT NOT NULL,
    PRIMARY KEY (storm_id, platform)
);
