-- The Citus benchmark's schema, on the coordinator of a cluster of three:
-- the RLS benchmark's organization (1,000 private projects, an owner, user
-- 1, and a member of 3 of them, user 2) and :events events over the
-- projects, distributed by project and protected with phrbac_protect's
-- defaults (the citus form).
\set ON_ERROR_STOP on
SET client_min_messages = warning;
INSERT INTO phrbac.users (email) VALUES ('owner@bench.test'), ('analyst@bench.test');
INSERT INTO phrbac.organizations (name) VALUES ('Bench');
INSERT INTO phrbac.projects (organization_id, name, default_role)
	SELECT 1, 'project ' || p, 'none' FROM generate_series(1, 1000) AS p;
INSERT INTO phrbac.organization_members (organization_id, user_id, role) VALUES (1, 1, 'owner'), (1, 2, 'member');
INSERT INTO phrbac.project_members (project_id, user_id, role) VALUES (17, 2, 'member'), (342, 2, 'member'), (876, 2, 'member');
SELECT phrbac_citus_setup();

-- Citus connects to the workers as the current role: these log in.
CREATE ROLE bench_reader LOGIN;			-- reads through phrbac's policies
CREATE ROLE bench_floor LOGIN BYPASSRLS;	-- reads the table with no policy at all
GRANT EXECUTE ON FUNCTION phrbac_set_user(bigint, text, boolean) TO bench_reader;

CREATE TABLE events (
	id          bigint NOT NULL,
	project_id  bigint NOT NULL,
	ts          timestamptz NOT NULL,
	event       text NOT NULL,
	distinct_id bigint NOT NULL,
	duration_ms int NOT NULL
);
SELECT create_distributed_table('events', 'project_id');
INSERT INTO events
SELECT g, g % 1000 + 1, timestamptz '2026-01-01' + g * interval '1 second',
       (ARRAY['pageview', 'click', 'signup', 'purchase'])[g % 4 + 1], g % 100000, g % 10000
FROM generate_series(1, :events) AS g;
CREATE INDEX ON events (project_id);
GRANT SELECT ON events TO bench_reader, bench_floor;
SELECT phrbac_protect('events', 'event');
VACUUM ANALYZE events;	-- the steady state, as the RLS benchmark reads it
