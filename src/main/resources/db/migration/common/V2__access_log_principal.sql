-- The audit trail records who accessed (the caller's principal), which collection and which
-- operation, beside whose data (user_id), so that refused and failed accesses can be told apart.
ALTER TABLE access_logs ADD COLUMN principal varchar(256);
ALTER TABLE access_logs ADD COLUMN collection varchar(64);
ALTER TABLE access_logs ADD COLUMN operation varchar(256);
CREATE INDEX access_logs_principal_time ON access_logs (principal, timestamp DESC);
