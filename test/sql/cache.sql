-- cache.sql: the decision cache under its size limit (README, Concepts,
-- "The cache"): the least recently used users are evicted past
-- phrbac.cache_size, the answers stay those the catalog gives (cache off),
-- a user used in the current statement is never evicted under a caller,
-- catalog changes still reach every cached user, and phrbac_cache_stats()
-- counts it all.

DROP EXTENSION phrbac;
CREATE EXTENSION phrbac;
\set QUIET on
\i test/fixture/try.sql

-- Two organizations of 20 projects; 400 users in the first, every fifth
-- also in the second (listed first for some: their organizations' order
-- differs); each user a member of two projects, in a role with rules on
-- five, with a rule of their own; public projects in the second.
INSERT INTO phrbac.users (id, email) SELECT u, 'u' || u || '@cache.test' FROM generate_series(1, 400) AS u;
INSERT INTO phrbac.organizations (id, name) VALUES (1, 'One'), (2, 'Two');
INSERT INTO phrbac.projects (id, organization_id, name, default_role)
	SELECT p, (p - 1) / 20 + 1, 'p' || p, CASE WHEN p > 30 THEN 'viewer' ELSE 'none' END::phrbac_role
	FROM generate_series(1, 40) AS p;
INSERT INTO phrbac.organization_members (organization_id, user_id, role)
	SELECT 1, u, CASE WHEN u % 50 = 0 THEN 'admin' ELSE 'member' END::phrbac_role FROM generate_series(1, 400) AS u;
INSERT INTO phrbac.organization_members (organization_id, user_id, role)
	SELECT 2, u, 'member' FROM generate_series(5, 400, 5) AS u;
INSERT INTO phrbac.roles (id, organization_id, name) SELECT r, 1, 'r' || r FROM generate_series(1, 10) AS r;
INSERT INTO phrbac.role_members (organization_id, role_id, user_id)
	SELECT 1, u % 10 + 1, u FROM generate_series(1, 400) AS u;
INSERT INTO phrbac.project_members (organization_id, project_id, user_id, role)
	SELECT 1, (u + k * 7) % 20 + 1, u, (CASE WHEN k = 0 THEN 'viewer' ELSE 'member' END)::phrbac_role
	FROM generate_series(1, 400) AS u, generate_series(0, 1) AS k;
INSERT INTO phrbac.project_members (organization_id, project_id, role_id, role)
	SELECT 1, r + 5, r, 'viewer' FROM generate_series(1, 10) AS r;
INSERT INTO phrbac.access_rules (organization_id, project_id, role_id, access)
	SELECT 1, (r * 3 + k) % 20 + 1, r, 'insight:edit' FROM generate_series(1, 10) AS r, generate_series(0, 4) AS k;
INSERT INTO phrbac.access_rules (organization_id, project_id, user_id, access)
	SELECT 1, u % 20 + 1, u, 'dashboard:none' FROM generate_series(1, 400) AS u;
INSERT INTO phrbac.access_rules (organization_id, project_id, access) VALUES (2, 35, 'insight:none');

-- The questions: every user, some projects of each kind, a few grants.
CREATE TEMP TABLE question AS
	SELECT u, p, g::phrbac_grant AS g
	FROM generate_series(1, 400) AS u, unnest(ARRAY[1, 5, 7, 8, 12, 20, 21, 35, 40]) AS p,
	     unnest(ARRAY['insight:edit', 'dashboard:view', 'event:view']) AS g;
CREATE FUNCTION pg_temp.answers(rounds int) RETURNS TABLE (u int, p int, g phrbac_grant, allowed boolean, projects bigint[])
LANGUAGE plpgsql AS $$
DECLARE
	q record;
	n int;
BEGIN
	FOR n IN 1..rounds LOOP
		FOR q IN SELECT * FROM question ORDER BY question.u, question.p, question.g LOOP
			PERFORM phrbac_set_user(q.u);
			u := q.u; p := q.p; g := q.g;
			allowed := phrbac_can(q.p, q.g);
			projects := CASE WHEN q.p = 1 THEN phrbac_projects(q.g) END;
			IF n = rounds THEN
				RETURN NEXT;
			END IF;
		END LOOP;
	END LOOP;
END $$;

-- The truth: the catalog read for every check.
SET phrbac.cache = off;
CREATE TEMP TABLE truth AS SELECT * FROM pg_temp.answers(1);
SET phrbac.cache = on;

-- The limit: 1 MB at least, in kB (the message names the units from 18 on).
SELECT left(pg_temp.try($$SET phrbac.cache_size = '512kB'$$), 5) AS refused;
SHOW phrbac.cache_size;
SET phrbac.cache_size = '1MB';

-- In one statement the cache overflows (no user used in it is evicted
-- under a caller), and the answers are the truth's.
CREATE TEMP TABLE before AS SELECT * FROM phrbac_cache_stats();
SELECT count(*) AS differences FROM (
	SELECT * FROM pg_temp.answers(2) EXCEPT SELECT * FROM truth) AS d;
SELECT s.entries = 400 AS every_user_kept, s.bytes > s.size_limit AS over_the_limit,
       s.misses - b.misses AS misses, s.evictions - b.evictions AS evictions,
       s.hits - b.hits > 0 AS hits
FROM phrbac_cache_stats() AS s, before AS b;

-- The next statement evicts the least recently used down to the limit.
SELECT phrbac_can(1, 'insight:view') AS no_principal;
SELECT s.bytes <= s.size_limit AS within_the_limit, s.entries < 400 AS some_evicted,
       s.evictions - b.evictions > 0 AS evictions
FROM phrbac_cache_stats() AS s, before AS b;

-- Statement by statement, users come and go, and the answers stay the
-- truth's; the most recently used user is still cached.
TRUNCATE before;
INSERT INTO before SELECT * FROM phrbac_cache_stats();
CREATE TEMP TABLE each_statement (u int, p int, g phrbac_grant, allowed boolean, projects bigint[]);
DO $$
DECLARE
	user_id int;
BEGIN
	FOR user_id IN 1..400 LOOP
		EXECUTE format('INSERT INTO each_statement SELECT u, p, g, '
		               '(SELECT phrbac_can(p, g) FROM (SELECT phrbac_set_user(u)) AS s), NULL '
		               'FROM question WHERE u = %s', user_id);
	END LOOP;
END $$;
SELECT count(*) AS differences FROM (
	SELECT u, p, g, allowed FROM each_statement EXCEPT SELECT u, p, g, allowed FROM truth) AS d;
SELECT s.evictions - b.evictions > 0 AS evictions, s.bytes <= s.size_limit + 100000 AS near_the_limit
FROM phrbac_cache_stats() AS s, before AS b;
TRUNCATE before;
BEGIN;
SELECT phrbac_set_user(400);
INSERT INTO before SELECT * FROM phrbac_cache_stats();
SELECT phrbac_can(1, 'insight:view') AS user_400_in_project_1;
SELECT s.hits - b.hits AS hits, s.misses - b.misses AS misses FROM phrbac_cache_stats() AS s, before AS b;
COMMIT;

-- A change reaches users cached before it: user 399 loses their row in
-- private project 7.
BEGIN;
SELECT phrbac_set_user(399);
SELECT phrbac_can(7, 'insight:view') AS before_the_change;
COMMIT;
DELETE FROM phrbac.project_members WHERE user_id = 399 AND project_id = 7;
BEGIN;
SELECT phrbac_set_user(399);
SELECT phrbac_can(7, 'insight:view') AS after_the_change;
COMMIT;
SELECT entries <= 1 AS started_over FROM phrbac_cache_stats();

-- phrbac.cache = off keeps nothing.
SET phrbac.cache = off;
TRUNCATE before;
INSERT INTO before SELECT * FROM phrbac_cache_stats();
BEGIN;
SELECT phrbac_set_user(3);
SELECT phrbac_can(1, 'insight:view') AS can;
COMMIT;
SELECT s.hits - b.hits AS hits, s.misses - b.misses AS misses FROM phrbac_cache_stats() AS s, before AS b;
RESET phrbac.cache;
RESET phrbac.cache_size;

-- Past 4,096 API keys the keys' table starts over on its own, and the
-- users' facts stay: a pooled backend that authenticates many keys keeps
-- the users it serves.  Read only, so that authenticating writes no
-- last_used_at (a catalog change, after which everything starts over).
INSERT INTO phrbac.users (id, email) SELECT u, 'u' || u || '@cache.test' FROM generate_series(401, 410) AS u;
CREATE TEMP TABLE key_secret (secret text);
DO $$
DECLARE
	user_id int;
BEGIN
	FOR user_id IN 1..410 LOOP
		PERFORM phrbac_set_user(user_id);
		INSERT INTO key_secret SELECT secret FROM generate_series(1, 10) AS k,
			LATERAL phrbac_create_api_key('cache ' || k) AS created;
	END LOOP;
END $$;
BEGIN READ ONLY;
SELECT count(phrbac_authenticate(secret)) AS authenticated FROM key_secret;
SELECT entries AS users_before, misses AS misses_before FROM phrbac_cache_stats() \gset
SELECT phrbac_can(1, 'insight:view') IS NOT NULL AS checked;
SELECT entries = :users_before AS users_kept, misses - :misses_before AS misses
FROM phrbac_cache_stats();
SELECT count(phrbac_authenticate(secret)) AS authenticated_again FROM key_secret;
COMMIT;
