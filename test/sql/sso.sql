-- sso.sql: SSO logins and SSO enforcement (README, "Governance", step 3 of
-- "Concepts").
--
-- phrbac_sso_login() provisions a user on first login, makes them a member
-- (more when an IdP group maps to more), syncs the roles the organization
-- maps IdP groups to (adds and removes, leaves the rest alone), sets the
-- principal with auth method saml, and is audited as sso_provisioned.
-- Organizations with enforce_sso refuse principals of any other method;
-- API keys are not affected.

DROP EXTENSION phrbac;
CREATE EXTENSION phrbac;
\set QUIET on
\i test/fixture/acme.sql
INSERT INTO phrbac.roles (organization_id, name) VALUES (1, 'Data');	-- role 3, not mapped
INSERT INTO phrbac.sso_group_mappings (organization_id, idp_group, role_id, org_role) VALUES
	(1, 'eng', 1, NULL),
	(1, 'product', 2, NULL),
	(1, 'it-admins', NULL, 'admin');
CREATE ROLE sso_app;
GRANT EXECUTE ON FUNCTION phrbac_sso_login(text, bigint, text[], boolean) TO sso_app;
GRANT EXECUTE ON FUNCTION phrbac_set_user(bigint, text, boolean) TO sso_app;
GRANT USAGE ON SCHEMA phrbac TO sso_app;
CREATE ROLE sso_stranger;
\set QUIET off

\i test/fixture/try.sql

-- Nina's memberships in Acme, one line.
CREATE FUNCTION pg_temp.nina() RETURNS TABLE (org_role phrbac_role, roles text)
LANGUAGE sql AS $$
	SELECT m.role, (SELECT string_agg(r.name, ',' ORDER BY r.name)
	                FROM phrbac.role_members AS rm JOIN phrbac.roles AS r ON r.id = rm.role_id
	                WHERE rm.user_id = m.user_id)
	FROM phrbac.organization_members AS m
	JOIN phrbac.users AS u ON u.id = m.user_id
	WHERE u.email = 'Nina@acme.io' AND m.organization_id = 1
$$;

SELECT max(id) AS audit_before FROM phrbac.audit_log \gset

--
-- First login: just-in-time provisioning, as the application's role.
--
SET ROLE sso_app;
BEGIN;
SELECT phrbac_sso_login('Nina@acme.io', 1, '{eng,unknown-group}') AS nina \gset
SELECT :nina > 7 AS new_user;
SELECT phrbac_whoami() ->> 'email' AS email, phrbac_whoami() ->> 'auth_method' AS auth_method;
SELECT phrbac_org_role(1), phrbac_project_role(2);
-- the Engineering role's Production rule applies: create, never delete
SELECT phrbac_can(1, 'feature_flag:create') AS create_flag, phrbac_can(1, 'feature_flag:delete') AS delete_flag;
COMMIT;
-- is_local: the principal ended with the transaction
SELECT phrbac_whoami() IS NULL AS no_principal;
RESET ROLE;
SELECT * FROM pg_temp.nina();
SELECT reason FROM phrbac.organization_members WHERE user_id = :nina;
SELECT reason FROM phrbac.role_members WHERE user_id = :nina;

-- Audited as sso_provisioned: the user, the membership and the role membership,
-- by the application's database role, with no principal as actor.
SELECT scope, activity, user_id, db_user = session_user AS by_session_user
FROM phrbac.audit_log WHERE id > :audit_before ORDER BY id;

--
-- Later logins sync the mapped roles: adds and removes.
--
SELECT max(id) AS audit_before FROM phrbac.audit_log \gset
-- a role the IdP does not manage, given by hand, stays whatever the groups say
INSERT INTO phrbac.role_members (organization_id, role_id, user_id, reason) VALUES (1, 3, :nina, 'on loan to data');
SELECT phrbac_sso_login('nina@ACME.io', 1, '{product}') = :nina AS same_user;
SELECT * FROM pg_temp.nina();
SELECT scope, activity, detail -> 'changes' -> 0 ->> 'action' AS action
FROM phrbac.audit_log WHERE id > :audit_before AND activity = 'sso_provisioned' ORDER BY id;
-- a login that changes nothing logs nothing
SELECT max(id) AS audit_before FROM phrbac.audit_log \gset
SELECT phrbac_sso_login('nina@acme.io', 1, '{product}') = :nina AS same_user;
SELECT count(*) AS rows_logged FROM phrbac.audit_log WHERE id > :audit_before;
-- no groups: the mapped roles go, the hand-given one stays
SELECT phrbac_sso_login('nina@acme.io', 1) = :nina AS same_user;
SELECT * FROM pg_temp.nina();

--
-- Organization levels: a group that maps to more raises it; nothing lowers it.
--
SELECT phrbac_sso_login('nina@acme.io', 1, '{it-admins}') = :nina AS same_user;
SELECT * FROM pg_temp.nina();
SELECT phrbac_sso_login('nina@acme.io', 1, '{eng}') = :nina AS same_user;
SELECT * FROM pg_temp.nina();
-- an existing user keeps their id and level: Erin is the engineer of the fixture
SELECT phrbac_sso_login('ERIN@acme.io', 1, '{eng}') AS erin_id;
SELECT role, reason FROM phrbac.organization_members WHERE user_id = 3;

--
-- Expiry is the DBA's: a login neither extends nor revives expired access.
--
UPDATE phrbac.role_members SET expires_at = now() - interval '1 day' WHERE user_id = 3 AND role_id = 1;
SELECT phrbac_sso_login('erin@acme.io', 1, '{eng}') AS erin_id;
SELECT expires_at < now() AS still_expired FROM phrbac.role_members WHERE user_id = 3 AND role_id = 1;
SELECT phrbac_can(1, 'feature_flag:create') AS erin_creates_in_production;
UPDATE phrbac.role_members SET expires_at = NULL WHERE user_id = 3 AND role_id = 1;

--
-- A previous principal takes no part: a viewer's request that logs someone
-- else in does not need the viewer to manage members.
--
BEGIN;
SELECT phrbac_set_user(6);
SELECT phrbac_sso_login('quinn@acme.io', 1, '{eng}') > :nina AS quinn_provisioned;
SELECT phrbac_whoami() ->> 'email' AS now_acting_as;
ROLLBACK;

--
-- Refusals, with nothing written.
--
SELECT max(id) AS audit_before FROM phrbac.audit_log \gset
UPDATE phrbac.users SET is_active = false WHERE id = 4;
SELECT pg_temp.try($$SELECT phrbac_sso_login('eli@acme.io', 1, '{eng}')$$);
UPDATE phrbac.users SET is_active = true WHERE id = 4;
SELECT pg_temp.try($$SELECT phrbac_sso_login('not-an-email', 1)$$);
SELECT pg_temp.try($$SELECT phrbac_sso_login('zoe@acme.io', 99)$$);
SELECT pg_temp.try($$SELECT phrbac_sso_login(NULL, 1)$$);
SELECT pg_temp.try($$SELECT phrbac_sso_login('zoe@acme.io', 1, NULL)$$);
SELECT pg_temp.try($$SELECT phrbac_sso_login('zoe@acme.io', 1, '{eng}', NULL)$$);
SELECT count(*) AS zoe_rows FROM phrbac.users WHERE email LIKE 'zoe@%';
SELECT count(*) AS rows_logged FROM phrbac.audit_log WHERE id > :audit_before AND scope <> 'User';
-- privileged like phrbac_set_user; its body is nobody's to call
SET ROLE sso_stranger;
SELECT pg_temp.try($$SELECT phrbac_sso_login('mallory@acme.io', 1, '{it-admins}')$$);
RESET ROLE;
SET ROLE sso_app;
SELECT pg_temp.try($$SELECT phrbac.sso_login_steps('mallory@acme.io', 1, '{it-admins}')$$);
RESET ROLE;
SELECT count(*) AS mallory_rows FROM phrbac.users WHERE email LIKE 'mallory@%';

--
-- SSO enforcement.
--
UPDATE phrbac.organizations SET enforce_sso = true WHERE id = 1;
-- a password login has no access to Acme, with PostHog's words
BEGIN;
SELECT phrbac_set_user(3, 'password');
SELECT phrbac_can(2, 'insight:view') AS password_login_sees_staging;
SELECT pg_temp.try($$SELECT phrbac_require(2, 'insight:view')$$);
ROLLBACK;
-- an SSO login has
BEGIN;
SELECT phrbac_sso_login('erin@acme.io', 1, '{eng}') AS erin_id;
SELECT phrbac_can(2, 'insight:view') AS sso_login_sees_staging;
ROLLBACK;
-- other SSO methods count too
BEGIN;
SELECT phrbac_set_user(3, 'google-oauth2');
SELECT phrbac_can(2, 'insight:view') AS google_login_sees_staging;
ROLLBACK;
-- API keys are not affected: Erin makes a key in an SSO session, her
-- service uses it with no login at all
BEGIN;
SELECT phrbac_sso_login('erin@acme.io', 1, '{eng}') AS erin_id;
SELECT secret AS erin_secret FROM phrbac_create_api_key('staging-reader', '{insight:read}') \gset
COMMIT;
BEGIN;
SELECT phrbac_authenticate(:'erin_secret') > 0 AS authenticated;
SELECT phrbac_can(2, 'insight:view') AS key_sees_staging;
ROLLBACK;
UPDATE phrbac.organizations SET enforce_sso = false WHERE id = 1;

-- is_local => false: the principal lasts for the session
SELECT phrbac_sso_login('nina@acme.io', 1, '{eng}', false) = :nina AS same_user;
BEGIN; COMMIT;
SELECT phrbac_whoami() ->> 'email' AS session_principal;
SELECT phrbac_reset();

DROP ROLE sso_stranger;
DROP OWNED BY sso_app;
DROP ROLE sso_app;
