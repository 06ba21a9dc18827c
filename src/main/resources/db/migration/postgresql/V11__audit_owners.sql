-- An audit entry may be about several users' data (an ingest request's records, of many users):
-- it names them all in owners, which its MAC covers, and its user_id is then the reserved
-- "several". Every entry, of one owner or several, has a row per owner in access_log_owners, and
-- every read of one user's entries goes through it (a semi-join from its primary key): an owner
-- filter that were "the entry's own user_id or a link" would make PostgreSQL scan the whole trail
-- (an OR of a column and a subquery uses no index). The entries' own indexes on user_id go: the
-- owner table answers what they answered, and each entry's insert and placing in a block writes
-- into two indexes fewer (V12, common to all databases, fills the table and drops them).
ALTER TABLE access_logs ADD COLUMN owners jsonb;
ALTER TABLE access_logs_staging ADD COLUMN owners jsonb;

CREATE TABLE access_log_owners (
    user_id     varchar(128) NOT NULL,
    record_id   uuid         NOT NULL,
    PRIMARY KEY (user_id, record_id)
);
