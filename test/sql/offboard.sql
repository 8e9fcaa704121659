-- offboard.sql: phrbac_offboard() (README, "Governance").
--
-- Offboarding a user from one organization revokes their keys that reach
-- it, hands the creator column of protected tables in its projects to
-- transfer_to, removes their rules, project, role and organization
-- memberships there and nowhere else, returns what it did, and is audited
-- as offboarded.  Every step is checked as plain SQL would be: only
-- organization admins offboard, only owners offboard owners, the last
-- owner stays, and a refusal leaves nothing half-done.

DROP EXTENSION phrbac;
CREATE EXTENSION phrbac;
\set QUIET on
\i test/fixture/acme.sql
-- Globex: a second organization, where Carl also works (project 4).
INSERT INTO phrbac.organizations (name) VALUES ('Globex');
INSERT INTO phrbac.projects (organization_id, name) VALUES (2, 'Globex web');
INSERT INTO phrbac.organization_members (organization_id, user_id, role, reason) VALUES
	(2, 1, 'owner', 'founder'), (2, 7, 'member', 'contract');
INSERT INTO phrbac.role_members (organization_id, role_id, user_id, reason) VALUES (1, 1, 7, 'migration work');

-- Two protected tables with a creator column, one without.
CREATE TABLE flags (id bigserial PRIMARY KEY, project_id bigint NOT NULL, key text NOT NULL, created_by bigint);
CREATE TABLE insights (id bigserial PRIMARY KEY, project_id bigint NOT NULL, name text NOT NULL, owner_id bigint);
CREATE TABLE events (id bigserial PRIMARY KEY, project_id bigint NOT NULL, created_by bigint);
SELECT phrbac_protect('flags', 'feature_flag', object_column => 'id', creator_column => 'created_by');
SELECT phrbac_protect('insights', 'insight', creator_column => 'owner_id');
SELECT phrbac_protect('events', 'event');
INSERT INTO flags (project_id, key, created_by) VALUES
	(3, 'carl-dev-flag', 7), (3, 'erin-dev-flag', 3), (4, 'carl-globex-flag', 7);
INSERT INTO insights (project_id, name, owner_id) VALUES (3, 'Migration progress', 7), (4, 'Globex funnel', 7);
INSERT INTO events (project_id, created_by) VALUES (3, 7);

-- The application's role: it manages the catalog and the tables with a principal set.
CREATE ROLE offboard_app;
GRANT USAGE ON SCHEMA phrbac TO offboard_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA phrbac TO offboard_app;
GRANT SELECT, UPDATE ON flags, insights, events TO offboard_app;
GRANT EXECUTE ON FUNCTION phrbac_set_user(bigint, text, boolean) TO offboard_app;
\set QUIET off

\i test/fixture/try.sql

-- Everything a user holds, per organization: the fingerprint a refusal must not change.
CREATE FUNCTION pg_temp.holdings(member bigint)
RETURNS TABLE (organization_id bigint, org_role phrbac_role, project_rows bigint, role_rows bigint,
               rule_rows bigint, live_keys bigint, created_flags bigint, owned_insights bigint)
LANGUAGE sql AS $$
	SELECT o.id, m.role,
	       (SELECT count(*) FROM phrbac.project_members AS pm WHERE pm.user_id = member AND pm.organization_id = o.id),
	       (SELECT count(*) FROM phrbac.role_members AS rm WHERE rm.user_id = member AND rm.organization_id = o.id),
	       (SELECT count(*) FROM phrbac.access_rules AS r WHERE r.user_id = member AND r.organization_id = o.id),
	       (SELECT count(*) FROM phrbac.api_keys AS k WHERE k.user_id = member AND k.revoked_at IS NULL),
	       (SELECT count(*) FROM flags AS f JOIN phrbac.projects AS p ON p.id = f.project_id
	        WHERE f.created_by = member AND p.organization_id = o.id),
	       (SELECT count(*) FROM insights AS i JOIN phrbac.projects AS p ON p.id = i.project_id
	        WHERE i.owner_id = member AND p.organization_id = o.id)
	FROM phrbac.organizations AS o
	LEFT JOIN phrbac.organization_members AS m ON m.organization_id = o.id AND m.user_id = member
	ORDER BY o.id
$$;

-- Carl's keys: one for everything he can reach, one for Globex only.
BEGIN;
SELECT phrbac_set_user(7);
SELECT secret AS carl_everywhere FROM phrbac_create_api_key('carl-everywhere', '{feature_flag:read}') \gset
SELECT secret AS carl_globex FROM phrbac_create_api_key('carl-globex', '{feature_flag:read}', scoped_organizations => '{2}') \gset
COMMIT;
SELECT * FROM pg_temp.holdings(7);

--
-- Refusals leave everything as it was.
--
SET ROLE offboard_app;
-- a member cannot offboard anyone
BEGIN;
SELECT phrbac_set_user(5);
SELECT pg_temp.try($$SELECT phrbac_offboard(7, 1, 3)$$);
ROLLBACK;
-- an admin cannot offboard an owner; an owner cannot offboard the last owner
BEGIN;
SELECT phrbac_set_user(2);
SELECT pg_temp.try($$SELECT phrbac_offboard(1, 1)$$);
ROLLBACK;
BEGIN;
SELECT phrbac_set_user(1);
SELECT pg_temp.try($$SELECT phrbac_offboard(1, 1)$$);
ROLLBACK;
-- bad arguments
BEGIN;
SELECT phrbac_set_user(2);
SELECT pg_temp.try($$SELECT phrbac_offboard(7, 1, 7)$$);
SELECT pg_temp.try($$SELECT phrbac_offboard(7, 1, 99)$$);
SELECT pg_temp.try($$SELECT phrbac_offboard(99, 1)$$);
SELECT pg_temp.try($$SELECT phrbac_offboard(7, 99)$$);
SELECT pg_temp.try($$SELECT phrbac_offboard(NULL, 1)$$);
SELECT pg_temp.try($$SELECT phrbac_offboard(7, NULL, 3)$$);
ROLLBACK;
RESET ROLE;
-- transfer_to must still have access: an expired member does not
UPDATE phrbac.organization_members SET expires_at = now() - interval '1 day' WHERE user_id = 4 AND organization_id = 1;
SET ROLE offboard_app;
BEGIN;
SELECT phrbac_set_user(2);
SELECT pg_temp.try($$SELECT phrbac_offboard(7, 1, 4)$$);
ROLLBACK;
RESET ROLE;
UPDATE phrbac.organization_members SET expires_at = NULL WHERE user_id = 4 AND organization_id = 1;
-- the body is nobody's to call
SET ROLE offboard_app;
SELECT pg_temp.try($$SELECT phrbac.offboard_steps(7, 1, 3)$$);
RESET ROLE;
SELECT * FROM pg_temp.holdings(7);

--
-- Adam, an admin, offboards Carl from Acme and hands his work to Erin.
--
SELECT max(id) AS audit_before FROM phrbac.audit_log \gset
SET ROLE offboard_app;
BEGIN;
SELECT phrbac_set_user(2);
SELECT jsonb_pretty(phrbac_offboard(7, 1, 3));
COMMIT;
RESET ROLE;
SELECT * FROM pg_temp.holdings(7);
-- Erin now holds Carl's Acme work; Globex's is untouched, the table without a creator too
SELECT key, created_by FROM flags ORDER BY id;
SELECT name, owner_id FROM insights ORDER BY id;
SELECT created_by FROM events;
-- the key that reached Acme is dead, the Globex one works
SELECT pg_temp.try(format('SELECT phrbac_authenticate(%L)', :'carl_everywhere'));
BEGIN;
SELECT phrbac_authenticate(:'carl_globex') > 0 AS globex_key_works;
SELECT phrbac_can(4, 'feature_flag:view') AS reads_globex_flags;
ROLLBACK;
-- Carl sees nothing of Acme any more
BEGIN;
SELECT phrbac_set_user(7);
SELECT phrbac_projects('insight:view') AS carl_projects;
ROLLBACK;

-- One act in the log: every row offboarded, by Adam, in order.
SELECT scope, activity, user_id AS actor, item_id IS NOT NULL AS has_item,
       (SELECT string_agg(DISTINCT CASE c ->> 'action' WHEN 'changed' THEN c ->> 'field' ELSE c ->> 'action' END, ',')
        FROM jsonb_array_elements(detail -> 'changes') AS c) AS changes
FROM phrbac.audit_log WHERE id > :audit_before ORDER BY id;
SELECT organization_id, first_bad_id FROM phrbac_audit_verify() ORDER BY 1;

--
-- An owner may offboard another owner while one remains; without a
-- principal, the DBA may offboard anyone but the last owner.
--
INSERT INTO phrbac.organization_members (organization_id, user_id, role, reason) VALUES (2, 3, 'owner', 'co-founder');
BEGIN;
SELECT phrbac_set_user(3);
SELECT phrbac_offboard(1, 2) ->> 'organization_membership_removed' AS olivia_removed;
ROLLBACK;
BEGIN;
SELECT phrbac_set_user(1);
SELECT count(*) AS olivia_key FROM phrbac_create_api_key('olivia-globex', '{*}', scoped_organizations => '{2}');
COMMIT;
SELECT o ->> 'api_keys_revoked' AS keys_revoked, o ->> 'transferred_to' AS no_transfer
FROM phrbac_offboard(1, 2) AS o;
SELECT count(*) AS olivia_live_keys FROM phrbac.api_keys WHERE user_id = 1 AND revoked_at IS NULL;
SELECT pg_temp.try($$SELECT phrbac_offboard(3, 2)$$);
SELECT user_id, role FROM phrbac.organization_members WHERE organization_id = 2 ORDER BY user_id;

-- What offboarding reads of protected tables, everyone may read: it is
-- what pg_policy already shows.
CREATE ROLE offboard_reader;
GRANT USAGE ON SCHEMA phrbac TO offboard_reader;
SET ROLE offboard_reader;
SELECT tbl, creator_column FROM phrbac.protected_tables ORDER BY tbl::text;
RESET ROLE;
DROP OWNED BY offboard_reader;
DROP ROLE offboard_reader;

DROP TABLE flags, insights, events;
DROP OWNED BY offboard_app;
DROP ROLE offboard_app;
