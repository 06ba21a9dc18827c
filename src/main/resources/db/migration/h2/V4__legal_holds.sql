-- H2 (the memory backend): as db/migration/postgresql, in H2's types.
-- Legal holds: while one stands, a user's data may be neither erased nor purged by retention.
CREATE TABLE legal_holds (
    id          uuid        PRIMARY KEY,
    created_at  timestamp   NOT NULL,
    version     bigint      NOT NULL,
    user_id     varchar(128) NOT NULL,
    reason      varchar(1000) NOT NULL,
    placed_by   varchar(256) NOT NULL
);
CREATE INDEX legal_holds_user ON legal_holds (user_id);
