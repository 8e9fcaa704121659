-- The scale of issues 3 and 16: one organization of 10,000 users, 1,000
-- private projects, 200 roles (every user in one), 3 project rows per user,
-- 100,000 access rules (20,000 of roles, 80,000 of users), and a table of
-- :events events over the projects, protected by phrbac, with a
-- hand-written twin for the best hand-written policy (a membership table
-- read once per statement).
\set ON_ERROR_STOP on
SET client_min_messages = warning;
CREATE EXTENSION phrbac;
INSERT INTO phrbac.users (id, email) SELECT u, 'user' || u || '@scale.test' FROM generate_series(1, 10000) AS u;
INSERT INTO phrbac.organizations (id, name) VALUES (1, 'Scale');
INSERT INTO phrbac.projects (id, organization_id, name, default_role)
	SELECT p, 1, 'project ' || p, 'none' FROM generate_series(1, 1000) AS p;
INSERT INTO phrbac.organization_members (organization_id, user_id, role)
	SELECT 1, u, 'member' FROM generate_series(1, 10000) AS u;
INSERT INTO phrbac.roles (id, organization_id, name) SELECT r, 1, 'role ' || r FROM generate_series(1, 200) AS r;
INSERT INTO phrbac.role_members (organization_id, role_id, user_id)
	SELECT 1, u % 200 + 1, u FROM generate_series(1, 10000) AS u;
-- user u is a member of projects u, u + 333 and u + 666 (mod 1,000)
INSERT INTO phrbac.project_members (organization_id, project_id, user_id, role)
	SELECT 1, (u + k * 333) % 1000 + 1, u, 'member'
	FROM generate_series(1, 10000) AS u, generate_series(0, 2) AS k;
-- each role: 100 project rules; each user: 8 project rules (one of them on
-- an object), so a user's fill reads about 108 of the 100,000 rules
INSERT INTO phrbac.access_rules (organization_id, project_id, role_id, access)
	SELECT 1, (r * 7 + k * 10) % 1000 + 1, r, 'insight:view'
	FROM generate_series(1, 200) AS r, generate_series(0, 99) AS k;
INSERT INTO phrbac.access_rules (organization_id, project_id, user_id, access)
	SELECT 1, (u * 13 + k * 101) % 1000 + 1, u,
	       (CASE WHEN k = 0 THEN 'feature_flag/flag-' || u || ':editor' ELSE 'dashboard:edit' END)::phrbac_grant
	FROM generate_series(1, 10000) AS u, generate_series(0, 7) AS k;
SELECT pg_catalog.setval(pg_catalog.pg_get_serial_sequence('phrbac.' || t, 'id'), 100000000)
FROM unnest(ARRAY['users', 'organizations', 'projects', 'roles']) AS t;
VACUUM ANALYZE;
