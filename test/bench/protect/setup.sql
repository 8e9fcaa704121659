-- The analytics schema of the RLS benchmark: one organization of 1,000
-- projects, an owner (user 1) and an analyst who is a member of 3 of them
-- (user 2); events, :events rows spread over the projects, in two copies:
-- events (protected by phrbac) and events_hand (for the hand-written
-- policies); feature_flags, 100 per project, with 1,000 object rules.
\set ON_ERROR_STOP on
SET client_min_messages = warning;
CREATE EXTENSION phrbac;
INSERT INTO phrbac.users (email) VALUES ('owner@bench.test'), ('analyst@bench.test');
INSERT INTO phrbac.organizations (name) VALUES ('Bench');
INSERT INTO phrbac.projects (organization_id, name, default_role)
	SELECT 1, 'project ' || p, 'none' FROM generate_series(1, 1000) AS p;
INSERT INTO phrbac.organization_members (organization_id, user_id, role) VALUES (1, 1, 'owner'), (1, 2, 'member');
INSERT INTO phrbac.project_members (project_id, user_id, role) VALUES (17, 2, 'member'), (342, 2, 'member'), (876, 2, 'member');

CREATE ROLE bench_reader;		-- reads through phrbac's policies
CREATE ROLE bench_hand;			-- reads through the best hand-written policy
CREATE ROLE bench_naive;		-- reads through a per-row PL/pgSQL policy
CREATE ROLE bench_floor BYPASSRLS;	-- reads the table with no policy at all
GRANT EXECUTE ON FUNCTION phrbac_set_user(bigint, text, boolean) TO bench_reader;

CREATE TABLE events (
	id          bigint NOT NULL,
	project_id  bigint NOT NULL,
	ts          timestamptz NOT NULL,
	event       text NOT NULL,
	distinct_id bigint NOT NULL,
	session_id  bigint NOT NULL,
	duration_ms int NOT NULL,
	browser     text NOT NULL,
	country     text NOT NULL,
	revenue     numeric
);
INSERT INTO events
SELECT g, g % 1000 + 1, timestamptz '2026-01-01' + g * interval '1 second',
       (ARRAY['pageview', 'click', 'signup', 'purchase'])[g % 4 + 1],
       g % 100000, g % 500000, g % 10000,
       (ARRAY['chrome', 'firefox', 'safari'])[g % 3 + 1], (ARRAY['DE', 'FR', 'US', 'BR'])[g % 4 + 1],
       CASE WHEN g % 4 = 3 THEN g % 100 END
FROM generate_series(1, :events) AS g;
CREATE INDEX ON events (project_id);
CREATE TABLE events_hand AS SELECT * FROM events;
CREATE INDEX ON events_hand (project_id);

CREATE TABLE feature_flags (
	id          bigint PRIMARY KEY,
	project_id  bigint NOT NULL,
	key         text NOT NULL,
	created_by  bigint NOT NULL,
	rollout     int NOT NULL
);
-- created by 100 different people (ids past the catalog's: creators who left)
INSERT INTO feature_flags SELECT g, g % 1000 + 1, 'flag-' || g, g % 100 + 1000, g % 100 FROM generate_series(1, 100000) AS g;
CREATE INDEX ON feature_flags (project_id);
CREATE INDEX ON feature_flags (created_by);
-- one object rule per project: its first flag is read-only for everyone
INSERT INTO phrbac.access_rules (organization_id, project_id, access)
	SELECT 1, g % 1000 + 1, ('feature_flag/flag-' || g || ':viewer')::phrbac_grant
	FROM generate_series(1, 1000) AS g;

GRANT SELECT ON events, feature_flags TO bench_reader, bench_floor;
GRANT SELECT ON events_hand TO bench_hand, bench_naive, bench_floor;

SELECT phrbac_protect('events', 'event');
SELECT phrbac_protect('feature_flags', 'feature_flag', object_column => 'key', creator_column => 'created_by');

-- The best hand-written pattern: a membership table with an index, the
-- user looked up once per query in a sub-select, the list an index key.
CREATE TABLE membership (user_id bigint, project_id bigint, PRIMARY KEY (user_id, project_id));
INSERT INTO membership VALUES (2, 17), (2, 342), (2, 876);
GRANT SELECT ON membership TO bench_hand, bench_naive;
ALTER TABLE events_hand ENABLE ROW LEVEL SECURITY;
CREATE POLICY hand ON events_hand FOR SELECT TO bench_hand USING (
	project_id = ANY ((SELECT array_agg(m.project_id) FROM membership AS m
	                   WHERE m.user_id = (SELECT current_setting('bench.user_id')::bigint))::bigint[]));

-- The naive pattern: a PL/pgSQL function asked for every row.
CREATE FUNCTION naive_can(project bigint) RETURNS boolean
LANGUAGE plpgsql STABLE AS $$
BEGIN
	RETURN EXISTS (SELECT 1 FROM membership AS m
	               WHERE m.user_id = current_setting('bench.user_id')::bigint
	                 AND m.project_id = project);
END
$$;
CREATE POLICY naive ON events_hand FOR SELECT TO bench_naive USING (naive_can(project_id));

VACUUM ANALYZE;
