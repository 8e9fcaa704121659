-- A SIEM poller's page: the 1,000 rows after a cursor, through
-- phrbac_audit_export() (json).
\set after random(1, :last)
SELECT count(record) FROM phrbac_audit_export(:after, 1000);
