-- audit.sql: the audit log: the trigger that writes it, the guard that keeps
-- it append-only, verification and pruning to a moment (its table, its
-- months and retention: audit_partitions.sql).

-- The audit trigger of the catalog and of protected tables (src/audit.c).
CREATE FUNCTION pg_catalog.phrbac_audit_trigger()
RETURNS trigger AS 'MODULE_PATHNAME', 'phrbac_audit_trigger' LANGUAGE C;
COMMENT ON FUNCTION pg_catalog.phrbac_audit_trigger() IS
'trigger (per row): records a change in the audit log when its transaction commits; on protected tables its arguments are the scope and the project column (the catalog''s tables need none)';

-- The log itself is in sql/install/audit_partitions.sql: partitioned by
-- month, with the partitions the writer creates.

CREATE FUNCTION phrbac.audit_guard()
RETURNS trigger AS 'MODULE_PATHNAME', 'phrbac_audit_guard' LANGUAGE C;
COMMENT ON FUNCTION phrbac.audit_guard() IS
'trigger: the audit log is append-only, for its owner too; only phrbac''s writer inserts while a principal is set';

CREATE FUNCTION pg_catalog.phrbac_audit_verify(organization_id bigint DEFAULT NULL)
RETURNS TABLE (organization_id bigint, rows_checked bigint, first_bad_id bigint)
AS 'MODULE_PATHNAME' LANGUAGE C STABLE PARALLEL RESTRICTED;
COMMENT ON FUNCTION pg_catalog.phrbac_audit_verify(bigint) IS
'walks each audit chain (NULL organization: the chain of rows with none) and names the first row whose hash does not match';

CREATE FUNCTION pg_catalog.phrbac_audit_prune(before timestamptz)
RETURNS bigint AS 'MODULE_PATHNAME' LANGUAGE C VOLATILE PARALLEL UNSAFE;
REVOKE EXECUTE ON FUNCTION pg_catalog.phrbac_audit_prune(timestamptz) FROM PUBLIC;
COMMENT ON FUNCTION pg_catalog.phrbac_audit_prune(timestamptz) IS
'removes audit rows older than before and leaves a checkpoint per chain, so the rest still verifies';
