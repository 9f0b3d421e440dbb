-- The SQLite migration of the same name explains each part.
ALTER TABLE petitions ADD COLUMN wall_city BOOLEAN NOT NULL DEFAULT false;
ALTER TABLE wall_names ADD COLUMN city TEXT NOT NULL DEFAULT '';
