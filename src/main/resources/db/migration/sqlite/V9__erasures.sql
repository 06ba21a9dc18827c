-- SQLite: as db/migration/postgresql, in SQLite's types.
-- Every erasure of a user, written in the erasure's own transaction (so none can be lost after it
-- committed) and carried by every backup: a restore leaves out the records of a user erased after
-- they were written, whichever copy they come from. The id is the erasure receipt's. A user id and
-- times only: no data of the user, which is gone.
CREATE TABLE erasures (
    id          text        PRIMARY KEY,
    created_at  TIMESTAMP   NOT NULL,
    version     bigint      NOT NULL,
    user_id     varchar(128) NOT NULL,
    erased_at   TIMESTAMP   NOT NULL,
    erased_by   varchar(256) NOT NULL
);
CREATE INDEX erasures_user ON erasures (user_id, erased_at);
