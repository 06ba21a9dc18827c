-- Retention walks each collection in (time, id) order and cuts it into ranges by those keys:
-- an index on (time, id) answers where a range ends from the index alone. It replaces the
-- time-only index, which it serves as well.
DROP INDEX IF EXISTS memories_time;
CREATE INDEX memories_time_id ON memories (timestamp, id);
DROP INDEX IF EXISTS dream_cycles_time;
CREATE INDEX dream_cycles_time_id ON dream_cycles (timestamp, id);
DROP INDEX IF EXISTS profile_snapshots_time;
CREATE INDEX profile_snapshots_time_id ON profile_snapshots (timestamp, id);
DROP INDEX IF EXISTS emotional_states_time;
CREATE INDEX emotional_states_time_id ON emotional_states (timestamp, id);
DROP INDEX IF EXISTS interactions_time;
CREATE INDEX interactions_time_id ON interactions (timestamp, id);
DROP INDEX IF EXISTS sessions_time;
CREATE INDEX sessions_time_id ON sessions (start_time, id);
DROP INDEX IF EXISTS access_logs_time;
CREATE INDEX access_logs_time_id ON access_logs (timestamp, id);
DROP INDEX IF EXISTS metrics_time;
CREATE INDEX metrics_time_id ON metrics (timestamp, id);
