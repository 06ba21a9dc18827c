-- Every erasure of a user, written in the erasure's own transaction (so none can be lost after it
-- committed) and carried by every backup: a restore leaves out the records of a user erased after
-- they were written, whichever copy they come from. The id is the erasure receipt's. A user id and
-- times only: no data of the user, which is gone.
CREATE TABLE erasures (
    id          uuid        PRIMARY KEY,
    created_at  timestamptz NOT NULL,
    version     bigint      NOT NULL,
    user_id     varchar(128) NOT NULL,
    erased_at   timestamptz NOT NULL,
    erased_by   varchar(256) NOT NULL
);
CREATE INDEX erasures_user ON erasures (user_id, erased_at);

-- A restore's staging copies: it loads a backup into them while the store serves on, then copies
-- them over in one transaction (RestoreService); empty otherwise. Same columns as their tables,
-- no index or constraint (rows go in faster; the copy checks them).
-- Unlogged: a crash empties them, which costs nothing (leftovers are emptied anyway).
-- A migration that changes one of these tables changes its staging copy alike.
CREATE UNLOGGED TABLE erasures_staging AS SELECT * FROM erasures WHERE 1 = 0;
CREATE UNLOGGED TABLE legal_holds_staging AS SELECT * FROM legal_holds WHERE 1 = 0;
CREATE UNLOGGED TABLE user_keys_staging AS SELECT * FROM user_keys WHERE 1 = 0;
CREATE UNLOGGED TABLE audit_chains_staging AS SELECT * FROM audit_chains WHERE 1 = 0;
CREATE UNLOGGED TABLE audit_blocks_staging AS SELECT * FROM audit_blocks WHERE 1 = 0;
CREATE UNLOGGED TABLE audit_ledger_staging AS SELECT * FROM audit_ledger WHERE 1 = 0;
CREATE UNLOGGED TABLE memories_staging AS SELECT * FROM memories WHERE 1 = 0;
CREATE UNLOGGED TABLE dream_cycles_staging AS SELECT * FROM dream_cycles WHERE 1 = 0;
CREATE UNLOGGED TABLE profile_snapshots_staging AS SELECT * FROM profile_snapshots WHERE 1 = 0;
CREATE UNLOGGED TABLE emotional_states_staging AS SELECT * FROM emotional_states WHERE 1 = 0;
CREATE UNLOGGED TABLE interactions_staging AS SELECT * FROM interactions WHERE 1 = 0;
CREATE UNLOGGED TABLE sessions_staging AS SELECT * FROM sessions WHERE 1 = 0;
CREATE UNLOGGED TABLE access_logs_staging AS SELECT * FROM access_logs WHERE 1 = 0;
CREATE UNLOGGED TABLE metrics_staging AS SELECT * FROM metrics WHERE 1 = 0;
