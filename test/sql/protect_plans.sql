-- protect_plans.sql: the plans of protected tables.  The project lists are
-- computed once per statement or scan (an InitPlan, or the index condition
-- phrbac_can() lends on a bigint column) and used as index keys, in
-- every partition (PostgreSQL 15 does not prune partitions on "= ANY" of a
-- parameter), and a parallel plan returns the same rows as a serial one.
--
-- EXPLAIN names an InitPlan's output "$0" before PostgreSQL 17 and
-- "(InitPlan 1).col1" since: protect_plans.out is the former,
-- protect_plans_1.out the latter.  Only plans belong here; what the rows
-- are is protect.sql's.

DROP EXTENSION phrbac;
CREATE EXTENSION phrbac;
\set QUIET on
\set ECHO none
\i test/fixture/acme.sql

CREATE ROLE regress_phrbac_planner;
GRANT EXECUTE ON FUNCTION phrbac_set_user(bigint, text, boolean) TO regress_phrbac_planner;

CREATE TABLE flags (
	id          int PRIMARY KEY,
	project_id  bigint NOT NULL,
	key         text NOT NULL,
	created_by  bigint
);
CREATE INDEX ON flags (project_id);
CREATE INDEX ON flags (created_by);
INSERT INTO flags (id, project_id, key, created_by) VALUES
	(1, 1, 'top-secret', 1), (2, 1, 'beta', 3), (3, 2, 'staging-a', 3),
	(4, 3, 'dev-a', 7), (5, 3, 'dev-b', 4);

CREATE TABLE events (project_id int NOT NULL, name text NOT NULL) PARTITION BY LIST (project_id);
CREATE TABLE events_1 PARTITION OF events FOR VALUES IN (1);
CREATE TABLE events_2 PARTITION OF events FOR VALUES IN (2);
CREATE TABLE events_3 PARTITION OF events FOR VALUES IN (3);
CREATE INDEX ON events (project_id);
INSERT INTO events SELECT p, 'pageview ' || g FROM generate_series(1, 3) AS p, generate_series(1, p * 10) AS g;
CREATE TABLE visits (id int, project_id bigint NOT NULL);
INSERT INTO visits SELECT g, g % 3 + 1 FROM generate_series(1, 3000) AS g;
CREATE INDEX ON visits (project_id);
ANALYZE visits;
-- four rows a page, of every project: 3,000 pages
CREATE TABLE pages (project_id bigint NOT NULL, filler text NOT NULL);
ALTER TABLE pages ALTER COLUMN filler SET STORAGE PLAIN;
INSERT INTO pages SELECT g % 3 + 1, repeat('x', 1900) FROM generate_series(1, 12000) AS g;
CREATE INDEX ON pages (project_id);
ANALYZE pages;

ALTER TABLE flags OWNER TO regress_phrbac_planner;
ALTER TABLE events OWNER TO regress_phrbac_planner;
ALTER TABLE visits OWNER TO regress_phrbac_planner;
ALTER TABLE pages OWNER TO regress_phrbac_planner;
ALTER TABLE events_1 OWNER TO regress_phrbac_planner;
ALTER TABLE events_2 OWNER TO regress_phrbac_planner;
ALTER TABLE events_3 OWNER TO regress_phrbac_planner;

SET ROLE regress_phrbac_planner;
SELECT phrbac_protect('flags', 'feature_flag', object_column => 'key', creator_column => 'created_by');
SELECT phrbac_protect('events', 'event');
SELECT phrbac_protect('visits', 'event');
SELECT phrbac_protect('pages', 'event');
-- the rows the planner expects a count of visits to read, for a user
CREATE FUNCTION pg_temp.planned_visits(user_id bigint) RETURNS float8
LANGUAGE plpgsql AS $$
DECLARE
	plan jsonb;
BEGIN
	PERFORM phrbac_set_user(user_id);
	EXPLAIN (FORMAT JSON) SELECT id FROM visits INTO plan;
	RETURN (plan -> 0 -> 'Plan' ->> 'Plan Rows')::float8;
END
$$;
-- a count of pages by a bitmap scan: whether the bitmap lost track of rows
-- (lossy pages) and the recheck condition then removed some
CREATE FUNCTION pg_temp.recheck_of_lossy_pages() RETURNS TABLE (lossy bool, removed bool)
LANGUAGE plpgsql AS $$
DECLARE
	plan jsonb;
	scan jsonb;
BEGIN
	EXPLAIN (ANALYZE, FORMAT JSON) SELECT count(*) FROM pages INTO plan;
	scan := plan -> 0 -> 'Plan' -> 'Plans' -> 0;
	RETURN QUERY SELECT coalesce((scan ->> 'Lossy Heap Blocks')::int, 0) > 0,
	                    coalesce((scan ->> 'Rows Removed by Index Recheck')::int, 0) > 0;
END
$$;
\set ECHO all
\set QUIET off

BEGIN;
SELECT phrbac_set_user(7);	-- Carl sees Development only
SET LOCAL enable_seqscan = off;
EXPLAIN (COSTS OFF) SELECT * FROM flags;
EXPLAIN (COSTS OFF) SELECT count(*) FROM events;
SELECT count(*) AS development_events FROM events;
SELECT count(*) AS serial_count FROM flags;
SET LOCAL enable_seqscan = on;
SET LOCAL parallel_setup_cost = 0;
SET LOCAL parallel_tuple_cost = 0;
SET LOCAL min_parallel_table_scan_size = 0;
SET LOCAL max_parallel_workers_per_gather = 2;
EXPLAIN (COSTS OFF) SELECT count(*) FROM flags;
SELECT count(*) AS parallel_count FROM flags;
COMMIT;

-- A bigint project column without an object column: the policy's check
-- lends the index its list of projects as an exact condition (no filter),
-- and the plan is sized for the principal planning: all of the table for
-- the owner, about a third for Carl.
BEGIN;
SELECT phrbac_set_user(7);
SET LOCAL enable_seqscan = off;
SET LOCAL enable_bitmapscan = off;
EXPLAIN (COSTS OFF) SELECT count(*) FROM visits;
SELECT count(*) AS carl_visits FROM visits;
SELECT pg_temp.planned_visits(1) > 1.5 * pg_temp.planned_visits(7) AS sized_for_the_principal;
COMMIT;

-- The same condition under a bitmap scan: the check moves from a filter on
-- every row to the recheck condition, which runs only on the rows of pages
-- the bitmap stored as lossy.  With work_mem too small to hold a bit per
-- row, pages go lossy, the recheck removes the other projects' rows on
-- them, and Carl counts his project's 4,000 rows only.
BEGIN;
SELECT phrbac_set_user(7);
SET LOCAL enable_seqscan = off;
SET LOCAL enable_indexscan = off;
SET LOCAL enable_indexonlyscan = off;
EXPLAIN (COSTS OFF) SELECT count(*) FROM pages;
SELECT count(*) AS carl_pages FROM pages;
SET LOCAL work_mem = '64kB';
SELECT * FROM pg_temp.recheck_of_lossy_pages();
SELECT count(*) AS carl_pages_lossy FROM pages;
COMMIT;
RESET ROLE;

\set QUIET on
DROP TABLE flags, events, visits, pages;
DROP OWNED BY regress_phrbac_planner;
DROP ROLE regress_phrbac_planner;
