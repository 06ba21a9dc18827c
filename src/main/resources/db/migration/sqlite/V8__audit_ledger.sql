-- SQLite: as db/migration/postgresql, in SQLite's types.
-- The audit ledger: entries are appended with no lock (each carries an HMAC of its content, mac),
-- and a sealer links them off the request path into blocks (block_no, block_pos), each block an
-- HMAC over its entries and the previous block. Entries from before the ledger keep their legacy
-- per-user chain (seq, prev_hash, hash) and are verified as such.
ALTER TABLE access_logs ADD COLUMN mac varchar(64);
ALTER TABLE access_logs ADD COLUMN block_no bigint;
ALTER TABLE access_logs ADD COLUMN block_pos bigint;
-- The entries written so far form the legacy segment, "block 0": verified by their per-user
-- chains, purged by time; the sealer starts the ledger's blocks at 1 with what comes next.
UPDATE access_logs SET block_no = 0;
CREATE UNIQUE INDEX access_logs_block ON access_logs (block_no, block_pos);
-- What the sealer reads next: written entries not yet in a block, oldest first.
CREATE INDEX access_logs_unsealed ON access_logs (timestamp, id)
    WHERE block_no IS NULL AND mac IS NOT NULL;

CREATE TABLE audit_blocks (
    id              text        PRIMARY KEY,
    created_at      TIMESTAMP   NOT NULL,
    version         bigint      NOT NULL,
    block_no        bigint      NOT NULL UNIQUE,
    prev_hash       varchar(64) NOT NULL,
    entry_count     bigint      NOT NULL,
    total_entries   bigint      NOT NULL,
    first_entry_at  TIMESTAMP   NOT NULL,
    last_entry_at   TIMESTAMP   NOT NULL,
    key_id          varchar(16) NOT NULL,
    hash            varchar(64) NOT NULL
);

CREATE TABLE audit_ledger (
    id              text        PRIMARY KEY,
    created_at      TIMESTAMP   NOT NULL,
    version         bigint      NOT NULL,
    last_block      bigint      NOT NULL,
    last_hash       varchar(64) NOT NULL,
    total_entries   bigint      NOT NULL,
    first_block     bigint      NOT NULL,
    checkpoint_hash varchar(64) NOT NULL,
    sealer          varchar(64),
    lease_until     TIMESTAMP  ,
    updated_at      TIMESTAMP   NOT NULL
);
