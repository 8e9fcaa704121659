-- audit_retention.sql: the audit log by month and its retention (README,
-- "Retention"): the writer makes each month's partition, which is data, not
-- part of the extension; organizations.audit_retention, which only owners
-- change; phrbac_audit_prune() drops the months every chain in them has
-- outlived, deletes what expired in months others keep, and leaves
-- checkpoints, after which every chain verifies; phrbac_audit_prune(before)
-- still prunes to the moment.  Concurrent first rows of a month:
-- test/specs/audit_partition_create.spec; pg_cron: test/t/008_audit_cron.pl.

DROP EXTENSION phrbac;
CREATE EXTENSION phrbac;
\set QUIET on
\i test/fixture/acme.sql
\i test/fixture/try.sql
\i test/fixture/audit_backdate.sql
\set QUIET off
SET TimeZone = 'UTC';  -- months are UTC months

-- The writer made this month's partition, with its own indexes and
-- append-only trigger; a partition is not a member of the extension.
SELECT count(*) AS partitions,
       bool_and(c.relname = to_char(now() AT TIME ZONE 'UTC', '"audit_log_"YYYY_MM')) AS this_month,
       bool_and(NOT EXISTS (SELECT 1 FROM pg_depend AS d WHERE d.objid = c.oid AND d.deptype = 'e')) AS not_members
  FROM pg_inherits AS i JOIN pg_class AS c ON c.oid = i.inhrelid
 WHERE i.inhparent = 'phrbac.audit_log'::regclass;
SELECT count(*) AS indexes FROM pg_index
 WHERE indrelid = (SELECT inhrelid FROM pg_inherits WHERE inhparent = 'phrbac.audit_log'::regclass);
SELECT pg_temp.try($$DELETE FROM phrbac.audit_log WHERE id = 1$$);
DO $$ BEGIN
	EXECUTE format('DELETE FROM phrbac.%I', to_char(now() AT TIME ZONE 'UTC', '"audit_log_"YYYY_MM'));
EXCEPTION WHEN insufficient_privilege THEN RAISE NOTICE 'a partition is append-only too: %', SQLERRM;
END $$;
DO $$ BEGIN
	EXECUTE format('TRUNCATE phrbac.%I', to_char(now() AT TIME ZONE 'UTC', '"audit_log_"YYYY_MM'));
EXCEPTION WHEN insufficient_privilege THEN RAISE NOTICE 'a partition is append-only too: %', SQLERRM;
END $$;

-- phrbac_audit_partition(): the partition holding a moment, made once.
SELECT phrbac_audit_partition(now()) = phrbac_audit_partition(now() + interval '1 second') AS same;
SELECT pg_temp.try($$SELECT phrbac_audit_partition(now(), 0)$$);
SELECT pg_temp.try($$SELECT phrbac_audit_partition('infinity')$$);

-- Retention is an owner's: an admin changes the settings but not it.
BEGIN;
SELECT phrbac_set_user(2);
SELECT pg_temp.try($$UPDATE phrbac.organizations SET audit_retention = '1 day' WHERE id = 1$$);
SELECT pg_temp.try($$UPDATE phrbac.organizations SET name = 'Acme Inc' WHERE id = 1$$, true);
SELECT phrbac_set_user(1);
SELECT pg_temp.try($$UPDATE phrbac.organizations SET audit_retention = '400 days' WHERE id = 1$$, true);
SELECT pg_temp.try($$UPDATE phrbac.organizations SET audit_retention = '-1 day' WHERE id = 1$$);
ROLLBACK;

-- Three months of history, five to three months ago: organizations 901
-- and 903 keep two months, 902 forever (it has rows five months ago only).
-- The chains are made before the organizations, whose founding rows then
-- chain on today.
DO $$
DECLARE m timestamptz := date_trunc('month', now(), 'UTC');
BEGIN
	-- oldest first: a chain's rows run in the order of their months
	FOR k IN REVERSE 5..3 LOOP
		PERFORM phrbac_audit_partition(m - make_interval(months => k));
		PERFORM pg_temp.backdate(901, m - make_interval(months => k) + interval '1 day', 4);
		PERFORM pg_temp.backdate(903, m - make_interval(months => k) + interval '2 days', 2);
	END LOOP;
	PERFORM pg_temp.backdate(902, m - interval '5 months' + interval '3 days', 5);
END $$;
INSERT INTO phrbac.organizations (id, name, audit_retention) VALUES
	(901, 'Two months', '2 months'), (902, 'Forever', NULL), (903, 'Two months too', '2 months');
SELECT count(*) AS partitions FROM pg_inherits WHERE inhparent = 'phrbac.audit_log'::regclass;
SELECT organization_id, rows_checked, first_bad_id FROM phrbac_audit_verify() WHERE organization_id > 900;

-- Not the principal's, nor PUBLIC's.
SELECT has_function_privilege('public', 'phrbac_audit_prune()', 'EXECUTE') AS public_may_prune;

-- The prune: the months four and three months ago go whole (only 901 and
-- 903 have rows there); five months ago stays (902 keeps it), less 901's
-- and 903's rows.  One checkpoint each for 901 and 903, naming their last
-- row removed; 902, 1 and the chain with no organization lose nothing.
SELECT phrbac_audit_prune() AS removed;
SELECT count(*) AS partitions FROM pg_inherits WHERE inhparent = 'phrbac.audit_log'::regclass;
SELECT organization_id, count(*) FILTER (WHERE activity = 'backdated') AS backdated,
       count(*) FILTER (WHERE activity = 'pruned') AS checkpoints
  FROM phrbac.audit_log WHERE organization_id > 900 GROUP BY 1 ORDER BY 1;
SELECT organization_id, detail->>'rows' AS rows,
       NOT EXISTS (SELECT 1 FROM phrbac.audit_log AS l
                   WHERE l.organization_id = p.organization_id
                     AND l.id <= (p.detail->>'pruned_through_id')::bigint) AS all_gone
  FROM phrbac.audit_log AS p WHERE activity = 'pruned' ORDER BY 1;
SELECT organization_id, rows_checked, first_bad_id FROM phrbac_audit_verify() ORDER BY 1 NULLS FIRST;

-- Next month's partition is made ahead; a second prune finds nothing to do.
SELECT EXISTS (SELECT 1 FROM pg_inherits AS i JOIN pg_class AS c ON c.oid = i.inhrelid
                WHERE i.inhparent = 'phrbac.audit_log'::regclass
                  AND c.relname = to_char((now() + interval '1 month') AT TIME ZONE 'UTC',
                                          '"audit_log_"YYYY_MM')) AS next_month_ready;
SELECT phrbac_audit_prune() AS removed_again;

-- New rows chain on after the prune.
BEGIN;
SELECT phrbac_set_user(1);
INSERT INTO phrbac.roles (organization_id, name) VALUES (1, 'After the retention prune');
COMMIT;
SELECT count(*) FILTER (WHERE first_bad_id IS NOT NULL) AS broken FROM phrbac_audit_verify();

-- Once 902 keeps two months too, the month five months ago goes whole.
UPDATE phrbac.organizations SET audit_retention = '2 months' WHERE id = 902;
SELECT phrbac_audit_prune() AS removed;
SELECT count(*) AS partitions FROM pg_inherits WHERE inhparent = 'phrbac.audit_log'::regclass;
SELECT organization_id, rows_checked, first_bad_id FROM phrbac_audit_verify() WHERE organization_id > 900;

-- phrbac_audit_prune(before) deletes to the moment, over the partitions.
SELECT phrbac_audit_prune(now() + interval '1 hour') > 0 AS pruned;
SELECT count(*) FILTER (WHERE first_bad_id IS NOT NULL) AS broken FROM phrbac_audit_verify();
