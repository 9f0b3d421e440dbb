-- An organisation's uploaded logo, as Chorus re-encoded it (a PNG, with
-- nothing of the uploaded file's metadata): served by the wall in place
-- of the address it could give instead. NULL without an upload.
ALTER TABLE endorsements ADD COLUMN logo BLOB;
