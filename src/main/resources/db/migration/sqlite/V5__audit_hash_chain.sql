-- SQLite: as db/migration/postgresql, in SQLite's types.
-- Tamper evidence for the audit trail: entries form one hash chain per user (seq, prev_hash,
-- hash), and audit_chains holds each chain's head, locked while an entry is appended.
ALTER TABLE access_logs ADD COLUMN seq bigint;
ALTER TABLE access_logs ADD COLUMN prev_hash varchar(64);
ALTER TABLE access_logs ADD COLUMN hash varchar(64);
CREATE UNIQUE INDEX access_logs_chain ON access_logs (user_id, seq);

CREATE TABLE audit_chains (
    id          text        PRIMARY KEY,
    created_at  TIMESTAMP   NOT NULL,
    version     bigint      NOT NULL,
    chain       varchar(128) NOT NULL UNIQUE,
    seq         bigint      NOT NULL,
    hash        varchar(64) NOT NULL
);
