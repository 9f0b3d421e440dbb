-- The wall of signatories: the individuals who chose to be listed.

-- How the wall shows a person: 'first_initial' (Ana L.) or 'first' (Ana).
ALTER TABLE petitions ADD COLUMN wall_names TEXT NOT NULL DEFAULT 'first_initial';
-- Countries (ISO codes, comma-separated) whose signers and organisations
-- the wall never names: there, being listed endangers people.
ALTER TABLE petitions ADD COLUMN wall_hidden_countries TEXT NOT NULL DEFAULT '';

-- A signer who asked to be listed: the name as the wall may show it,
-- built by the server from what they typed (the first name, and the last
-- name's initial only: the rest stays sealed). Listing needs the signer's
-- email confirmation; `listed_from` is NULL until then, and afterwards the
-- end of the batch the confirmation fell in, so a name never appears at
-- the moment its signer acted. `shuffle` orders a batch at random.
CREATE TABLE wall_names (
    signer_id    INTEGER PRIMARY KEY REFERENCES signers (id),
    petition_id  INTEGER NOT NULL REFERENCES petitions (id),
    first_name   TEXT NOT NULL,
    initial      TEXT NOT NULL,
    country      TEXT NOT NULL,
    listed_from  INTEGER,
    shuffle      INTEGER NOT NULL
);
CREATE INDEX wall_names_by_petition ON wall_names (petition_id, listed_from, shuffle);
