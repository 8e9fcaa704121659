-- governance_invariants.sql: what holds whoever changes the catalog
-- (README, "Concepts", who may change access; "Errors").
--
-- Covers:
--   * the last owner of an organization is never removed or demoted (23514),
--     by a principal or by the DBA, also when the user row goes or the
--     membership moves, while an organization may go as a whole;
--   * nothing half-written: a refused multi-row statement leaves no row;
--   * no principal: the DBA's table privileges decide, the invariants hold;
--     a database login mapped to a user is that user.

\i test/fixture/try.sql
\i test/fixture/governance.sql

--------------------------------------------------------------------------
-- The last owner of an organization stays (23514)
--------------------------------------------------------------------------

-- Olive is Acme's only owner again.
CALL pg_temp.act_as(NULL);
SELECT * FROM org_members WHERE role = 'owner';

-- The owner herself may not leave.
CALL pg_temp.act_as('olive');
DELETE FROM phrbac.organization_members WHERE organization_id = :acme AND user_id = :olive;
\echo :SQLSTATE

-- By the DBA, with no principal: the invariant holds all the same.
CALL pg_temp.act_as(NULL);
UPDATE phrbac.organization_members SET role = 'admin' WHERE organization_id = :acme AND user_id = :olive;
\echo :SQLSTATE
SELECT pg_temp.try(format('DELETE FROM phrbac.organization_members WHERE organization_id = %s AND user_id = %s', :acme, :olive)) AS dba_removes_last_owner;
-- ... also when the membership moves to another organization
SELECT pg_temp.try(format('UPDATE phrbac.organization_members SET organization_id = %s WHERE organization_id = %s AND user_id = %s', :globex, :acme, :olive)) AS dba_moves_last_owner;
-- ... and when the user goes (the membership would go with them)
SELECT pg_temp.try(format('DELETE FROM phrbac.users WHERE id = %s', :olive)) AS dba_deletes_last_owner_user;
-- ... and when every member goes in one statement
SELECT pg_temp.try(format('DELETE FROM phrbac.organization_members WHERE organization_id = %s', :acme)) AS dba_removes_everyone;
SELECT count(*) AS acme_members FROM phrbac.organization_members WHERE organization_id = :acme;

-- An owner whose membership has expired is no owner to keep.
INSERT INTO phrbac.organization_members (organization_id, user_id, role, expires_at)
VALUES (:acme, :oscar, 'owner', now() - interval '1 day');
SELECT pg_temp.try(format('UPDATE phrbac.organization_members SET role = %L WHERE organization_id = %s AND user_id = %s', 'admin', :acme, :olive)) AS demote_beside_expired_owner;

-- With two owners, either may go: one is demoted, the other leaves.
UPDATE phrbac.organization_members SET expires_at = NULL WHERE organization_id = :acme AND user_id = :oscar;
CALL pg_temp.act_as('oscar');
SELECT pg_temp.try(format('UPDATE phrbac.organization_members SET role = %L WHERE organization_id = %s AND user_id = %s', 'admin', :acme, :olive)) AS owner_demotes_other_owner;
SELECT pg_temp.try(format('UPDATE phrbac.organization_members SET role = %L WHERE organization_id = %s AND user_id = %s', 'owner', :acme, :olive)) AS owner_promotes_back;
CALL pg_temp.act_as('olive');
SELECT pg_temp.try(format('DELETE FROM phrbac.organization_members WHERE organization_id = %s AND user_id = %s', :acme, :oscar)) AS owner_removes_second_owner;
-- ... and then the last one may not.
SELECT pg_temp.try(format('DELETE FROM phrbac.organization_members WHERE organization_id = %s AND user_id = %s', :acme, :olive)) AS last_owner_leaves;
CALL pg_temp.act_as(NULL);
SELECT * FROM org_members WHERE organization = 'Acme';

--------------------------------------------------------------------------
-- Nothing half-written: a refused statement leaves none of its rows
--------------------------------------------------------------------------

CALL pg_temp.act_as('adam');
-- the last of three new members is an owner, which an admin may not make
SELECT pg_temp.try(format('INSERT INTO phrbac.organization_members (organization_id, user_id, role) VALUES (%s, %s, %L), (%s, %s, %L), (%s, %s, %L)',
	:acme, :nina, 'member', :acme, :fred, 'admin', :acme, :oscar, 'owner')) AS three_members_one_owner;
SELECT count(*) AS written FROM phrbac.organization_members
WHERE organization_id = :acme AND user_id IN (:nina, :fred, :oscar);
-- the second of two rules names Globex's role
SELECT pg_temp.try(format('INSERT INTO phrbac.access_rules (project_id, role_id, access) VALUES (%s, %s, %L), (%s, %s, %L)',
	:staging, :eng, 'cohort:viewer', :staging, :platform, 'cohort:viewer')) AS two_rules_one_foreign;
SELECT count(*) AS written FROM phrbac.access_rules WHERE access = 'cohort:viewer';
-- three members to expire and set to member: one of them is adam himself,
-- whose own role may not change
SELECT pg_temp.try(format('UPDATE phrbac.organization_members SET role = %L, expires_at = now() + interval %L WHERE organization_id = %s AND user_id IN (%s, %s, %s)',
	'member', '90 days', :acme, :pete, :rita, :adam)) AS expire_three_one_self;
SELECT * FROM org_members WHERE organization = 'Acme';
-- Pete's delete of vic's project rows reaches Staging's, which is not his
CALL pg_temp.act_as('pete');
SELECT pg_temp.try(format('DELETE FROM phrbac.project_members WHERE user_id = %s', :vic)) AS delete_vic_everywhere;
SELECT pg_temp.try(format('INSERT INTO phrbac.project_members (project_id, user_id, role) VALUES (%s, %s, %L), (%s, %s, %L)',
	:prod, :rita, 'member', :staging, :rita, 'member')) AS add_rita_twice;
SELECT * FROM project_rows WHERE subject IN ('vic', 'rita');

--------------------------------------------------------------------------
-- No principal: the database role's table privileges decide
--------------------------------------------------------------------------

CALL pg_temp.act_as(NULL);

-- A database role with no privilege on the catalog changes nothing.
CREATE ROLE regress_governance_nobody;
SET ROLE regress_governance_nobody;
SELECT phrbac_principal_user_id() IS NULL AS no_principal;
\set VERBOSITY default
INSERT INTO phrbac.organization_members (organization_id, user_id) VALUES (:acme, :fred);
\echo :SQLSTATE
RESET ROLE;

-- A maintenance role granted the tables changes them like the DBA ...
CREATE ROLE regress_governance_dba;
GRANT USAGE ON SCHEMA phrbac TO regress_governance_dba;
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA phrbac TO regress_governance_dba;
SET ROLE regress_governance_dba;
INSERT INTO phrbac.organization_members (organization_id, user_id, role) VALUES (:acme, :fred, 'owner');
UPDATE phrbac.organization_members SET role = 'admin' WHERE organization_id = :acme AND user_id = :fred;
-- ... within the invariants
UPDATE phrbac.organization_members SET role = 'member' WHERE organization_id = :acme AND user_id = :olive;
\echo :SQLSTATE
RESET ROLE;
SELECT * FROM org_members WHERE member = 'fred';

-- A login mapped to a user (users.db_role) is that user: a member, here.
CREATE ROLE regress_governance_mia;
GRANT regress_governance_dba TO regress_governance_mia;
UPDATE phrbac.users SET db_role = 'regress_governance_mia' WHERE id = :mia;
SET SESSION AUTHORIZATION regress_governance_mia;
SELECT phrbac_principal_user_id() = :mia AS mia_is_principal;
DELETE FROM phrbac.organization_members WHERE organization_id = :acme AND user_id = :fred;
\echo :SQLSTATE
RESET SESSION AUTHORIZATION;
SELECT * FROM org_members WHERE member = 'fred';

--------------------------------------------------------------------------
-- Clean up: every catalog row and database role of this suite
--------------------------------------------------------------------------

\i test/fixture/governance_cleanup.sql
REVOKE ALL ON ALL TABLES IN SCHEMA phrbac FROM regress_governance_dba;
REVOKE ALL ON SCHEMA phrbac FROM regress_governance_dba;
DROP ROLE regress_governance_mia;
DROP ROLE regress_governance_dba;
DROP ROLE regress_governance_nobody;
