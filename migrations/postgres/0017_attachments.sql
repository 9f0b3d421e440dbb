-- Files attached to feed items. The SQLite migration of the same name
-- explains each part, and why the files live in the database.

CREATE TABLE item_attachments (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    item_id     BIGINT NOT NULL REFERENCES feed_items (id) ON DELETE CASCADE,
    group_id    BIGINT NOT NULL,
    title       TEXT NOT NULL,
    lang        TEXT NOT NULL,
    media_type  TEXT NOT NULL,
    length      BIGINT NOT NULL,
    file_name   TEXT NOT NULL,
    sha256      TEXT,
    source_url  TEXT,
    created_at  BIGINT NOT NULL
);
CREATE INDEX item_attachments_by_item ON item_attachments (item_id, group_id, id);

CREATE TABLE attachment_files (
    sha256      TEXT PRIMARY KEY,
    media_type  TEXT NOT NULL,
    bytes       BYTEA NOT NULL
);
