-- Export and erasure walk a user's records in id order, a page at a time (keyset paging): one
-- index per owned table on (owner, id) keeps every page an index range scan instead of a sort
-- of all the user's rows.
CREATE INDEX memories_user_id ON memories (user_id, id);
CREATE INDEX dream_cycles_user_id ON dream_cycles (user_id, id);
CREATE INDEX profile_snapshots_user_id ON profile_snapshots (user_id, id);
CREATE INDEX emotional_states_user_id ON emotional_states (user_id, id);
CREATE INDEX interactions_user_id ON interactions (user_id, id);
CREATE INDEX sessions_user_id ON sessions (user_id, id);
CREATE INDEX access_logs_user_id ON access_logs (user_id, id);
