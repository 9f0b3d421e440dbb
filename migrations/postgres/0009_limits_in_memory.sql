-- Clients' recent signatures are counted in memory now (src/guard/tally.rs),
-- not by looking their signers up on every signature. Nothing else asks for
-- a client's signers across petitions, and the index cost every signature
-- one more page written at a random place.
DROP INDEX signers_by_client;
