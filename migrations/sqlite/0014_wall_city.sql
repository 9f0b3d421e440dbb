-- The wall may show a listed person's city beside their name, when the
-- organiser allows it: 0 (never, the default) or 1.
ALTER TABLE petitions ADD COLUMN wall_city INTEGER NOT NULL DEFAULT 0;
-- The city a listed signer gave for the wall, as typed (trimmed); empty
-- without one. Kept apart from their sealed details because it is public
-- once shown.
ALTER TABLE wall_names ADD COLUMN city TEXT NOT NULL DEFAULT '';
