-- One audit log per organisation, that its owners read: who did what that
-- matters (a token made or revoked, an export, and, as they come, sign-ins
-- and approvals). Rows are only ever added.
--
-- `actor`: who, as Chorus knew them ("operator" at the command line,
-- "token 3 (Website CMS)"). `action`: a stable name (`token.created`,
-- `signatures.exported`). `detail`: a line for people to read; never
-- personal data of supporters.
CREATE TABLE audit_log (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    organisation_id  INTEGER NOT NULL REFERENCES organisations (id),
    at               INTEGER NOT NULL,
    actor            TEXT NOT NULL,
    action           TEXT NOT NULL,
    detail           TEXT NOT NULL
);

CREATE INDEX audit_log_by_organisation ON audit_log (organisation_id, id);
