-- The owner table of V11: indexed by entry too (retention, resets and restores remove an entry's
-- owner rows by the entry), filled with a row for every entry written so far (each of one user),
-- and the entries' own indexes on user_id dropped, since every per-user read now goes through it.
CREATE INDEX access_log_owners_record ON access_log_owners (record_id);

INSERT INTO access_log_owners (user_id, record_id) SELECT user_id, id FROM access_logs;

DROP INDEX access_logs_user_time;
DROP INDEX access_logs_user_id;
