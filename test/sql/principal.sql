-- principal.sql: who is asking (README, "Functions", the principal).
--
-- The principal cannot be forged by any SET, set_config(), ALTER ROLE,
-- function SET clause or made-up signature (README, "Citus");
-- phrbac_set_user() is for trusted back ends only, transaction-local by
-- default and session-wide on request, undone by ROLLBACK and ROLLBACK TO
-- SAVEPOINT, cleared by phrbac_reset() and RESET;
-- a database login mapped by users.db_role is that user; a hostile
-- search_path changes no answer; no principal and NULLs answer false.

DROP EXTENSION phrbac;
CREATE EXTENSION phrbac;
\set QUIET on
\i test/fixture/acme.sql
CREATE ROLE regress_phrbac_plain;
CREATE ROLE regress_phrbac_backend;
GRANT EXECUTE ON FUNCTION phrbac_set_user(bigint, text, boolean) TO regress_phrbac_backend;
CREATE ROLE regress_phrbac_erin;

\i test/fixture/try.sql

-- Who the principal is, in one line.
CREATE FUNCTION pg_temp.who() RETURNS text
LANGUAGE sql AS $$
	SELECT coalesce(phrbac_whoami()->>'email' || ' by ' || (phrbac_whoami()->>'auth_method'), 'nobody')
$$;
\set QUIET off

--
-- No plain setting forges a principal.
--
SELECT pg_temp.try($$SET phrbac.principal = '1:password:0:0'$$) AS set;
SELECT pg_temp.try($$SET LOCAL phrbac.principal = '1:password:0:0'$$) AS set_local;
SELECT pg_temp.try($$SELECT set_config('phrbac.principal', '1:password:0:0', false)$$) AS set_config;
SELECT pg_temp.try($$SELECT set_config('phrbac.principal', '1:saml:0:0', true)$$) AS set_config_local;
SELECT pg_temp.try($$ALTER ROLE regress_phrbac_plain SET phrbac.principal = '1:password:0:0'$$) AS alter_role;
SELECT pg_temp.try(format('ALTER DATABASE %I SET phrbac.principal = %L', current_database(), '1:password:0:0')) AS alter_database;
SELECT pg_temp.try($$CREATE FUNCTION pg_temp.as_olivia() RETURNS bigint LANGUAGE sql
	SET phrbac.principal = '1:password:0:0' AS 'SELECT phrbac_principal_user_id()'$$) AS function_set_clause;
SET ROLE regress_phrbac_plain;
SELECT pg_temp.try($$SET phrbac.principal = '1:password:0:0'$$) AS set_as_plain_role;
SELECT pg_temp.try($$SELECT phrbac_set_user(1)$$) AS set_user_as_plain_role;
-- Nor does a made-up signature (how Citus workers receive the principal),
-- nor one under an unset cluster secret, which no one but a superuser may
-- read (its message differs between versions: the SQLSTATE says it).
SELECT pg_temp.try(format('SET phrbac.principal = %L', '1:password:0:0/' || repeat('0', 64))) AS forged_signature;
SELECT pg_temp.try($$SET phrbac.principal = '1:password:0:0/'$$) AS empty_signature;
SELECT split_part(pg_temp.try($$SHOW phrbac.cluster_secret$$), ' ', 1) AS read_secret;
SELECT pg_temp.try($$SELECT phrbac_citus_setup()$$) AS citus_setup_as_plain_role;
RESET ROLE;
SELECT pg_temp.try($$SELECT phrbac_citus_setup()$$) AS citus_setup_without_citus;
SELECT pg_temp.who() AS principal;
SELECT has_function_privilege('regress_phrbac_plain', 'phrbac_set_user(bigint, text, boolean)', 'EXECUTE') AS plain_may_set,
       has_function_privilege('regress_phrbac_backend', 'phrbac_set_user(bigint, text, boolean)', 'EXECUTE') AS backend_may_set,
       has_function_privilege('regress_phrbac_plain', 'phrbac_authenticate(text, boolean)', 'EXECUTE') AS anyone_may_authenticate;

--
-- phrbac_set_user(): transaction-local by default, session-wide on request.
--
SET ROLE regress_phrbac_backend;
BEGIN;
SELECT phrbac_set_user(3);
SELECT pg_temp.who() AS in_transaction, phrbac_can(1, 'feature_flag:edit') AS erin_edits_flags;
COMMIT;
SELECT pg_temp.who() AS after_commit, phrbac_can(1, 'feature_flag:edit') AS nobody_edits_flags;

SELECT phrbac_set_user(5, 'saml', false);
SELECT pg_temp.who() AS session_wide;
BEGIN;
SELECT phrbac_set_user(6);
SELECT pg_temp.who() AS local_over_session;
COMMIT;
SELECT pg_temp.who() AS session_again;

-- ROLLBACK undoes a session-wide change made in the transaction.
BEGIN;
SELECT phrbac_set_user(7, 'password', false);
SELECT pg_temp.who() AS before_rollback;
ROLLBACK;
SELECT pg_temp.who() AS after_rollback;

-- ROLLBACK TO SAVEPOINT undoes a change made after the savepoint.
BEGIN;
SELECT phrbac_set_user(3);
SAVEPOINT s;
SELECT phrbac_set_user(7);
SELECT pg_temp.who() AS inside_savepoint;
ROLLBACK TO SAVEPOINT s;
SELECT pg_temp.who() AS after_rollback_to_savepoint;
COMMIT;

-- phrbac_reset() and RESET clear it.
SELECT phrbac_reset();
SELECT pg_temp.who() AS after_phrbac_reset;
SELECT phrbac_set_user(5, 'saml', false);
RESET phrbac.principal;
SELECT pg_temp.who() AS after_reset;
SELECT phrbac_set_user(5, 'saml', false);
RESET ALL;
SELECT pg_temp.who() AS after_reset_all;
RESET ROLE;

-- whoami shows no secret, only these keys
BEGIN;
SELECT phrbac_set_user(2, 'google-oauth2');
SELECT phrbac_whoami();
COMMIT;

-- Bad arguments.
SELECT pg_temp.try($$SELECT phrbac_set_user(4242)$$) AS unknown_user;
SELECT pg_temp.try($$SELECT phrbac_set_user(NULL)$$) AS null_user;
SELECT pg_temp.try($$SELECT phrbac_set_user(1, 'Pass Word')$$) AS bad_method;
SELECT pg_temp.try($$SELECT phrbac_set_user(1, NULL)$$) AS null_method;

-- A deactivated user may be named, and is allowed nothing.
UPDATE phrbac.users SET is_active = false WHERE id = 4;
BEGIN;
SELECT phrbac_set_user(4);
SELECT pg_temp.who() AS deactivated, phrbac_can(2, 'insight:view') AS can_view;
COMMIT;
UPDATE phrbac.users SET is_active = true WHERE id = 4;

--
-- A database login mapped by users.db_role is that user.
--
UPDATE phrbac.users SET db_role = 'regress_phrbac_erin' WHERE id = 3;
SET SESSION AUTHORIZATION regress_phrbac_erin;
SELECT pg_temp.who() AS mapped_login, phrbac_can(2, 'feature_flag:manage') AS erin_manages_staging_flags;
RESET SESSION AUTHORIZATION;
GRANT EXECUTE ON FUNCTION phrbac_set_user(bigint, text, boolean) TO regress_phrbac_erin;
SET SESSION AUTHORIZATION regress_phrbac_erin;
BEGIN;
SELECT phrbac_set_user(6);
SELECT pg_temp.who() AS explicit_wins;
COMMIT;
SELECT pg_temp.who() AS mapped_again;
RESET SESSION AUTHORIZATION;
-- unmapped again: nobody
UPDATE phrbac.users SET db_role = NULL WHERE id = 3;
SET SESSION AUTHORIZATION regress_phrbac_erin;
SELECT pg_temp.who() AS unmapped;
RESET SESSION AUTHORIZATION;

--
-- A hostile search_path changes no answer.
--
CREATE SCHEMA regress_evil;
CREATE TABLE regress_evil.organization_members (organization_id bigint, user_id bigint, role phrbac_role);
INSERT INTO regress_evil.organization_members VALUES (1, 7, 'owner');
CREATE FUNCTION regress_evil.always(bigint, bigint) RETURNS boolean LANGUAGE sql AS 'SELECT true';
CREATE OPERATOR regress_evil.= (LEFTARG = bigint, RIGHTARG = bigint, FUNCTION = regress_evil.always);
CREATE FUNCTION regress_evil.phrbac_principal_user_id() RETURNS bigint LANGUAGE sql AS 'SELECT 1::bigint';
BEGIN;
SELECT phrbac_set_user(7);	-- Carl: Development only
SET LOCAL search_path = regress_evil, pg_catalog, public;
SELECT pg_catalog.phrbac_can(1, 'insight:view') AS carl_views_production,
       pg_catalog.phrbac_can(3, 'insight:view') AS carl_views_development,
       pg_catalog.phrbac_whoami()->>'email' AS whoami,
       pg_catalog.phrbac_explain(7, 1, 'insight:view')->>'allowed' AS explained,
       pg_catalog.phrbac_org_role(1) AS org_role;
COMMIT;
DROP SCHEMA regress_evil CASCADE;

--
-- No principal, NULLs and unknown ids answer false, never an error.
--
SELECT phrbac_can(1, 'insight:view') AS no_principal,
       phrbac_project_role(1) AS no_principal_role,
       phrbac_projects('insight:view') AS no_principal_projects;
BEGIN;
SELECT phrbac_set_user(1);
SELECT phrbac_can(NULL, 'insight:view') AS null_project,
       phrbac_can(1, NULL) AS null_want,
       phrbac_can(4242, 'insight:view') AS unknown_project,
       phrbac_can(1, 'insight:view', NULL, NULL) AS null_object,
       phrbac_user_can(4242, 1, 'insight:view') AS unknown_user;
COMMIT;

DROP ROLE regress_phrbac_plain;
REVOKE ALL ON FUNCTION phrbac_set_user(bigint, text, boolean) FROM regress_phrbac_backend, regress_phrbac_erin;
DROP ROLE regress_phrbac_backend;
DROP ROLE regress_phrbac_erin;

-- Leave an empty catalog for the suites that follow.
DROP EXTENSION phrbac;
CREATE EXTENSION phrbac;
