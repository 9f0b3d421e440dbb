-- Organisations' API tokens, and which organisation owns each feed and
-- storm, so a token reaches its own organisation's content and nothing else.
--
-- A token is kept only as the SHA-256 digest of what its holder sends
-- (tokens are 256 random bits, so a plain digest cannot be searched back).
-- `scopes`: space-separated, as `chorus token create` names them. A token
-- stops working at `expires_at` or once `revoked_at` is set; rows are kept
-- so owners can see what existed and when it was last used.
CREATE TABLE api_tokens (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    organisation_id  INTEGER NOT NULL REFERENCES organisations (id),
    label            TEXT NOT NULL,
    digest           BLOB NOT NULL UNIQUE,
    scopes           TEXT NOT NULL,
    created_at       INTEGER NOT NULL,
    expires_at       INTEGER NOT NULL,
    revoked_at       INTEGER,
    last_used_at     INTEGER
);

CREATE INDEX api_tokens_by_organisation ON api_tokens (organisation_id);

-- NULL: made before feeds and storms had owners. Where the deployment has
-- one organisation, it owns them; otherwise `chorus org adopt` says whose
-- they are, and until then no token reaches them.
ALTER TABLE feeds ADD COLUMN organisation_id INTEGER REFERENCES organisations (id);
ALTER TABLE storms ADD COLUMN organisation_id INTEGER REFERENCES organisations (id);

UPDATE feeds SET organisation_id = (SELECT MIN(id) FROM organisations)
    WHERE (SELECT COUNT(*) FROM organisations) = 1;
UPDATE storms SET organisation_id = (SELECT MIN(id) FROM organisations)
    WHERE (SELECT COUNT(*) FROM organisations) = 1;
