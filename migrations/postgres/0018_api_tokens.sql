-- Organisations' API tokens, and the owners of feeds and storms. The SQLite
-- migration of the same name explains each part.

CREATE TABLE api_tokens (
    id               BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    organisation_id  BIGINT NOT NULL REFERENCES organisations (id),
    label            TEXT NOT NULL,
    digest           BYTEA NOT NULL UNIQUE,
    scopes           TEXT NOT NULL,
    created_at       BIGINT NOT NULL,
    expires_at       BIGINT NOT NULL,
    revoked_at       BIGINT,
    last_used_at     BIGINT
);

CREATE INDEX api_tokens_by_organisation ON api_tokens (organisation_id);

ALTER TABLE feeds ADD COLUMN organisation_id BIGINT REFERENCES organisations (id);
ALTER TABLE storms ADD COLUMN organisation_id BIGINT REFERENCES organisations (id);

UPDATE feeds SET organisation_id = (SELECT MIN(id) FROM organisations)
    WHERE (SELECT COUNT(*) FROM organisations) = 1;
UPDATE storms SET organisation_id = (SELECT MIN(id) FROM organisations)
    WHERE (SELECT COUNT(*) FROM organisations) = 1;
