-- The sealer's placing of audit entries, two ways, on PostgreSQL alone (no server): today's
-- access_logs layout, where placing an entry in a block is an UPDATE that writes the entry into
-- every index again, against a layout meant to make it a HOT update (block columns under a BRIN
-- index only, the table at fillfactor 50, the unsealed entries in a narrow queue table). HOT with
-- a BRIN index needs PostgreSQL 16 or later.
--
--   psql -h HOST -p PORT -U postgres -v rounds=7 -f src/benchmark/sql/audit-placing.sql
--
-- Each round writes 100,000 entries per layout as 1,000 transactions of 100 rows and seals them
-- 1,000 at a time, as the sealer does, then prints the seconds each layout took. Leaves its
-- tables (audit_placing_*) behind for a look; drop them after.
\set ON_ERROR_STOP on
\if :{?rounds}
\else
\set rounds 3
\endif
DROP TABLE IF EXISTS audit_placing_today, audit_placing_hot, audit_placing_queue CASCADE;
CREATE TABLE audit_placing_today (
  id uuid PRIMARY KEY, created_at timestamptz NOT NULL, version bigint NOT NULL,
  user_id varchar(128) NOT NULL, access_type varchar(64) NOT NULL, timestamp timestamptz NOT NULL,
  ip_address varchar(64), success boolean NOT NULL, reason varchar(1000),
  principal varchar(256), collection varchar(64), operation varchar(256),
  seq bigint, prev_hash varchar(64), hash varchar(64), mac varchar(64),
  block_no bigint, block_pos bigint);
CREATE INDEX ON audit_placing_today (user_id, timestamp DESC);
CREATE INDEX ON audit_placing_today (timestamp, id);
CREATE INDEX ON audit_placing_today (user_id, id);
CREATE INDEX ON audit_placing_today (principal, timestamp DESC);
CREATE UNIQUE INDEX ON audit_placing_today (user_id, seq) WHERE seq IS NOT NULL;
CREATE UNIQUE INDEX ON audit_placing_today (block_no, block_pos) WHERE block_no IS NOT NULL;
CREATE INDEX audit_placing_today_unsealed ON audit_placing_today (timestamp, id)
  WHERE block_no IS NULL AND mac IS NOT NULL;

CREATE TABLE audit_placing_hot (LIKE audit_placing_today) WITH (fillfactor = 50);
ALTER TABLE audit_placing_hot ADD PRIMARY KEY (id);
CREATE INDEX ON audit_placing_hot (user_id, timestamp DESC);
CREATE INDEX ON audit_placing_hot (timestamp, id);
CREATE INDEX ON audit_placing_hot (user_id, id);
CREATE INDEX ON audit_placing_hot (principal, timestamp DESC);
CREATE UNIQUE INDEX ON audit_placing_hot (user_id, seq) WHERE seq IS NOT NULL;
CREATE INDEX ON audit_placing_hot USING brin (block_no) WITH (pages_per_range = 8);
CREATE TABLE audit_placing_queue (timestamp timestamptz NOT NULL, id uuid NOT NULL,
  PRIMARY KEY (timestamp, id));

CREATE OR REPLACE PROCEDURE audit_placing_round(layout text, first_block bigint, INOUT seconds numeric)
LANGUAGE plpgsql AS $$
DECLARE
  began timestamptz := clock_timestamp();
BEGIN
  FOR batch IN 1..1000 LOOP
    IF layout = 'today' THEN
      INSERT INTO audit_placing_today
      SELECT gen_random_uuid(), now(), 1, 'user-' || (i % 100) || '-' || substr(md5(random()::text), 1, 8),
             'ingest', clock_timestamp(), '127.0.0.1', true, NULL, 'it-service', 'interactions',
             'ingest', NULL, NULL, NULL, md5(random()::text) || md5(random()::text), NULL, NULL
      FROM generate_series(1, 100) i;
    ELSE
      WITH written AS (
        INSERT INTO audit_placing_hot
        SELECT gen_random_uuid(), now(), 1, 'user-' || (i % 100) || '-' || substr(md5(random()::text), 1, 8),
               'ingest', clock_timestamp(), '127.0.0.1', true, NULL, 'it-service', 'interactions',
               'ingest', NULL, NULL, NULL, md5(random()::text) || md5(random()::text), NULL, NULL
        FROM generate_series(1, 100) i
        RETURNING timestamp, id)
      INSERT INTO audit_placing_queue SELECT * FROM written;
    END IF;
    COMMIT;
    IF batch % 10 = 0 THEN
      IF layout = 'today' THEN
        WITH oldest AS (
          SELECT id, row_number() OVER (ORDER BY timestamp, id) - 1 AS pos
          FROM (SELECT id, timestamp FROM audit_placing_today
                WHERE block_no IS NULL AND mac IS NOT NULL ORDER BY timestamp, id LIMIT 1000) w)
        UPDATE audit_placing_today e SET block_no = first_block + batch, block_pos = oldest.pos
        FROM oldest WHERE e.id = oldest.id;
      ELSE
        WITH taken AS (
          DELETE FROM audit_placing_queue WHERE (timestamp, id) IN (
            SELECT timestamp, id FROM audit_placing_queue ORDER BY timestamp, id LIMIT 1000)
          RETURNING timestamp, id),
        oldest AS (SELECT id, row_number() OVER (ORDER BY timestamp, id) - 1 AS pos FROM taken)
        UPDATE audit_placing_hot e SET block_no = first_block + batch, block_pos = oldest.pos
        FROM oldest WHERE e.id = oldest.id;
      END IF;
      COMMIT;
    END IF;
  END LOOP;
  seconds := round(extract(epoch FROM clock_timestamp() - began)::numeric, 2);
END $$;

-- Rounds alternate the layouts, so that both meet the same machine and the same autovacuum.
SET client_min_messages = notice;
SELECT set_config('audit_placing.rounds', :'rounds', false);
DO $$
DECLARE
  seconds numeric;
  layout text;
BEGIN
  FOR round IN 1..current_setting('audit_placing.rounds')::int LOOP
    FOREACH layout IN ARRAY ARRAY['today', 'hot'] LOOP
      seconds := 0;
      CALL audit_placing_round(layout, round * 1000000, seconds);
      RAISE NOTICE 'round %: % layout, 100,000 entries written and placed in % s', round, layout, seconds;
    END LOOP;
  END LOOP;
END $$;
SELECT pg_stat_force_next_flush();
SELECT relname, n_tup_upd AS updates, n_tup_hot_upd AS hot_updates, n_dead_tup AS dead_rows,
       autovacuum_count, pg_size_pretty(pg_total_relation_size(relid)) AS size
FROM pg_stat_user_tables WHERE relname LIKE 'audit_placing_%' ORDER BY relname;
