-- Each organisation's audit log. The SQLite migration of the same name
-- explains each part.
CREATE TABLE audit_log (
    id               BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    organisation_id  BIGINT NOT NULL REFERENCES organisations (id),
    at               BIGINT NOT NULL,
    actor            TEXT NOT NULL,
    action           TEXT NOT NULL,
    detail           TEXT NOT NULL
);

CREATE INDEX audit_log_by_organisation ON audit_log (organisation_id, id);
