-- The same page read by hand: the 1,000 rows after a cursor, as jsonb,
-- without the export's guarantees (rows still being committed below the
-- cursor may be skipped for good).
\set after random(1, :last)
SELECT count(record) FROM (SELECT a.id, to_jsonb(a) AS record FROM phrbac.audit_log AS a
                           WHERE a.id > :after ORDER BY a.id LIMIT 1000) AS page;
