-- Each day's key for hashing clients' networks. The SQLite migration of the
-- same name explains why.
CREATE TABLE client_day_keys (
    day         BIGINT PRIMARY KEY,
    sealed_key  BYTEA NOT NULL
);
