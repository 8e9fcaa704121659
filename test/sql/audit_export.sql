-- audit_export.sql: phrbac_audit_export() (README, "Exporting the audit log").
--
-- A poller paging through the whole log, a few rows at a time, gets every
-- row once, oldest first; the json format is the row with its chain fields;
-- the ocsf format maps each activity to an OCSF class; bad input is refused
-- with 22023; who may export is a grant, and a principal changes nothing.
-- Pages under concurrent writers: test/specs/audit_export_pages.spec and
-- test/t/007_audit_export.pl.

DROP EXTENSION phrbac;
CREATE EXTENSION phrbac;
\set QUIET on
\i test/fixture/acme.sql

\i test/fixture/try.sql
\set QUIET off

-- A few changes of every kind: a member's role, a key, a grant, a project.
BEGIN;
SELECT phrbac_set_user(2);
UPDATE phrbac.organization_members SET role = 'admin' WHERE user_id = 4;
INSERT INTO phrbac.roles (organization_id, name) VALUES (1, 'Data');
INSERT INTO phrbac.projects (organization_id, name, default_role) VALUES (1, 'Sandbox', 'viewer');
COMMIT;
SELECT count(*) > 20 AS enough_rows FROM phrbac.audit_log;

-- A poller, 7 rows a page: every row once, in id order, then an empty page.
CREATE TEMP TABLE seen (page int, id bigint, record jsonb);
DO $$
DECLARE
	cursor_id bigint := 0;
	page int := 0;
	got int;
BEGIN
	LOOP
		page := page + 1;
		INSERT INTO seen SELECT page, e.id, e.record FROM phrbac_audit_export(cursor_id, 7) AS e;
		GET DIAGNOSTICS got = ROW_COUNT;
		EXIT WHEN got = 0;
		IF got > 7 THEN RAISE 'page % has % rows', page, got; END IF;
		SELECT max(s.id) INTO cursor_id FROM seen AS s;
	END LOOP;
END $$;
SELECT (SELECT count(*) FROM seen) = (SELECT count(*) FROM phrbac.audit_log) AS every_row,
       (SELECT count(DISTINCT id) FROM seen) = (SELECT count(*) FROM seen) AS each_once,
       NOT EXISTS (SELECT 1 FROM phrbac.audit_log AS l WHERE NOT EXISTS (SELECT 1 FROM seen AS s WHERE s.id = l.id)) AS none_missed,
       (SELECT bool_and(s.page <= t.page) FROM seen AS s JOIN seen AS t ON s.id < t.id) AS oldest_first,
       (SELECT max(page) FROM seen) = (SELECT ceil(count(*) / 7.0) FROM phrbac.audit_log) AS pages;
SELECT count(*) AS total FROM seen \gset

-- json: the row itself, its chain fields included; ids are the log's.
SELECT bool_and(s.record = to_jsonb(l)) AS json_is_the_row,
       bool_and(s.record ? 'prev_hash' AND s.record ? 'hash') AS chain_fields,
       bool_and((s.record->>'id')::bigint = s.id) AS stable_ids
FROM seen AS s JOIN phrbac.audit_log AS l USING (id);

-- A cursor in the middle, and past the end.
SELECT count(*) = 3 AS three,
       min(id) = (SELECT min(id) FROM phrbac.audit_log WHERE id > 5) AS right_after
FROM phrbac_audit_export(5, 3);
SELECT count(*) AS past_the_end FROM phrbac_audit_export((SELECT max(id) FROM phrbac.audit_log));

-- ocsf: each scope and activity in its class.
SELECT e.record#>>'{unmapped,scope}' AS scope, e.record#>>'{unmapped,activity}' AS activity,
       e.record->>'class_uid' AS class_uid, e.record->>'class_name' AS class_name,
       e.record->>'activity_id' AS activity_id, e.record->>'type_uid' AS type_uid,
       count(*)
FROM phrbac_audit_export(0, 10000, 'ocsf') AS e
GROUP BY 1, 2, 3, 4, 5, 6 ORDER BY 1, 2;
-- One event whole, but its times and hashes.
SELECT jsonb_pretty(e.record - 'time' - 'unmapped' #- '{metadata,uid}' #- '{resources,0,data}') AS event,
       e.record->'unmapped' = to_jsonb(l) AS unmapped_is_the_row,
       (e.record->>'time')::bigint = (extract(epoch FROM l.created_at) * 1000)::bigint AS time_ms
FROM phrbac_audit_export(0, 10000, 'ocsf') AS e JOIN phrbac.audit_log AS l USING (id)
WHERE l.activity = 'role_changed' ORDER BY id DESC LIMIT 1;

-- Bad input: 22023 (22004 for NULL), with what would do.
SELECT pg_temp.try($$SELECT * FROM phrbac_audit_export(-1)$$);
SELECT pg_temp.try($$SELECT * FROM phrbac_audit_export(0, 0)$$);
SELECT pg_temp.try($$SELECT * FROM phrbac_audit_export(0, -5)$$);
SELECT pg_temp.try($$SELECT * FROM phrbac_audit_export(0, 10001)$$);
SELECT pg_temp.try($$SELECT * FROM phrbac_audit_export(0, 10, 'csv')$$);
SELECT pg_temp.try($$SELECT * FROM phrbac_audit_export(0, 10, 'JSON')$$);
SELECT pg_temp.try($$SELECT * FROM phrbac_audit_export(NULL)$$);
SELECT count(*) = 10000 OR count(*) = (SELECT count(*) FROM phrbac.audit_log) AS cap_allowed
FROM phrbac_audit_export(0, 10000);

-- Who may export is a grant: not PUBLIC's; a SIEM role granted EXECUTE
-- reads the log through it without reading the table; a principal set in
-- the session changes nothing, the principal's access is not asked.
SELECT has_function_privilege('public', 'phrbac_audit_export(bigint, integer, text)', 'EXECUTE') AS public_may;
CREATE ROLE regress_audit_export_siem;
SET ROLE regress_audit_export_siem;
SELECT pg_temp.try($$SELECT * FROM phrbac_audit_export()$$);
RESET ROLE;
GRANT EXECUTE ON FUNCTION phrbac_audit_export(bigint, integer, text) TO regress_audit_export_siem;
SET ROLE regress_audit_export_siem;
SELECT pg_temp.try($$SELECT * FROM phrbac.audit_log$$);
SELECT count(*) = :total AS siem_reads_all FROM phrbac_audit_export(0, 10000);
RESET ROLE;
BEGIN;
SELECT phrbac_set_user(6);
SELECT count(*) = :total AS principal_irrelevant FROM phrbac_audit_export(0, 10000);
ROLLBACK;
REVOKE EXECUTE ON FUNCTION phrbac_audit_export(bigint, integer, text) FROM regress_audit_export_siem;
DROP ROLE regress_audit_export_siem;

-- The export runs in any isolation level; it takes its own snapshot (a
-- REPEATABLE READ poller's older one: test/specs/audit_export_pages.spec).
BEGIN ISOLATION LEVEL SERIALIZABLE;
SELECT count(*) = :total AS serializable FROM phrbac_audit_export(0, 10000);
COMMIT;
BEGIN ISOLATION LEVEL REPEATABLE READ;
SELECT count(*) = :total AS repeatable_read FROM phrbac_audit_export(0, 10000);
COMMIT;

-- Ids drawn a cache at a time would let a session hold ids below the last
-- one drawn: the export refuses until the sequence hands them out singly.
ALTER SEQUENCE phrbac.audit_log_id_seq CACHE 20;
SELECT pg_temp.try($$SELECT * FROM phrbac_audit_export()$$);
ALTER SEQUENCE phrbac.audit_log_id_seq CACHE 1;
SELECT count(*) = :total AS exports_again FROM phrbac_audit_export(0, 10000);
