-- audit.sql: the audit log (README, "Audit log").
--
-- What is logged for each kind of change, in PostHog's detail shape; the
-- secret masked; a change that changes nothing not logged; protected
-- tables audited; the log append-only for its owner too; verification of
-- an intact chain and of one edited behind the triggers' back; pruning
-- with a checkpoint; the seed's audit questions as one-line SQL.

DROP EXTENSION phrbac;
CREATE EXTENSION phrbac;
\set QUIET on
\i test/fixture/acme.sql

\i test/fixture/try.sql
\set QUIET off

-- Loading the sample, as the DBA: what was logged, chain by chain.
SELECT organization_id, scope, activity, count(*), min(db_user) AS db_user, min(user_id) AS principal
FROM phrbac.audit_log GROUP BY 1, 2, 3 ORDER BY 1 NULLS FIRST, 2, 3;

-- Adam (admin) promotes Eli; promoting him again changes nothing and is
-- not logged.
BEGIN;
SELECT phrbac_set_user(2);
UPDATE phrbac.organization_members SET role = 'admin' WHERE user_id = 4;
UPDATE phrbac.organization_members SET role = 'admin' WHERE user_id = 4;
COMMIT;
SELECT organization_id, user_id, db_user, scope, activity, item_id, detail
FROM phrbac.audit_log ORDER BY id DESC LIMIT 1;
SELECT count(*) AS role_changes FROM phrbac.audit_log WHERE activity = 'role_changed';

-- A role, a member added and removed, a rule.
BEGIN;
SELECT phrbac_set_user(2);
INSERT INTO phrbac.roles (organization_id, name) VALUES (1, 'Data');
INSERT INTO phrbac.role_members (role_id, user_id) SELECT id, 6 FROM phrbac.roles WHERE name = 'Data';
DELETE FROM phrbac.role_members WHERE user_id = 6;
INSERT INTO phrbac.access_rules (organization_id, project_id, user_id, access, reason)
	VALUES (1, 2, 6, 'dashboard:editor', 'quarterly planning');
COMMIT;
SELECT scope, activity, project_id, detail->>'name' AS name,
       (SELECT string_agg(c->>'field' || '=' || coalesce(c->>'after', c->>'before'), ', ' ORDER BY c->>'field')
        FROM jsonb_array_elements(detail->'changes') AS c
        WHERE c->>'field' IN ('role', 'access', 'user_id', 'reason')) AS changes
FROM phrbac.audit_log WHERE user_id = 2 AND activity <> 'role_changed' ORDER BY id;

-- API keys: created, rolled, revoked; the secret hash is masked; an
-- authentication's last_used_at stamp is not logged.
BEGIN;
SELECT phrbac_set_user(3);
SELECT id AS key_id, secret FROM phrbac_create_api_key('ci', '{feature_flag:read}') \gset
SELECT phrbac_roll_api_key(:key_id) AS rolled \gset
COMMIT;
SELECT phrbac_authenticate(:'rolled') = :key_id AS authenticated;
BEGIN;
SELECT phrbac_set_user(3);
SELECT phrbac_revoke_api_key(:key_id);
COMMIT;
SELECT activity, organization_id, user_id, item_id = :'key_id' AS this_key,
       (SELECT c->>'after' FROM jsonb_array_elements(detail->'changes') AS c
        WHERE c->>'field' = 'secure_value') AS secure_value,
       (SELECT string_agg(c->>'field', ', ' ORDER BY c->>'field') FROM jsonb_array_elements(detail->'changes') AS c
        WHERE activity <> 'api_key_created') AS changed
FROM phrbac.audit_log WHERE scope = 'PersonalAPIKey' ORDER BY id;
SELECT count(*) AS rows_holding_a_secret FROM phrbac.audit_log
WHERE detail::text LIKE '%' || :'secret' || '%' OR detail::text LIKE '%' || :'rolled' || '%'
   OR detail::text LIKE '%sha256$%';

-- A protected table is audited under its resource's scope.
CREATE TABLE feature_flags (id int PRIMARY KEY, project_id bigint NOT NULL, key text NOT NULL, rollout int NOT NULL);
SELECT phrbac_protect('feature_flags', 'feature_flag', object_column => 'key') \gset
ALTER TABLE feature_flags OWNER TO CURRENT_USER;
CREATE ROLE regress_phrbac_app;
GRANT ALL ON feature_flags TO regress_phrbac_app;
GRANT EXECUTE ON FUNCTION phrbac_set_user(bigint, text, boolean) TO regress_phrbac_app;
SET ROLE regress_phrbac_app;
BEGIN;
SELECT phrbac_set_user(5);
INSERT INTO feature_flags VALUES (1, 1, 'new-checkout', 10);
UPDATE feature_flags SET rollout = 50 WHERE id = 1;
UPDATE feature_flags SET rollout = 50 WHERE id = 1;	-- no change: not logged
DELETE FROM feature_flags WHERE id = 1;
COMMIT;
RESET ROLE;
SELECT organization_id, project_id, user_id, db_user, scope, activity, item_id, detail->>'name' AS name,
       (SELECT string_agg(c->>'field' || ': ' || coalesce(c->>'before', '-') || ' -> ' || coalesce(c->>'after', '-'), ', ')
        FROM jsonb_array_elements(detail->'changes') AS c WHERE c->>'field' = 'rollout') AS rollout
FROM phrbac.audit_log WHERE scope = 'FeatureFlag' ORDER BY id;

--
-- The seed's audit questions, one line of SQL each.
--
BEGIN;
SELECT phrbac_set_user(2);
UPDATE phrbac.organization_members SET role = 'member' WHERE user_id = 4;
COMMIT;
-- recent permission changes: members, roles, keys
SELECT u.email, a.activity, a.scope FROM phrbac.audit_log a LEFT JOIN phrbac.users u ON u.id = a.user_id
WHERE a.organization_id = 1 AND a.created_at > now() - interval '7 days'
  AND a.scope IN ('OrganizationMembership', 'Role', 'PersonalAPIKey', 'AccessControl') ORDER BY a.id DESC LIMIT 10;
-- who changed which feature flag, and when (the timestamps vary; their order does not)
SELECT a.item_id, u.email, a.activity FROM phrbac.audit_log a LEFT JOIN phrbac.users u ON u.id = a.user_id
WHERE a.scope = 'FeatureFlag' ORDER BY a.created_at DESC LIMIT 10;
-- everything one person did this week
SELECT scope, activity, count(*) FROM phrbac.audit_log
WHERE user_id = 2 AND created_at > now() - interval '7 days' GROUP BY 1, 2 ORDER BY 1, 2;
-- the indexes serve them
SET enable_seqscan = off;
-- (each month's partition has its own indexes: the plans name this month's)
CREATE FUNCTION pg_temp.plan(query text) RETURNS SETOF text LANGUAGE plpgsql AS $$
DECLARE line text;
BEGIN
	FOR line IN EXECUTE 'EXPLAIN (COSTS OFF) ' || query LOOP
		RETURN NEXT regexp_replace(line, 'audit_log_\d{4}_\d{2}', 'audit_log_YYYY_MM', 'g');
	END LOOP;
END $$;
SELECT pg_temp.plan($$SELECT * FROM phrbac.audit_log WHERE organization_id = 1 AND created_at > now() - interval '7 days'$$);
SELECT pg_temp.plan($$SELECT * FROM phrbac.audit_log WHERE scope = 'FeatureFlag' AND item_id = '1'$$);
SELECT pg_temp.plan($$SELECT * FROM phrbac.audit_log WHERE user_id = 2 AND created_at > now() - interval '7 days'$$);
RESET enable_seqscan;

--
-- Rows are chained when their transaction commits: a savepoint rolled back
-- takes its rows with it, a released one hands them on.
--
SELECT max(id) AS before_savepoints FROM phrbac.audit_log \gset
BEGIN;
INSERT INTO phrbac.roles (organization_id, name) VALUES (1, 'Kept');
SAVEPOINT s1;
INSERT INTO phrbac.roles (organization_id, name) VALUES (1, 'Rolled back');
SAVEPOINT s1_inner;
INSERT INTO phrbac.roles (organization_id, name) VALUES (1, 'Rolled back, inner');
RELEASE SAVEPOINT s1_inner;
ROLLBACK TO SAVEPOINT s1;
SAVEPOINT s2;
INSERT INTO phrbac.roles (organization_id, name) VALUES (1, 'Released');
RELEASE SAVEPOINT s2;
SELECT count(*) AS written_before_commit FROM phrbac.audit_log WHERE id > :before_savepoints;
COMMIT;
SELECT detail->>'name' AS role, activity FROM phrbac.audit_log WHERE id > :before_savepoints ORDER BY id;
SELECT first_bad_id FROM phrbac_audit_verify(1);

--
-- Append-only, for the owner too.
--
SELECT pg_temp.try('UPDATE phrbac.audit_log SET activity = ''x''') AS update;
SELECT pg_temp.try('DELETE FROM phrbac.audit_log') AS delete;
SELECT pg_temp.try('TRUNCATE phrbac.audit_log') AS truncate;
BEGIN;
SELECT phrbac_set_user(1);
SELECT pg_temp.try($$INSERT INTO phrbac.audit_log (created_at, db_user, scope, activity, detail, prev_hash, hash)
	VALUES (now(), 'x', 'Organization', 'created', '{}', '', '')$$) AS forged_insert;
COMMIT;
SELECT has_function_privilege('regress_phrbac_app', 'phrbac_audit_prune(timestamptz)', 'EXECUTE') AS app_may_prune;

--
-- Verification: intact, then one row edited behind the triggers' back.
--
SELECT organization_id, rows_checked > 0 AS checked, first_bad_id FROM phrbac_audit_verify() ORDER BY 1 NULLS FIRST;
SELECT min(id) AS tampered FROM phrbac.audit_log WHERE activity = 'role_changed' \gset
ALTER TABLE phrbac.audit_log DISABLE TRIGGER append_only;
UPDATE phrbac.audit_log SET detail = jsonb_set(detail, '{changes,0,after}', '"owner"') WHERE id = :tampered;
ALTER TABLE phrbac.audit_log ENABLE TRIGGER append_only;
SELECT organization_id, first_bad_id = :tampered AS names_the_edited_row FROM phrbac_audit_verify(1);
-- removing a row breaks the link of the next one
ALTER TABLE phrbac.audit_log DISABLE TRIGGER append_only;
DELETE FROM phrbac.audit_log WHERE organization_id IS NULL AND id = (SELECT max(id) - 1 FROM phrbac.audit_log WHERE organization_id IS NULL);
ALTER TABLE phrbac.audit_log ENABLE TRIGGER append_only;
SELECT organization_id, first_bad_id IS NOT NULL AS broken FROM phrbac_audit_verify() WHERE organization_id IS NULL;

--
-- Pruning leaves a checkpoint per chain: what remains verifies.
--
SELECT phrbac_audit_prune(now() + interval '1 hour') > 0 AS pruned;
SELECT organization_id, scope, activity, detail ? 'pruned_through_hash' AS names_last_hash
FROM phrbac.audit_log ORDER BY organization_id NULLS FIRST;
BEGIN;
SELECT phrbac_set_user(2);
INSERT INTO phrbac.roles (organization_id, name) VALUES (1, 'After the prune');
COMMIT;
SELECT organization_id, rows_checked, first_bad_id FROM phrbac_audit_verify() ORDER BY 1 NULLS FIRST;

DROP TABLE feature_flags;
REVOKE ALL ON FUNCTION phrbac_set_user(bigint, text, boolean) FROM regress_phrbac_app;
DROP ROLE regress_phrbac_app;

-- A transaction that changes the catalog and then drops the extension
-- commits: its audit rows had nowhere left to go.
BEGIN;
INSERT INTO phrbac.users (email) VALUES ('leaving@acme.io');
DROP EXTENSION phrbac;
COMMIT;
SELECT count(*) AS phrbac_installed FROM pg_extension WHERE extname = 'phrbac';

-- Leave an empty catalog for the suites that follow.
CREATE EXTENSION phrbac;
