-- scim.sql: the database half of SCIM (README, "SCIM"), driven the way an
-- identity provider drives it: a user created, added to groups, moved
-- between groups, deactivated, reactivated and deleted, with the decisions
-- checked after each step, both cold (phrbac_user_can) and in a warm
-- session (phrbac_can as the user, whose per-backend cache must follow
-- every step).  Then the refusals, each with nothing done.

DROP EXTENSION phrbac;
CREATE EXTENSION phrbac;
\set QUIET on
\i test/fixture/acme.sql
INSERT INTO phrbac.sso_group_mappings (organization_id, idp_group, role_id, org_role) VALUES
	(1, 'eng', 1, NULL),
	(1, 'product', 2, NULL),
	(1, 'it-admins', NULL, 'admin'),
	(1, 'founders', NULL, 'owner');
INSERT INTO phrbac.organizations (id, name) VALUES (2, 'Globex');
CREATE ROLE scim_app;
GRANT EXECUTE ON FUNCTION phrbac_scim_upsert_user(bigint, text, text, text, boolean, text[]) TO scim_app;
GRANT EXECUTE ON FUNCTION phrbac_scim_delete_user(bigint, text) TO scim_app;
GRANT EXECUTE ON FUNCTION phrbac_scim_sync_group(bigint, text, text[]) TO scim_app;
GRANT USAGE ON SCHEMA phrbac TO scim_app;
CREATE ROLE scim_stranger;
\set QUIET off

\i test/fixture/try.sql

-- A user's standing in Acme, one line: level, roles, project rows, rules,
-- live keys, SCIM identity.
CREATE FUNCTION pg_temp.standing(who bigint) RETURNS TABLE (
	org_role phrbac_role, roles text, project_rows bigint, rules bigint, live_keys bigint, identity text)
LANGUAGE sql AS $$
	SELECT (SELECT m.role FROM phrbac.organization_members AS m
	        WHERE m.user_id = who AND m.organization_id = 1),
	       (SELECT string_agg(r.name, ',' ORDER BY r.name)
	        FROM phrbac.role_members AS rm JOIN phrbac.roles AS r ON r.id = rm.role_id
	        WHERE rm.user_id = who),
	       (SELECT count(*) FROM phrbac.project_members AS pm WHERE pm.user_id = who),
	       (SELECT count(*) FROM phrbac.access_rules AS ar WHERE ar.user_id = who),
	       (SELECT count(*) FROM phrbac.api_keys AS k WHERE k.user_id = who AND k.revoked_at IS NULL),
	       (SELECT i.external_id || CASE WHEN i.active THEN ' active ' ELSE ' inactive ' END || i.groups::text
	        FROM phrbac.scim_identities AS i WHERE i.user_id = who AND i.organization_id = 1)
$$;

-- The decisions that tell the steps apart: Staging (everyone a member
-- sees it), Production (private: the Engineering and Product roles),
-- deleting a Production flag (Product only), managing members (admins).
CREATE FUNCTION pg_temp.decisions(who bigint) RETURNS TABLE (
	staging boolean, production boolean, delete_flag boolean, org_role phrbac_role)
LANGUAGE sql AS $$
	SELECT phrbac_user_can(who, 2, 'insight:view'),
	       phrbac_user_can(who, 1, 'feature_flag:view'),
	       phrbac_user_can(who, 1, 'feature_flag:delete'),
	       (SELECT m.role FROM phrbac.organization_members AS m
	        WHERE m.user_id = who AND m.organization_id = 1)
$$;
-- The same, as the principal, through this backend's cache.
CREATE FUNCTION pg_temp.warm() RETURNS TABLE (
	staging boolean, production boolean, delete_flag boolean, org_role phrbac_role)
LANGUAGE sql AS $$
	SELECT phrbac_can(2, 'insight:view'), phrbac_can(1, 'feature_flag:view'),
	       phrbac_can(1, 'feature_flag:delete'), phrbac_org_role(1)
$$;

--
-- 1. The IdP creates Dana: a new user, a member of Acme, nothing more.
--
SELECT max(id) AS audit_before FROM phrbac.audit_log \gset
SET ROLE scim_app;
SELECT phrbac_scim_upsert_user(1, 'okta-00u1dana', 'dana@acme.io', 'Dana', true) AS dana \gset
RESET ROLE;
SELECT :dana > 7 AS new_user;
SELECT * FROM pg_temp.standing(:dana);
SELECT email, name, is_active FROM phrbac.users WHERE id = :dana;
SELECT reason FROM phrbac.organization_members WHERE user_id = :dana;
SELECT * FROM pg_temp.decisions(:dana);
-- audited as scim_provisioned, by the application's role with no principal
SELECT scope, activity, user_id, db_user = session_user AS by_session_user
FROM phrbac.audit_log WHERE id > :audit_before ORDER BY id;
-- the same call again changes nothing and logs nothing
SELECT max(id) AS audit_before FROM phrbac.audit_log \gset
SELECT phrbac_scim_upsert_user(1, 'okta-00u1dana', 'dana@acme.io', 'Dana', true) = :dana AS same_user;
SELECT count(*) AS rows_logged FROM phrbac.audit_log WHERE id > :audit_before;

-- From here on this session is Dana's too, for the session: a warm cache.
SELECT phrbac_set_user(:dana, 'saml', false);
SELECT * FROM pg_temp.warm();
-- Dana makes a personal API key; an admin gives her a Development row and a rule.
SELECT count(*) AS keys_made FROM phrbac_create_api_key('dana''s notebook');
BEGIN;
SELECT phrbac_set_user(2);
INSERT INTO phrbac.project_members (project_id, user_id, role, reason) VALUES (3, :dana, 'admin', 'runs development');
INSERT INTO phrbac.access_rules (organization_id, project_id, user_id, access, reason)
VALUES (1, 2, :dana, 'dashboard:viewer', 'reads staging dashboards');
COMMIT;
SELECT phrbac_whoami() ->> 'email' AS principal;

--
-- 2. The IdP adds Dana to the eng group: the Engineering role, Production.
--
SELECT max(id) AS audit_before FROM phrbac.audit_log \gset
SET ROLE scim_app;
SELECT phrbac_scim_sync_group(1, 'eng', '{okta-00u1dana}') AS changed;
RESET ROLE;
-- the caller's principal is back after the call
SELECT phrbac_whoami() ->> 'email' AS principal;
SELECT * FROM pg_temp.standing(:dana);
SELECT * FROM pg_temp.decisions(:dana);
SELECT * FROM pg_temp.warm();
SELECT scope, activity, user_id IS NULL AS no_principal FROM phrbac.audit_log WHERE id > :audit_before ORDER BY id;
-- a group push that changes nothing
SELECT phrbac_scim_sync_group(1, 'eng', '{okta-00u1dana}') AS changed;

--
-- 3. Moved between groups: out of eng, into product (Product role: may
-- delete Production flags), then into it-admins (admin) and out again
-- (down to member: SCIM's levels go down as well as up).
--
SELECT phrbac_scim_sync_group(1, 'eng', '{}') AS changed;
SELECT phrbac_scim_sync_group(1, 'product', '{okta-00u1dana}') AS changed;
SELECT * FROM pg_temp.standing(:dana);
SELECT * FROM pg_temp.decisions(:dana);
SELECT * FROM pg_temp.warm();
SELECT phrbac_scim_sync_group(1, 'it-admins', '{okta-00u1dana}') AS changed;
SELECT * FROM pg_temp.standing(:dana);
SELECT * FROM pg_temp.warm();
SELECT phrbac_scim_sync_group(1, 'it-admins', '{}') AS changed;
SELECT * FROM pg_temp.standing(:dana);
SELECT * FROM pg_temp.decisions(:dana);
SELECT * FROM pg_temp.warm();
-- an upsert that carries groups is authoritative too; one without keeps them
SELECT phrbac_scim_upsert_user(1, 'okta-00u1dana', 'dana@acme.io', 'Dana', true, '{eng,product}') = :dana AS same_user;
SELECT * FROM pg_temp.standing(:dana);
SELECT phrbac_scim_upsert_user(1, 'okta-00u1dana', 'dana@acme.io', 'Dana Scully', true) = :dana AS same_user;
SELECT * FROM pg_temp.standing(:dana);
SELECT name FROM phrbac.users WHERE id = :dana;
SELECT phrbac_scim_upsert_user(1, 'okta-00u1dana', 'dana@acme.io', 'Dana Scully', true, '{product}') = :dana AS same_user;

--
-- 4. Deactivated: the membership and everything offboarding removes go,
-- her key is revoked, the user row and the identity stay.
--
SELECT max(id) AS audit_before FROM phrbac.audit_log \gset
SET ROLE scim_app;
SELECT phrbac_scim_upsert_user(1, 'okta-00u1dana', 'dana@acme.io', 'Dana Scully', false) = :dana AS same_user;
RESET ROLE;
SELECT * FROM pg_temp.standing(:dana);
SELECT is_active FROM phrbac.users WHERE id = :dana;
SELECT * FROM pg_temp.decisions(:dana);
SELECT * FROM pg_temp.warm();
SELECT scope, activity, count(*) FROM phrbac.audit_log WHERE id > :audit_before
GROUP BY scope, activity ORDER BY scope, activity;
-- deactivating again does nothing
SELECT max(id) AS audit_before FROM phrbac.audit_log \gset
SELECT phrbac_scim_upsert_user(1, 'okta-00u1dana', 'dana@acme.io', 'Dana Scully', false) = :dana AS same_user;
SELECT count(*) AS rows_logged FROM phrbac.audit_log WHERE id > :audit_before;

--
-- 5. Reactivated: a member again with the roles of her groups, and nothing
-- of what offboarding removed.
--
SELECT phrbac_scim_upsert_user(1, 'okta-00u1dana', 'dana@acme.io', 'Dana Scully', true) = :dana AS same_user;
SELECT * FROM pg_temp.standing(:dana);
SELECT * FROM pg_temp.decisions(:dana);
SELECT * FROM pg_temp.warm();

--
-- 6. Deleted: offboarded, the identity gone, the user row kept.
--
SELECT max(id) AS audit_before FROM phrbac.audit_log \gset
SET ROLE scim_app;
SELECT phrbac_scim_delete_user(1, 'okta-00u1dana') = :dana AS same_user;
RESET ROLE;
SELECT * FROM pg_temp.standing(:dana);
SELECT email FROM phrbac.users WHERE id = :dana;
SELECT * FROM pg_temp.decisions(:dana);
SELECT * FROM pg_temp.warm();
SELECT scope, activity, count(*) FROM phrbac.audit_log WHERE id > :audit_before
GROUP BY scope, activity ORDER BY scope, activity;
-- provisioned again later: the same user, a new identity, from member
SELECT phrbac_scim_upsert_user(1, 'okta-00u2dana', 'DANA@acme.io', NULL, true) = :dana AS same_user;
SELECT * FROM pg_temp.standing(:dana);
SELECT * FROM pg_temp.warm();
SELECT phrbac_reset();

--
-- Owners: linked and raised by a group that maps to owner, never demoted or
-- removed by SCIM (42501, nothing done).
--
-- Olivia, the owner, linked with no group that maps to owner: a demotion
SELECT pg_temp.try($$SELECT phrbac_scim_upsert_user(1, 'okta-olivia', 'olivia@acme.io', 'Olivia', true, '{eng}')$$);
SELECT * FROM pg_temp.standing(1);
SELECT phrbac_scim_upsert_user(1, 'okta-olivia', 'olivia@acme.io', 'Olivia (owner)', true, '{founders,eng}') AS olivia;
SELECT * FROM pg_temp.standing(1);
SELECT max(id) AS audit_before FROM phrbac.audit_log \gset
SELECT pg_temp.try($$SELECT phrbac_scim_sync_group(1, 'founders', '{}')$$);
SELECT pg_temp.try($$SELECT phrbac_scim_upsert_user(1, 'okta-olivia', 'olivia@acme.io', 'Olivia (owner)', false)$$);
SELECT pg_temp.try($$SELECT phrbac_scim_delete_user(1, 'okta-olivia')$$);
SELECT * FROM pg_temp.standing(1);
SELECT count(*) AS rows_logged FROM phrbac.audit_log WHERE id > :audit_before;
-- a group that maps to owner makes an owner (the mapping is an owner's to write)
SELECT phrbac_scim_upsert_user(1, 'okta-erin', 'erin@acme.io', 'Erin (engineer)', true, '{eng}') AS erin;
SELECT phrbac_scim_sync_group(1, 'founders', '{okta-erin,okta-olivia}') AS changed;
SELECT * FROM pg_temp.standing(3);

--
-- Bad input, with nothing done.
--
SELECT max(id) AS audit_before FROM phrbac.audit_log \gset
SELECT count(*) AS users_before FROM phrbac.users \gset
-- unknown organizations and external ids
SELECT pg_temp.try($$SELECT phrbac_scim_upsert_user(99, 'okta-x', 'x@acme.io', 'X', true)$$);
SELECT pg_temp.try($$SELECT phrbac_scim_delete_user(99, 'okta-x')$$);
SELECT pg_temp.try($$SELECT phrbac_scim_sync_group(99, 'eng', '{}')$$);
SELECT pg_temp.try($$SELECT phrbac_scim_delete_user(1, 'okta-nobody')$$);
SELECT pg_temp.try($$SELECT phrbac_scim_sync_group(1, 'eng', '{okta-erin,okta-nobody}')$$);
-- duplicate external ids
SELECT pg_temp.try($$SELECT phrbac_scim_sync_group(1, 'eng', '{okta-erin,okta-olivia,okta-erin}')$$);
SELECT pg_temp.try($$INSERT INTO phrbac.scim_identities (organization_id, external_id, user_id) VALUES (1, 'okta-erin', 4)$$);
-- an email already taken by another identity, or by another user
SELECT pg_temp.try($$SELECT phrbac_scim_upsert_user(1, 'okta-other', 'Erin@acme.io', 'Not Erin', true)$$);
SELECT pg_temp.try($$SELECT phrbac_scim_upsert_user(1, 'okta-erin', 'eli@acme.io', 'Erin', true)$$);
-- malformed arguments
SELECT pg_temp.try($$SELECT phrbac_scim_upsert_user(1, ' ', 'x@acme.io', 'X', true)$$);
SELECT pg_temp.try($$SELECT phrbac_scim_upsert_user(1, 'okta-x', 'not an email', 'X', true)$$);
SELECT pg_temp.try($$SELECT phrbac_scim_upsert_user(1, 'okta-x', 'x@acme.io', 'X', true, '{eng,""}')$$);
SELECT pg_temp.try($$SELECT phrbac_scim_upsert_user(1, 'okta-x', 'x@acme.io', 'X', NULL)$$);
SELECT pg_temp.try($$SELECT phrbac_scim_upsert_user(1, NULL, 'x@acme.io', 'X', true)$$);
SELECT pg_temp.try($$SELECT phrbac_scim_sync_group(1, ' ', '{}')$$);
SELECT pg_temp.try($$SELECT phrbac_scim_sync_group(1, 'eng', '{okta-erin,NULL}')$$);
SELECT pg_temp.try($$SELECT phrbac_scim_sync_group(1, 'eng', NULL)$$);
SELECT pg_temp.try($$SELECT phrbac_scim_delete_user(1, NULL)$$);
SELECT count(*) - :users_before AS users_added FROM phrbac.users;
SELECT count(*) AS rows_logged FROM phrbac.audit_log WHERE id > :audit_before;
-- A user of other organizations too keeps the email the DBA gave ...
INSERT INTO phrbac.organization_members (organization_id, user_id, role) VALUES (2, 3, 'owner');
SELECT pg_temp.try($$SELECT phrbac_scim_upsert_user(1, 'okta-erin', 'erin@globex.com', 'Erin', true, '{eng}')$$);
-- ... and the name (the rest of the call applies)
SELECT phrbac_scim_upsert_user(1, 'okta-erin', 'erin@acme.io', 'Renamed by Acme', true, '{eng,founders}') AS erin;
SELECT name FROM phrbac.users WHERE id = 3;

--
-- Privileged like phrbac_sso_login: nobody else calls SCIM or its bodies;
-- with a principal, only organization admins write identities by hand.
--
SET ROLE scim_stranger;
SELECT pg_temp.try($$SELECT phrbac_scim_upsert_user(1, 'okta-x', 'x@acme.io', 'X', true)$$);
SELECT pg_temp.try($$SELECT phrbac_scim_delete_user(1, 'okta-erin')$$);
SELECT pg_temp.try($$SELECT phrbac_scim_sync_group(1, 'eng', '{}')$$);
RESET ROLE;
SET ROLE scim_app;
SELECT pg_temp.try($$SELECT phrbac.scim_upsert_user_steps(1, 'okta-x', 'x@acme.io', 'X', true, '{}')$$);
RESET ROLE;
BEGIN;
SELECT phrbac_set_user(4);
SELECT pg_temp.try($$DELETE FROM phrbac.scim_identities WHERE external_id = 'okta-erin'$$);
SELECT phrbac_set_user(2);
SELECT pg_temp.try($$UPDATE phrbac.scim_identities SET external_id = 'okta-erin-2' WHERE external_id = 'okta-erin'$$, true);
ROLLBACK;

-- Every chain still verifies.
SELECT organization_id, first_bad_id FROM phrbac_audit_verify() ORDER BY organization_id NULLS FIRST;

-- Leave the cluster's roles as they were (DROP OWNED revokes their grants).
DROP OWNED BY scim_app, scim_stranger;
DROP ROLE scim_app, scim_stranger;
