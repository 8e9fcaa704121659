-- The updated database's log put back in one table, as 0.1.0 kept it (the
-- writer takes an unpartitioned log as one partition): what partitioning
-- itself changes, with nothing else of 0.2.0 different.
\set ON_ERROR_STOP on
ALTER TABLE phrbac.audit_log RENAME TO audit_log_partitioned;
CREATE TABLE phrbac.audit_log (LIKE phrbac.audit_log_partitioned);
ALTER TABLE phrbac.audit_log ADD PRIMARY KEY (id);
CREATE INDEX audit_log_chain ON phrbac.audit_log (organization_id, id);
CREATE INDEX ON phrbac.audit_log (scope, item_id, created_at);
CREATE INDEX ON phrbac.audit_log (user_id, created_at);
INSERT INTO phrbac.audit_log SELECT * FROM phrbac.audit_log_partitioned;
VACUUM ANALYZE phrbac.audit_log;
