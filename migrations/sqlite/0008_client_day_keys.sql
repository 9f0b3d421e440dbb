-- Each day's key for hashing clients' networks: random, never derived from
-- Chorus's secret, so that no one holding the secret and a database dump
-- can recompute a hash by trying every address. Kept sealed with a key
-- derived from the secret, shared by every instance through this table, and
-- deleted once the review window has passed, after which that day's hashes
-- can never be linked to an address again.
CREATE TABLE client_day_keys (
    day         INTEGER PRIMARY KEY,
    sealed_key  BLOB NOT NULL
);
