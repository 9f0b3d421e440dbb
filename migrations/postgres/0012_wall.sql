-- The wall of signatories: the individuals who chose to be listed. The
-- SQLite migration of the same name explains each part.

ALTER TABLE petitions ADD COLUMN wall_names TEXT NOT NULL DEFAULT 'first_initial';
ALTER TABLE petitions ADD COLUMN wall_hidden_countries TEXT NOT NULL DEFAULT '';

CREATE TABLE wall_names (
    signer_id    BIGINT PRIMARY KEY REFERENCES signers (id),
    petition_id  BIGINT NOT NULL REFERENCES petitions (id),
    first_name   TEXT NOT NULL,
    initial      TEXT NOT NULL,
    country      TEXT NOT NULL,
    listed_from  BIGINT,
    shuffle      BIGINT NOT NULL
);
CREATE INDEX wall_names_by_petition ON wall_names (petition_id, listed_from, shuffle);
