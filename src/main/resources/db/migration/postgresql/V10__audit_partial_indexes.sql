-- Every audit entry is written once and placed in a block once by the sealer, an UPDATE that
-- changes indexed columns and so writes a new entry into every index of the table. Two of those
-- indexes only ever serve some of the rows: the legacy chain's (user_id, seq), which entries of the
-- ledger leave null, and the blocks' (block_no, block_pos), null until an entry is sealed. As
-- partial indexes they keep the same uniqueness (nulls never conflicted) and serve the same
-- queries (each asks for a seq or a block), while an entry's insert skips both and its placing
-- skips the chain's.
DROP INDEX access_logs_chain;
CREATE UNIQUE INDEX access_logs_chain ON access_logs (user_id, seq) WHERE seq IS NOT NULL;
DROP INDEX access_logs_block;
CREATE UNIQUE INDEX access_logs_block ON access_logs (block_no, block_pos)
    WHERE block_no IS NOT NULL;
