-- protect.sql: phrbac_protect() and phrbac_unprotect() (README, "Protecting
-- tables").
--
-- Over the Acme fixture: the rows each person sees under the policies are
-- exactly the rows phrbac_can() allows, for every user, cache on and off,
-- through a key too; every command allowed and refused; the owner filtered;
-- no principal sees nothing; the Citus form; bad input; unprotect undoing
-- exactly what protect did.  The plans are protect_plans.sql's.

DROP EXTENSION phrbac;
CREATE EXTENSION phrbac;
\set QUIET on
\i test/fixture/acme.sql
\i test/fixture/try.sql

-- The application's role owns the tables and is no superuser.
CREATE ROLE regress_phrbac_app;
GRANT EXECUTE ON FUNCTION phrbac_set_user(bigint, text, boolean) TO regress_phrbac_app;

CREATE TABLE flags (
	id          int PRIMARY KEY,
	project_id  bigint NOT NULL,
	key         text NOT NULL,
	created_by  bigint,
	rollout     int NOT NULL DEFAULT 0
);
CREATE INDEX ON flags (project_id);
CREATE INDEX ON flags (created_by);
INSERT INTO flags (id, project_id, key, created_by) VALUES
	(1, 1, 'top-secret', 1), (2, 1, 'beta', 3), (3, 1, 'launch', 5), (4, 1, 'eli-flag', 4),
	(5, 2, 'staging-a', 3), (6, 2, 'staging-b', 2), (7, 3, 'dev-a', 7), (8, 3, 'dev-b', 4),
	(9, 2, 'carl-staging', 7);	-- Carl's own flag, where a rule keeps him out
-- Victor may not see the launch flag.
INSERT INTO phrbac.access_rules (organization_id, project_id, user_id, access)
VALUES (1, 1, 6, 'feature_flag/launch:none');
CREATE TABLE flags_citus (LIKE flags INCLUDING ALL);
INSERT INTO flags_citus SELECT * FROM flags;

CREATE TABLE events (project_id int NOT NULL, name text NOT NULL) PARTITION BY LIST (project_id);
CREATE TABLE events_1 PARTITION OF events FOR VALUES IN (1);
CREATE TABLE events_2 PARTITION OF events FOR VALUES IN (2);
CREATE TABLE events_3 PARTITION OF events FOR VALUES IN (3);
CREATE INDEX ON events (project_id);
INSERT INTO events SELECT p, 'pageview ' || g FROM generate_series(1, 3) AS p, generate_series(1, p * 10) AS g;
-- A bigint project column and no object column: the policy is the check
-- itself (its plans: protect_plans.sql).  Project 4 is no project of Acme.
CREATE TABLE visits (id int PRIMARY KEY, project_id bigint);
CREATE INDEX ON visits (project_id);
INSERT INTO visits SELECT g, nullif(g % 5, 0) FROM generate_series(1, 40) AS g;

ALTER TABLE flags OWNER TO regress_phrbac_app;
ALTER TABLE flags_citus OWNER TO regress_phrbac_app;
ALTER TABLE events OWNER TO regress_phrbac_app;
ALTER TABLE visits OWNER TO regress_phrbac_app;
ALTER TABLE events_1 OWNER TO regress_phrbac_app;
ALTER TABLE events_2 OWNER TO regress_phrbac_app;
ALTER TABLE events_3 OWNER TO regress_phrbac_app;


-- For every user: the ids the application's role sees in a table under the
-- policies, and whether they are exactly the rows phrbac_can() allows (or
-- what "allowed" says of a row).
CREATE FUNCTION pg_temp.visible(tbl text,
	allowed text DEFAULT $$phrbac_can(project_id, 'feature_flag:view', key, created_by)$$)
RETURNS TABLE (email text, visible int[], agrees boolean)
LANGUAGE plpgsql AS $$
DECLARE
	u record;
	expected int[];
BEGIN
	FOR u IN SELECT id, users.email FROM phrbac.users ORDER BY id LOOP
		PERFORM phrbac_set_user(u.id);
		-- the superuser bypasses the policies: ask phrbac_can() row by row
		EXECUTE format('SELECT array_agg(id ORDER BY id) FROM %I WHERE %s', tbl, allowed)
			INTO expected;
		SET LOCAL ROLE regress_phrbac_app;
		EXECUTE format('SELECT array_agg(id ORDER BY id) FROM %I', tbl) INTO visible;
		RESET ROLE;
		email := u.email;
		agrees := visible IS NOT DISTINCT FROM expected;
		RETURN NEXT;
	END LOOP;
	PERFORM phrbac_reset();
END
$$;
\set QUIET off

--
-- Protecting, as the table's owner.
--
SET ROLE regress_phrbac_app;
SELECT phrbac_protect('flags', 'feature_flag', object_column => 'key', creator_column => 'created_by');
SELECT phrbac_protect('flags_citus', 'feature_flag', object_column => 'key',
                      creator_column => 'created_by', form => 'citus');
SELECT phrbac_protect('events', 'event');
SELECT phrbac_protect('visits', 'event');
RESET ROLE;
SELECT * FROM phrbac.protected_tables ORDER BY tbl::text;
SELECT relname, relrowsecurity, relforcerowsecurity FROM pg_class
WHERE relname IN ('flags', 'flags_citus', 'events') ORDER BY relname;
SELECT polname, polcmd, pg_get_expr(polqual, polrelid) AS using, pg_get_expr(polwithcheck, polrelid) AS check
FROM pg_policy WHERE polrelid = 'events'::regclass ORDER BY polname;
-- a bigint project column: the check itself
SELECT polname, polcmd, pg_get_expr(polqual, polrelid) AS using, pg_get_expr(polwithcheck, polrelid) AS check
FROM pg_policy WHERE polrelid = 'visits'::regclass ORDER BY polname;
-- the Citus form has no sub-query
SELECT polname, pg_get_expr(polqual, polrelid) AS using FROM pg_policy
WHERE polrelid = 'flags_citus'::regclass AND polname = 'phrbac_select';

-- Protecting twice changes nothing: the same four policies stay.
CREATE TEMP TABLE policies_before AS SELECT oid FROM pg_policy WHERE polrelid = 'flags'::regclass;
SET ROLE regress_phrbac_app;
SELECT phrbac_protect('flags', 'feature_flag', object_column => 'key', creator_column => 'created_by');
RESET ROLE;
SELECT count(*) AS same_policies FROM pg_policy JOIN policies_before USING (oid);
SELECT tgname, pg_get_triggerdef(oid) FROM pg_trigger WHERE tgrelid = 'flags'::regclass ORDER BY tgname;

--
-- What each person sees is what phrbac_can() allows, row by row.
--
SELECT * FROM pg_temp.visible('flags');
SET phrbac.cache = off;
SELECT count(*) FILTER (WHERE agrees) AS agree_without_cache FROM pg_temp.visible('flags');
RESET phrbac.cache;
SELECT * FROM pg_temp.visible('flags_citus');
-- visits: each person sees the rows of the projects phrbac_projects() lists,
-- which are those phrbac_can() allows (NULL and unknown projects: none)
SELECT * FROM pg_temp.visible('visits',
	$$phrbac_can(project_id, 'event:view') AND project_id = ANY (phrbac_projects('event:view'))$$);

-- With every project of Acme private, a member's list holds only the
-- projects a row of theirs or of their roles names, and an admin's every
-- project: still exactly those phrbac_can() allows.
UPDATE phrbac.projects SET default_role = 'none' WHERE organization_id = 1;
CREATE FUNCTION pg_temp.lists(want phrbac_grant)
RETURNS TABLE (email text, projects bigint[], agrees boolean)
LANGUAGE plpgsql AS $$
DECLARE
	u record;
BEGIN
	FOR u IN SELECT id, users.email FROM phrbac.users ORDER BY id LOOP
		PERFORM phrbac_set_user(u.id);
		email := u.email;
		projects := phrbac_projects(want);
		-- p.id + 0: no index condition, which would be the list itself
		agrees := projects = (SELECT coalesce(array_agg(p.id ORDER BY p.id), '{}')
		                      FROM phrbac.projects AS p WHERE phrbac_can(p.id + 0, want));
		RETURN NEXT;
	END LOOP;
	PERFORM phrbac_reset();
END
$$;
SELECT * FROM pg_temp.lists('event:view');
DROP FUNCTION pg_temp.lists(phrbac_grant);	-- its type is the extension's
UPDATE phrbac.projects SET default_role = 'member' WHERE id IN (2, 3);

-- The owner is filtered too, and no principal sees nothing.
SET ROLE regress_phrbac_app;
SELECT count(*) AS owner_without_principal FROM flags;
SELECT count(*) AS events_without_principal FROM events;
SELECT count(*) AS visits_without_principal FROM visits;
RESET ROLE;

--
-- Every command, allowed and refused.
--
SET ROLE regress_phrbac_app;
BEGIN;
SELECT phrbac_set_user(3);	-- Erin: production flags view+create+edit by role; staging admin
SELECT pg_temp.try($$INSERT INTO flags (id, project_id, key) VALUES (10, 1, 'new-prod')$$, count_rows => true) AS insert_production;
SELECT pg_temp.try($$UPDATE flags SET rollout = 50 WHERE key = 'launch'$$, count_rows => true) AS update_production;
SELECT pg_temp.try($$UPDATE flags SET rollout = 50 WHERE key = 'top-secret'$$, count_rows => true) AS update_top_secret;
SELECT pg_temp.try($$DELETE FROM flags WHERE key = 'launch'$$, count_rows => true) AS delete_production;
SELECT pg_temp.try($$DELETE FROM flags WHERE key = 'beta'$$, count_rows => true) AS delete_own_flag;
SELECT pg_temp.try($$DELETE FROM flags WHERE key = 'staging-b'$$, count_rows => true) AS delete_staging;
COMMIT;
BEGIN;
SELECT phrbac_set_user(5);	-- Paula: the product role edits the top-secret flag
SELECT pg_temp.try($$UPDATE flags SET rollout = 100 WHERE key = 'top-secret'$$, count_rows => true) AS update_top_secret;
COMMIT;
BEGIN;
SELECT phrbac_set_user(6);	-- Victor: a viewer everywhere
SELECT pg_temp.try($$INSERT INTO flags (id, project_id, key) VALUES (11, 3, 'exec-flag')$$, count_rows => true) AS insert;
SELECT pg_temp.try($$UPDATE flags SET rollout = 1$$, count_rows => true) AS update;
SELECT pg_temp.try($$DELETE FROM flags$$, count_rows => true) AS delete;
COMMIT;
BEGIN;
SELECT phrbac_set_user(7);	-- Carl: Development only
SELECT pg_temp.try($$UPDATE flags SET rollout = 5 WHERE key = 'dev-b'$$, count_rows => true) AS update_development;
SELECT pg_temp.try($$UPDATE flags SET project_id = 1 WHERE key = 'dev-b'$$, count_rows => true) AS move_out_of_reach;
SELECT pg_temp.try($$UPDATE flags SET project_id = 1 WHERE key = 'dev-a'$$, count_rows => true) AS move_own_flag_out_of_reach;
SELECT pg_temp.try($$UPDATE flags SET rollout = 9 WHERE key = 'carl-staging'$$, count_rows => true) AS update_own_flag_in_closed_project;
SELECT pg_temp.try($$INSERT INTO flags (id, project_id, key, created_by) VALUES (12, 1, 'sneaky', 7)$$, count_rows => true) AS insert_as_creator;
COMMIT;
BEGIN;
SELECT phrbac_set_user(7);	-- Carl, on visits: Development only
SELECT pg_temp.try($$INSERT INTO visits VALUES (41, 3)$$, count_rows => true) AS visit_development;
SELECT pg_temp.try($$INSERT INTO visits VALUES (42, 1)$$, count_rows => true) AS visit_production;
SELECT pg_temp.try($$UPDATE visits SET project_id = 1 WHERE id = 41$$, count_rows => true) AS move_visit_out;
SELECT pg_temp.try($$DELETE FROM visits WHERE project_id IN (1, 3)$$, count_rows => true) AS delete_visits;
COMMIT;
RESET ROLE;
SELECT id, project_id, key, rollout FROM flags ORDER BY id;

-- Through an API key: a read key for staging flags reads them and no more.
BEGIN;
SELECT phrbac_set_user(3);
SELECT secret AS staging_key FROM phrbac_create_api_key('staging flags', '{feature_flag:read}', '{2}') \gset
COMMIT;
SET ROLE regress_phrbac_app;
BEGIN;
SELECT phrbac_authenticate(:'staging_key') IS NOT NULL AS authenticated;
SELECT array_agg(id ORDER BY id) AS visible FROM flags;
SELECT pg_temp.try($$UPDATE flags SET rollout = 7 WHERE project_id = 2$$, count_rows => true) AS update_with_read_key;
COMMIT;
RESET ROLE;

--
-- Bad input.
--
SELECT pg_temp.try($$SELECT phrbac_protect('flags', 'featureflag')$$, count_rows => true);
SELECT pg_temp.try($$SELECT phrbac_protect('flags', '*')$$, count_rows => true);
SELECT pg_temp.try($$SELECT phrbac_protect('flags', 'feature_flag', 'project')$$, count_rows => true);
SELECT pg_temp.try($$SELECT phrbac_protect('flags', 'feature_flag', 'key')$$, count_rows => true);
SELECT pg_temp.try($$SELECT phrbac_protect('flags', 'feature_flag', creator_column => 'key')$$, count_rows => true);
SELECT pg_temp.try($$SELECT phrbac_protect('flags', 'feature_flag', object_column => 'slug')$$, count_rows => true);
SELECT pg_temp.try($$SELECT phrbac_protect('flags', 'feature_flag', form => 'fast')$$, count_rows => true);
SELECT pg_temp.try($$SELECT phrbac_protect('no_such_table', 'feature_flag')$$, count_rows => true);
CREATE VIEW flag_keys AS SELECT id, project_id, key FROM flags;
SELECT pg_temp.try($$SELECT phrbac_protect('flag_keys', 'feature_flag')$$, count_rows => true);
SELECT pg_temp.try($$SELECT phrbac_unprotect('flag_keys')$$, count_rows => true);
CREATE ROLE regress_phrbac_other;
SET ROLE regress_phrbac_other;
SELECT pg_temp.try($$SELECT phrbac_unprotect('flags')$$, count_rows => true) AS not_the_owner;
RESET ROLE;

-- A role that bypasses row-level security is told so.
CREATE TABLE notes (project_id bigint NOT NULL, body text);
SELECT phrbac_protect('notes', 'notebook');

--
-- Unprotecting removes exactly what protecting added.
--
SELECT phrbac_unprotect('notes');
ALTER TABLE notes ENABLE ROW LEVEL SECURITY;	-- enabled before protecting: stays enabled
SELECT phrbac_protect('notes', 'notebook');
SELECT phrbac_unprotect('notes');
SELECT relname, relrowsecurity, relforcerowsecurity,
       (SELECT count(*) FROM pg_policy WHERE polrelid = c.oid) AS policies
FROM pg_class AS c WHERE relname IN ('notes', 'flags') ORDER BY relname;
SET ROLE regress_phrbac_app;
SELECT phrbac_unprotect('flags');
RESET ROLE;
SELECT relname, relrowsecurity, relforcerowsecurity,
       (SELECT count(*) FROM pg_policy WHERE polrelid = c.oid) AS policies,
       (SELECT count(*) FROM pg_trigger WHERE tgrelid = c.oid) AS triggers
FROM pg_class AS c WHERE relname = 'flags';
-- a dropped table leaves the list with its policies
DROP TABLE flags_citus;
SELECT tbl FROM phrbac.protected_tables ORDER BY tbl::text;

DROP VIEW flag_keys;
DROP TABLE flags, events, visits, notes;
DROP ROLE regress_phrbac_other;
REVOKE ALL ON FUNCTION phrbac_set_user(bigint, text, boolean) FROM regress_phrbac_app;
DROP ROLE regress_phrbac_app;

-- Leave an empty catalog for the suites that follow.
DROP EXTENSION phrbac;
CREATE EXTENSION phrbac;
