-- Files attached to feed items: flyers, posters and tip sheets.
--
-- Chorus keeps the files in the database itself: every instance reads the
-- same ones on either backend, with no shared disk or object store to run,
-- and a backup of the database is a backup of the toolkit. Files are kept
-- once by their SHA-256 (`attachment_files`), however many items carry them.

-- One attachment of an item. Alternates of one file in other languages
-- share `group_id` (the first one's id). `source_url`: a mirrored feed's
-- enclosure, kept as a link to its source, with no file here (`sha256`
-- NULL).
CREATE TABLE item_attachments (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    item_id     INTEGER NOT NULL REFERENCES feed_items (id) ON DELETE CASCADE,
    group_id    INTEGER NOT NULL,
    title       TEXT NOT NULL,
    lang        TEXT NOT NULL,
    media_type  TEXT NOT NULL,
    length      INTEGER NOT NULL,
    file_name   TEXT NOT NULL,
    sha256      TEXT,
    source_url  TEXT,
    created_at  INTEGER NOT NULL
);
CREATE INDEX item_attachments_by_item ON item_attachments (item_id, group_id, id);

-- A file's bytes, by the hex SHA-256 of them. `media_type` is read from
-- the bytes themselves when the file arrives.
CREATE TABLE attachment_files (
    sha256      TEXT PRIMARY KEY,
    media_type  TEXT NOT NULL,
    bytes       BLOB NOT NULL
);
