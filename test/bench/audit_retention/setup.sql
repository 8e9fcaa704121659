-- The retention benchmark's log, in a database with phrbac 0.1.0 (its
-- unpartitioned log): :rows audit rows over the six months before this one,
-- oldest first, in 100 organizations' chains and the chain of rows with
-- none (their hashes are not real: nothing here verifies them), then one
-- organization (1) with an owner, a project and two protected tables,
-- audited and not, whose requests the benchmark writes.  The benchmark copies this database and
-- updates the copy to 0.2.0, which partitions the log by month.
\set ON_ERROR_STOP on
SET client_min_messages = warning;
SET TimeZone = 'UTC';
CREATE EXTENSION phrbac VERSION '0.1.0';

INSERT INTO phrbac.audit_log (id, created_at, organization_id, project_id, user_id, api_key_id,
                              db_user, scope, activity, item_id, detail, prev_hash, hash)
SELECT g, s.start + (g - 1) * ((s.stop - s.start) / :rows),
       CASE WHEN g % 50 = 0 THEN NULL ELSE 1 + g % 100 END, 1 + g % 7, 1 + g % 40, NULL,
       'bench', 'FeatureFlag', 'updated', (g % 5000)::text,
       jsonb_build_object('name', 'flag ' || g % 5000, 'changes', jsonb_build_array(
           jsonb_build_object('type', 'FeatureFlag', 'action', 'changed', 'field', 'rollout_percentage',
                              'before', g % 100, 'after', (g + 1) % 100))),
       md5(g::text) || md5((g - 1)::text), md5((g + 1)::text) || md5(g::text)
  FROM (SELECT date_trunc('month', now()) - interval '6 months' AS start,
               date_trunc('month', now()) AS stop) AS s,
       generate_series(1, :rows) AS g;
SELECT setval('phrbac.audit_log_id_seq', :rows);

INSERT INTO phrbac.users (id, email) VALUES (1, 'owner@bench.test');
INSERT INTO phrbac.organizations (id, name) VALUES (1, 'Bench');
INSERT INTO phrbac.projects (id, organization_id, name) VALUES (1, 1, 'Production');
INSERT INTO phrbac.organization_members (organization_id, user_id, role) VALUES (1, 1, 'owner');

-- Two protected tables of project 1, audited and not (test/bench/audit.sh's).
CREATE TABLE insights_audited (
	id bigint PRIMARY KEY, project_id bigint NOT NULL, name text NOT NULL, query text NOT NULL,
	filters jsonb NOT NULL, created_by bigint NOT NULL, created_at timestamptz NOT NULL,
	refreshed_at timestamptz, views int NOT NULL, deleted boolean NOT NULL);
CREATE TABLE insights_plain (LIKE insights_audited INCLUDING ALL);
SELECT phrbac_protect('insights_audited', 'insight', audit => true);
SELECT phrbac_protect('insights_plain', 'insight', audit => false);

-- n write requests to a table, each its own transaction as user 1: insert
-- an insight, then update it (audited: two rows, chained at commit).
CREATE PROCEDURE bench_requests(tbl text, n int) LANGUAGE plpgsql AS $$
DECLARE
	base bigint := (extract(epoch FROM clock_timestamp()) * 1000000)::bigint;
BEGIN
	FOR i IN 1..n LOOP
		PERFORM phrbac_set_user(1);
		EXECUTE format('INSERT INTO %I VALUES ($1, 1, ''Signups'', ''SELECT count() FROM events'','
		               ' ''{"breakdown": "country"}'', 1, now(), NULL, 0, false)', tbl) USING base + i;
		EXECUTE format('UPDATE %I SET views = views + 1, refreshed_at = now() WHERE id = $1', tbl)
			USING base + i;
		COMMIT;
	END LOOP;
END
$$;
VACUUM ANALYZE phrbac.audit_log;
