-- The audit benchmark: eight organizations with one project each and one
-- owner of them all (user 1); four copies of a 10-column protected table:
-- audited by phrbac, not audited, audited by a PL/pgSQL trigger that writes
-- the same jsonb diff to a plain table (the common pattern), and with a
-- PL/pgSQL row trigger that does nothing.
\set ON_ERROR_STOP on
SET client_min_messages = warning;
CREATE EXTENSION phrbac;
INSERT INTO phrbac.users (email) VALUES ('owner@bench.test');
INSERT INTO phrbac.organizations (name) SELECT 'org ' || o FROM generate_series(1, 8) AS o;
INSERT INTO phrbac.projects (organization_id, name) SELECT o, 'project ' || o FROM generate_series(1, 8) AS o;
INSERT INTO phrbac.organization_members (organization_id, user_id, role) SELECT o, 1, 'owner' FROM generate_series(1, 8) AS o;

CREATE ROLE bench_writer;
GRANT EXECUTE ON FUNCTION phrbac_set_user(bigint, text, boolean) TO bench_writer;

CREATE TABLE insights_audited (
	id bigint PRIMARY KEY, project_id bigint NOT NULL, name text NOT NULL, query text NOT NULL,
	filters jsonb NOT NULL, created_by bigint NOT NULL, created_at timestamptz NOT NULL,
	refreshed_at timestamptz, views int NOT NULL, deleted boolean NOT NULL);
CREATE TABLE insights_plain (LIKE insights_audited INCLUDING ALL);
CREATE TABLE insights_plpgsql (LIKE insights_audited INCLUDING ALL);
GRANT SELECT, INSERT, UPDATE ON insights_audited, insights_plain, insights_plpgsql TO bench_writer;
SELECT phrbac_protect('insights_audited', 'insight', audit => true);
SELECT phrbac_protect('insights_plain', 'insight', audit => false);
SELECT phrbac_protect('insights_plpgsql', 'insight', audit => false);

-- The common trigger-based pattern: a jsonb diff of OLD and NEW.
CREATE TABLE plpgsql_audit (id bigserial PRIMARY KEY, created_at timestamptz NOT NULL DEFAULT now(),
	table_name text NOT NULL, item_id text, activity text NOT NULL, detail jsonb NOT NULL);
GRANT INSERT ON plpgsql_audit TO bench_writer;
GRANT USAGE ON SEQUENCE plpgsql_audit_id_seq TO bench_writer;
CREATE FUNCTION plpgsql_audit_row() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
	old_row jsonb := CASE WHEN TG_OP <> 'INSERT' THEN to_jsonb(OLD) END;
	new_row jsonb := CASE WHEN TG_OP <> 'DELETE' THEN to_jsonb(NEW) END;
	changes jsonb;
BEGIN
	SELECT coalesce(jsonb_agg(jsonb_build_object('field', k, 'before', old_row -> k, 'after', new_row -> k)), '[]')
	INTO changes
	FROM jsonb_object_keys(coalesce(new_row, old_row)) AS k
	WHERE old_row -> k IS DISTINCT FROM new_row -> k;
	IF TG_OP = 'UPDATE' AND changes = '[]' THEN
		RETURN NULL;
	END IF;
	INSERT INTO plpgsql_audit (table_name, item_id, activity, detail)
	VALUES (TG_TABLE_NAME, coalesce(new_row, old_row) ->> 'id', lower(TG_OP), jsonb_build_object('changes', changes));
	RETURN NULL;
END
$$;
CREATE TRIGGER audit AFTER INSERT OR UPDATE OR DELETE ON insights_plpgsql
	FOR EACH ROW EXECUTE FUNCTION plpgsql_audit_row();

-- The floor of any trigger-based audit: a row trigger that does nothing.
CREATE TABLE insights_noop (LIKE insights_audited INCLUDING ALL);
GRANT SELECT, INSERT, UPDATE ON insights_noop TO bench_writer;
SELECT phrbac_protect('insights_noop', 'insight', audit => false);
CREATE FUNCTION noop_row() RETURNS trigger LANGUAGE plpgsql AS 'BEGIN RETURN NULL; END';
CREATE TRIGGER noop AFTER INSERT OR UPDATE OR DELETE ON insights_noop
	FOR EACH ROW EXECUTE FUNCTION noop_row();

-- The same requests run by the server, without the client's round trips,
-- which on a small machine are most of a request's time and most of its
-- noise: write_requests_<table>(n, project) runs n transactions of one
-- INSERT and one UPDATE each, each with the principal set.
DO $setup$
DECLARE
	variant text;
BEGIN
	FOREACH variant IN ARRAY ARRAY['plain', 'noop', 'plpgsql', 'audited'] LOOP
		EXECUTE format($procedure$
			CREATE PROCEDURE write_requests_%1$s(requests int, project bigint)
			LANGUAGE plpgsql AS $body$
			DECLARE
				first_id bigint := (random() * 9e15)::bigint;
			BEGIN
				FOR request IN 1..requests LOOP
					PERFORM phrbac_set_user(1);
					INSERT INTO insights_%1$s VALUES (first_id + request, project, 'Signups',
						'SELECT count() FROM events', '{"breakdown": "country"}', 1, now(), NULL, 0, false);
					UPDATE insights_%1$s SET views = views + 1, refreshed_at = now()
					WHERE id = first_id + request;
					COMMIT;
				END LOOP;
			END
			$body$;
			GRANT EXECUTE ON PROCEDURE write_requests_%1$s(int, bigint) TO bench_writer;
		$procedure$, variant);
	END LOOP;
END
$setup$;
