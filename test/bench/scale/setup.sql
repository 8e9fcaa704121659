-- The scale of issues 3 and 16: one organization of :users users (10,000),
-- 1,000 private projects, 200 roles (every user in one), 3 project rows per
-- user, 20,000 rules of roles and 8 of each user (100,000 rules with 10,000
-- users); and a table of :events events over the projects, protected by
-- phrbac, with a twin for the best hand-written policy (a setting and a
-- membership table read once per statement).  Roles bench_reader and
-- bench_hand log in (through PgBouncer, test/bench/pooler.sh).
\set ON_ERROR_STOP on
SET client_min_messages = warning;
CREATE EXTENSION phrbac;
INSERT INTO phrbac.users (id, email) SELECT u, 'user' || u || '@scale.test' FROM generate_series(1, :users) AS u;
INSERT INTO phrbac.organizations (id, name) VALUES (1, 'Scale');
INSERT INTO phrbac.projects (id, organization_id, name, default_role)
	SELECT p, 1, 'project ' || p, 'none' FROM generate_series(1, 1000) AS p;
INSERT INTO phrbac.organization_members (organization_id, user_id, role)
	SELECT 1, u, 'member' FROM generate_series(1, :users) AS u;
INSERT INTO phrbac.roles (id, organization_id, name) SELECT r, 1, 'role ' || r FROM generate_series(1, 200) AS r;
INSERT INTO phrbac.role_members (organization_id, role_id, user_id)
	SELECT 1, u % 200 + 1, u FROM generate_series(1, :users) AS u;
-- user u is a member of projects u, u + 333 and u + 666 (mod 1,000)
INSERT INTO phrbac.project_members (organization_id, project_id, user_id, role)
	SELECT 1, (u + k * 333) % 1000 + 1, u, 'member'
	FROM generate_series(1, :users) AS u, generate_series(0, 2) AS k;
-- each role: 100 project rules; each user: 8 project rules (one of them on
-- an object), so a user's fill reads about 108 of the 100,000 rules
INSERT INTO phrbac.access_rules (organization_id, project_id, role_id, access)
	SELECT 1, (r * 7 + k * 10) % 1000 + 1, r, 'insight:view'
	FROM generate_series(1, 200) AS r, generate_series(0, 99) AS k;
INSERT INTO phrbac.access_rules (organization_id, project_id, user_id, access)
	SELECT 1, (u * 13 + k * 101) % 1000 + 1, u,
	       (CASE WHEN k = 0 THEN 'feature_flag/flag-' || u || ':editor' ELSE 'dashboard:edit' END)::phrbac_grant
	FROM generate_series(1, :users) AS u, generate_series(0, 7) AS k;
SELECT count(pg_catalog.setval(pg_catalog.pg_get_serial_sequence('phrbac.' || t, 'id'), 100000000)) AS sequences
FROM unnest(ARRAY['users', 'organizations', 'projects', 'roles']) AS t \gset

CREATE ROLE bench_reader LOGIN;
CREATE ROLE bench_hand LOGIN;
GRANT EXECUTE ON FUNCTION phrbac_set_user(bigint, text, boolean) TO bench_reader;
CREATE TABLE events (id bigint NOT NULL, project_id bigint NOT NULL, event text NOT NULL);
INSERT INTO events SELECT g, g % 1000 + 1, (ARRAY['pageview', 'click', 'signup'])[g % 3 + 1]
FROM generate_series(1, :events) AS g;
CREATE INDEX ON events (project_id);
CREATE TABLE events_hand AS SELECT * FROM events;
CREATE INDEX ON events_hand (project_id);
GRANT SELECT ON events TO bench_reader;
GRANT SELECT ON events_hand TO bench_hand;
SELECT phrbac_protect('events', 'event') \gset
CREATE TABLE membership (user_id bigint, project_id bigint, PRIMARY KEY (user_id, project_id));
INSERT INTO membership SELECT user_id, project_id FROM phrbac.project_members;
GRANT SELECT ON membership TO bench_hand;
ALTER TABLE events_hand ENABLE ROW LEVEL SECURITY;
CREATE POLICY hand ON events_hand FOR SELECT TO bench_hand USING (
	project_id = ANY ((SELECT array_agg(m.project_id) FROM membership AS m
	                   WHERE m.user_id = (SELECT current_setting('bench.user_id')::bigint))::bigint[]));
VACUUM ANALYZE;
