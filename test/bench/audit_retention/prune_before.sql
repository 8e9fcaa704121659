-- 0.1.0's phrbac_audit_prune(before), row by row, on the same rows: the
-- oldest of the six months; rolled back, to run again.
BEGIN;
SELECT phrbac_audit_prune(date_trunc('month', now(), 'UTC') - interval '5 months');
ROLLBACK;
