-- The eight collections on SQLite: the same tables, columns and indexes as
-- db/migration/postgresql/V1, in SQLite's types. Ids are their UUID text (text sorts as
-- PostgreSQL's uuid does); times are INTEGER microseconds since the epoch in columns declared
-- timestamp (the platform io.smlguardian.store.jpa.SQLitePlatform binds and reads them: the driver
-- alone would keep milliseconds); JSON is its text.

CREATE TABLE memories (
    id          text        PRIMARY KEY,
    created_at  TIMESTAMP   NOT NULL,
    version     bigint      NOT NULL,
    user_id     varchar(128) NOT NULL,
    type        varchar(100) NOT NULL,
    strength    double precision NOT NULL,
    patterns    text,
    metadata    text,
    timestamp   TIMESTAMP   NOT NULL
);
CREATE INDEX memories_user_time ON memories (user_id, timestamp DESC);
CREATE INDEX memories_user_type_strength ON memories (user_id, type, strength DESC);
CREATE INDEX memories_time ON memories (timestamp);

CREATE TABLE dream_cycles (
    id          text        PRIMARY KEY,
    created_at  TIMESTAMP   NOT NULL,
    version     bigint      NOT NULL,
    user_id     varchar(128) NOT NULL,
    cycle_id    varchar(128) NOT NULL,
    schedule    varchar(200),
    memories    text,
    simulations text,
    insights    text,
    timestamp   TIMESTAMP   NOT NULL
);
CREATE INDEX dream_cycles_user_time ON dream_cycles (user_id, timestamp DESC);
CREATE INDEX dream_cycles_cycle ON dream_cycles (cycle_id);
CREATE INDEX dream_cycles_time ON dream_cycles (timestamp);

CREATE TABLE profile_snapshots (
    id              text        PRIMARY KEY,
    created_at      TIMESTAMP   NOT NULL,
    version         bigint      NOT NULL,
    user_id         varchar(128) NOT NULL,
    snapshot_id     varchar(128) NOT NULL,
    dimensions      text,
    evolution_score double precision,
    insights        text,
    timestamp       TIMESTAMP   NOT NULL
);
CREATE INDEX profile_snapshots_user_time ON profile_snapshots (user_id, timestamp DESC);
CREATE INDEX profile_snapshots_snapshot ON profile_snapshots (snapshot_id);
CREATE INDEX profile_snapshots_time ON profile_snapshots (timestamp);

CREATE TABLE emotional_states (
    id          text        PRIMARY KEY,
    created_at  TIMESTAMP   NOT NULL,
    version     bigint      NOT NULL,
    user_id     varchar(128) NOT NULL,
    emotion     varchar(64) NOT NULL,
    intensity   double precision NOT NULL,
    stability   double precision,
    timestamp   TIMESTAMP   NOT NULL
);
CREATE INDEX emotional_states_user_time ON emotional_states (user_id, timestamp DESC);
CREATE INDEX emotional_states_time ON emotional_states (timestamp);

CREATE TABLE interactions (
    id            text        PRIMARY KEY,
    created_at    TIMESTAMP   NOT NULL,
    version       bigint      NOT NULL,
    user_id       varchar(128) NOT NULL,
    session_id    varchar(128) NOT NULL,
    type          varchar(64) NOT NULL,
    response_time double precision,
    agent_mode    varchar(64),
    timestamp     TIMESTAMP   NOT NULL
);
CREATE INDEX interactions_user_time ON interactions (user_id, timestamp DESC);
CREATE INDEX interactions_session_time ON interactions (session_id, timestamp);
CREATE INDEX interactions_time ON interactions (timestamp);

CREATE TABLE sessions (
    id          text        PRIMARY KEY,
    created_at  TIMESTAMP   NOT NULL,
    version     bigint      NOT NULL,
    user_id     varchar(128) NOT NULL,
    session_id  varchar(128) NOT NULL,
    start_time  TIMESTAMP   NOT NULL,
    end_time    TIMESTAMP,
    metadata    text,
    CONSTRAINT sessions_end_after_start CHECK (end_time IS NULL OR end_time >= start_time)
);
CREATE INDEX sessions_user_time ON sessions (user_id, start_time DESC);
CREATE INDEX sessions_session ON sessions (session_id);
CREATE INDEX sessions_time ON sessions (start_time);

CREATE TABLE access_logs (
    id          text        PRIMARY KEY,
    created_at  TIMESTAMP   NOT NULL,
    version     bigint      NOT NULL,
    user_id     varchar(128) NOT NULL,
    access_type varchar(64) NOT NULL,
    timestamp   TIMESTAMP   NOT NULL,
    ip_address  varchar(64),
    success     boolean     NOT NULL,
    reason      varchar(1000)
);
CREATE INDEX access_logs_user_time ON access_logs (user_id, timestamp DESC);
CREATE INDEX access_logs_time ON access_logs (timestamp);

CREATE TABLE metrics (
    id                text        PRIMARY KEY,
    created_at        TIMESTAMP   NOT NULL,
    version           bigint      NOT NULL,
    agent_performance text,
    cache_stats       text,
    timestamp         TIMESTAMP   NOT NULL
);
CREATE INDEX metrics_time ON metrics (timestamp DESC);
