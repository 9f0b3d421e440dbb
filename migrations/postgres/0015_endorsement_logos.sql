-- The SQLite migration of the same name explains it.
ALTER TABLE endorsements ADD COLUMN logo BYTEA;
