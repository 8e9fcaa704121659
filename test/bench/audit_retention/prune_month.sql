-- phrbac_audit_prune(): organization 1 keeps five months, so the oldest of
-- the six goes (a partition dropped); rolled back, to run again.
BEGIN;
SELECT phrbac_audit_prune();
ROLLBACK;
