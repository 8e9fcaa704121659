-- governance_members.sql: who manages members (README, "Concepts", who may
-- change access).
--
-- Covers, each refused with its SQLSTATE and allowed where the README allows:
--   * organization members: only admins and owners add, change and remove
--     them; nobody changes their own organization role; only an owner makes,
--     changes or removes an owner; nobody grants a level above their own; a
--     member may leave; an expired or deactivated admin is no admin;
--   * project members: organization admins and the admins of that project
--     (by their own row or through a role), never another project's;
--   * their constraints: levels within range, one subject on
--     project_members, every project, role and user of a row in the row's
--     organization (23514), uniqueness (23505).

\i test/fixture/try.sql
\i test/fixture/governance.sql


SELECT * FROM org_members;
SELECT * FROM project_rows;
SELECT * FROM rules;

--------------------------------------------------------------------------
-- Organization members: only organization admins and owners manage them
--------------------------------------------------------------------------

-- A member may not add, change or remove anyone (42501).
CALL pg_temp.act_as('mia');
SELECT phrbac_org_role(:acme) AS mia_in_acme;
\set VERBOSITY default
INSERT INTO phrbac.organization_members (organization_id, user_id) VALUES (:acme, :nina);
\echo :SQLSTATE
SELECT pg_temp.try(format('UPDATE phrbac.organization_members SET role = %L WHERE organization_id = %s AND user_id = %s', 'admin', :acme, :pete)) AS member_promotes;
SELECT pg_temp.try(format('UPDATE phrbac.organization_members SET reason = %L WHERE organization_id = %s AND user_id = %s', 'x', :acme, :pete)) AS member_edits_reason;
SELECT pg_temp.try(format('DELETE FROM phrbac.organization_members WHERE organization_id = %s AND user_id = %s', :acme, :pete)) AS member_removes;
-- ... nor raise their own level
SELECT pg_temp.try(format('UPDATE phrbac.organization_members SET role = %L WHERE organization_id = %s AND user_id = %s', 'admin', :acme, :mia)) AS member_promotes_self;
-- ... nor add themselves to another organization
SELECT pg_temp.try(format('INSERT INTO phrbac.organization_members (organization_id, user_id) VALUES (%s, %s)', :globex, :mia)) AS member_joins_globex;

-- A project admin is no organization admin.
CALL pg_temp.act_as('pete');
SELECT pg_temp.try(format('INSERT INTO phrbac.organization_members (organization_id, user_id) VALUES (%s, %s)', :acme, :nina)) AS project_admin_adds_member;

-- The owner of another organization is nobody in Acme.
CALL pg_temp.act_as('gus');
SELECT pg_temp.try(format('INSERT INTO phrbac.organization_members (organization_id, user_id) VALUES (%s, %s)', :acme, :nina)) AS other_owner_adds_member;

-- An admin adds, changes and removes members and admins.
CALL pg_temp.act_as('adam');
SELECT phrbac_org_role(:acme) AS adam_in_acme;
SELECT pg_temp.try(format('INSERT INTO phrbac.organization_members (organization_id, user_id, reason) VALUES (%s, %s, %L)', :acme, :nina, 'new hire')) AS admin_adds_member;
SELECT pg_temp.try(format('UPDATE phrbac.organization_members SET role = %L WHERE organization_id = %s AND user_id = %s', 'admin', :acme, :nina)) AS admin_makes_admin;
SELECT pg_temp.try(format('UPDATE phrbac.organization_members SET role = %L, expires_at = now() + interval %L WHERE organization_id = %s AND user_id = %s', 'member', '30 days', :acme, :nina)) AS admin_demotes_admin;
SELECT pg_temp.try(format('DELETE FROM phrbac.organization_members WHERE organization_id = %s AND user_id = %s', :acme, :nina)) AS admin_removes_member;
SELECT pg_temp.try(format('INSERT INTO phrbac.organization_members (organization_id, user_id, role) VALUES (%s, %s, %L)', :acme, :nina, 'admin')) AS admin_adds_admin;
SELECT * FROM org_members WHERE organization = 'Acme';
-- the row records who wrote it
SELECT created_by = :adam AS created_by_adam FROM phrbac.organization_members
WHERE organization_id = :acme AND user_id = :nina;

-- Nobody grants a level above their own: an admin makes no owner.
INSERT INTO phrbac.organization_members (organization_id, user_id, role) VALUES (:acme, :oscar, 'owner');
\echo :SQLSTATE
SELECT pg_temp.try(format('UPDATE phrbac.organization_members SET role = %L WHERE organization_id = %s AND user_id = %s', 'owner', :acme, :mia)) AS admin_makes_owner;

-- An admin cannot change or remove an owner.
UPDATE phrbac.organization_members SET role = 'admin' WHERE organization_id = :acme AND user_id = :olive;
\echo :SQLSTATE
SELECT pg_temp.try(format('UPDATE phrbac.organization_members SET expires_at = now() WHERE organization_id = %s AND user_id = %s', :acme, :olive)) AS admin_expires_owner;
SELECT pg_temp.try(format('DELETE FROM phrbac.organization_members WHERE organization_id = %s AND user_id = %s', :acme, :olive)) AS admin_removes_owner;

-- Nobody changes their own organization role, up or down.
UPDATE phrbac.organization_members SET role = 'member' WHERE organization_id = :acme AND user_id = :adam;
\echo :SQLSTATE
SELECT pg_temp.try(format('UPDATE phrbac.organization_members SET role = %L WHERE organization_id = %s AND user_id = %s', 'owner', :acme, :adam)) AS admin_promotes_self;
-- ... though an admin may edit the rest of their own row
SELECT pg_temp.try(format('UPDATE phrbac.organization_members SET reason = %L WHERE organization_id = %s AND user_id = %s', 'platform lead', :acme, :adam)) AS admin_edits_own_reason;

-- An admin of Acme is nobody in Globex.
SELECT pg_temp.try(format('INSERT INTO phrbac.organization_members (organization_id, user_id) VALUES (%s, %s)', :globex, :nina)) AS admin_adds_to_globex;
SELECT pg_temp.try(format('UPDATE phrbac.organization_members SET role = %L WHERE organization_id = %s AND user_id = %s', 'admin', :globex, :gina)) AS admin_changes_globex;
-- ... and cannot move a membership there
SELECT pg_temp.try(format('UPDATE phrbac.organization_members SET organization_id = %s WHERE organization_id = %s AND user_id = %s', :globex, :acme, :nina)) AS admin_moves_member;

-- An owner makes an owner, and changes and removes another owner.
CALL pg_temp.act_as('olive');
SELECT pg_temp.try(format('INSERT INTO phrbac.organization_members (organization_id, user_id, role) VALUES (%s, %s, %L)', :acme, :oscar, 'owner')) AS owner_adds_owner;
SELECT pg_temp.try(format('UPDATE phrbac.organization_members SET role = %L WHERE organization_id = %s AND user_id = %s', 'admin', :acme, :oscar)) AS owner_demotes_owner;
SELECT pg_temp.try(format('UPDATE phrbac.organization_members SET role = %L WHERE organization_id = %s AND user_id = %s', 'owner', :acme, :oscar)) AS owner_promotes_to_owner;
-- ... but not their own role, even with another owner beside them
SELECT pg_temp.try(format('UPDATE phrbac.organization_members SET role = %L WHERE organization_id = %s AND user_id = %s', 'admin', :acme, :olive)) AS owner_demotes_self;
SELECT pg_temp.try(format('DELETE FROM phrbac.organization_members WHERE organization_id = %s AND user_id = %s', :acme, :oscar)) AS owner_removes_owner;
SELECT * FROM org_members WHERE organization = 'Acme';

-- A member may leave.
CALL pg_temp.act_as('nina');
SELECT pg_temp.try(format('DELETE FROM phrbac.organization_members WHERE organization_id = %s AND user_id = %s', :acme, :nina)) AS member_leaves;
SELECT count(*) AS nina_rows FROM phrbac.organization_members WHERE user_id = :nina;

-- Organization levels are member, admin and owner (23514).
CALL pg_temp.act_as('olive');
SELECT pg_temp.try(format('INSERT INTO phrbac.organization_members (organization_id, user_id, role) VALUES (%s, %s, %L)', :acme, :nina, 'viewer')) AS org_viewer;
SELECT pg_temp.try(format('INSERT INTO phrbac.organization_members (organization_id, user_id, role) VALUES (%s, %s, %L)', :acme, :nina, 'none')) AS org_none;
-- One membership per user and organization (23505).
SELECT pg_temp.try(format('INSERT INTO phrbac.organization_members (organization_id, user_id) VALUES (%s, %s)', :acme, :mia)) AS duplicate_member;

-- An admin whose membership has expired, or who is deactivated, is no admin.
CALL pg_temp.act_as(NULL);
UPDATE phrbac.organization_members SET expires_at = now() - interval '1 second'
WHERE organization_id = :acme AND user_id = :adam;
CALL pg_temp.act_as('adam');
SELECT phrbac_org_role(:acme) AS expired_adam;
SELECT pg_temp.try(format('INSERT INTO phrbac.organization_members (organization_id, user_id) VALUES (%s, %s)', :acme, :nina)) AS expired_admin_adds;
CALL pg_temp.act_as(NULL);
UPDATE phrbac.organization_members SET expires_at = NULL WHERE organization_id = :acme AND user_id = :adam;
UPDATE phrbac.users SET is_active = false WHERE id = :adam;
CALL pg_temp.act_as('adam');
SELECT phrbac_org_role(:acme) AS deactivated_adam;
SELECT pg_temp.try(format('INSERT INTO phrbac.organization_members (organization_id, user_id) VALUES (%s, %s)', :acme, :nina)) AS deactivated_admin_adds;
CALL pg_temp.act_as(NULL);
UPDATE phrbac.users SET is_active = true WHERE id = :adam;
SELECT count(*) AS nina_rows FROM phrbac.organization_members WHERE user_id = :nina;

--------------------------------------------------------------------------
-- Project members: organization admins and that project's admins
--------------------------------------------------------------------------

-- A member, a project member and a project viewer may not (42501).
CALL pg_temp.act_as('mia');
SELECT phrbac_project_role(:prod) AS mia_in_prod;
INSERT INTO phrbac.project_members (project_id, user_id, role) VALUES (:prod, :rita, 'member');
\echo :SQLSTATE
SELECT pg_temp.try(format('UPDATE phrbac.project_members SET role = %L WHERE project_id = %s AND role_id = %s', 'admin', :prod, :eng)) AS project_member_promotes_role;
CALL pg_temp.act_as('vic');
SELECT phrbac_project_role(:prod) AS vic_in_prod;
SELECT pg_temp.try(format('INSERT INTO phrbac.project_members (project_id, user_id, role) VALUES (%s, %s, %L)', :prod, :rita, 'member')) AS project_viewer_adds;
SELECT pg_temp.try(format('DELETE FROM phrbac.project_members WHERE project_id = %s AND user_id = %s', :prod, :vic)) AS project_viewer_removes_self;

-- Pete, Production's admin by his own row, manages its members ...
CALL pg_temp.act_as('pete');
SELECT phrbac_project_role(:prod) AS pete_in_prod, phrbac_project_role(:staging) AS pete_in_staging;
SELECT pg_temp.try(format('INSERT INTO phrbac.project_members (project_id, user_id, role) VALUES (%s, %s, %L)', :prod, :rita, 'member')) AS project_admin_adds;
SELECT pg_temp.try(format('UPDATE phrbac.project_members SET role = %L WHERE project_id = %s AND user_id = %s', 'admin', :prod, :rita)) AS project_admin_makes_admin;
SELECT pg_temp.try(format('UPDATE phrbac.project_members SET role = %L, reason = %L WHERE project_id = %s AND user_id = %s', 'viewer', 'read only', :prod, :rita)) AS project_admin_demotes;
SELECT pg_temp.try(format('INSERT INTO phrbac.project_members (project_id, role_id, role) VALUES (%s, %s, %L)', :prod, :leads, 'viewer')) AS project_admin_adds_role;
SELECT pg_temp.try(format('DELETE FROM phrbac.project_members WHERE project_id = %s AND role_id = %s', :prod, :leads)) AS project_admin_removes_role;
SELECT pg_temp.try(format('DELETE FROM phrbac.project_members WHERE project_id = %s AND user_id = %s', :prod, :rita)) AS project_admin_removes;
-- ... but not Staging's, nor Globex's
SELECT pg_temp.try(format('INSERT INTO phrbac.project_members (project_id, user_id, role) VALUES (%s, %s, %L)', :staging, :mia, 'admin')) AS project_admin_other_project;
SELECT pg_temp.try(format('UPDATE phrbac.project_members SET role = %L WHERE project_id = %s AND user_id = %s', 'member', :staging, :vic)) AS project_admin_changes_other_project;
SELECT pg_temp.try(format('DELETE FROM phrbac.project_members WHERE project_id = %s AND user_id = %s', :staging, :vic)) AS project_admin_removes_other_project;
SELECT pg_temp.try(format('INSERT INTO phrbac.project_members (project_id, user_id, role) VALUES (%s, %s, %L)', :web, :gina, 'admin')) AS project_admin_globex;
-- ... and cannot move a row of Production to Staging.
SELECT pg_temp.try(format('UPDATE phrbac.project_members SET project_id = %s WHERE project_id = %s AND user_id = %s', :staging, :prod, :vic)) AS project_admin_moves_row;

-- Rita is Staging's admin through role Leads.
CALL pg_temp.act_as('rita');
SELECT phrbac_project_role(:staging) AS rita_in_staging;
SELECT pg_temp.try(format('INSERT INTO phrbac.project_members (project_id, user_id, role) VALUES (%s, %s, %L)', :staging, :mia, 'viewer')) AS role_project_admin_adds;
SELECT pg_temp.try(format('DELETE FROM phrbac.project_members WHERE project_id = %s AND user_id = %s', :staging, :mia)) AS role_project_admin_removes;
SELECT pg_temp.try(format('INSERT INTO phrbac.project_members (project_id, user_id, role) VALUES (%s, %s, %L)', :prod, :mia, 'viewer')) AS role_project_admin_other_project;

-- Organization admins and owners manage every project's members, private
-- ones too: they are admins in every project of their organization.
CALL pg_temp.act_as('adam');
SELECT phrbac_project_role(:prod) AS adam_in_prod, phrbac_project_role(:staging) AS adam_in_staging;
SELECT pg_temp.try(format('INSERT INTO phrbac.project_members (project_id, user_id, role) VALUES (%s, %s, %L)', :staging, :mia, 'admin')) AS admin_adds_staging;
SELECT pg_temp.try(format('DELETE FROM phrbac.project_members WHERE project_id = %s AND user_id = %s', :staging, :mia)) AS admin_removes_staging;
SELECT pg_temp.try(format('INSERT INTO phrbac.project_members (project_id, user_id, role) VALUES (%s, %s, %L)', :prod, :rita, 'viewer')) AS admin_adds_private;
SELECT * FROM project_rows WHERE subject = 'rita';
SELECT pg_temp.try(format('UPDATE phrbac.project_members SET role = %L WHERE project_id = %s AND user_id = %s', 'admin', :prod, :rita)) AS admin_changes_private;
SELECT pg_temp.try(format('DELETE FROM phrbac.project_members WHERE project_id = %s AND user_id = %s', :prod, :rita)) AS admin_removes_private;
CALL pg_temp.act_as('olive');
SELECT phrbac_project_role(:prod) AS olive_in_prod;
SELECT pg_temp.try(format('INSERT INTO phrbac.project_members (project_id, user_id, role) VALUES (%s, %s, %L)', :prod, :rita, 'member')) AS owner_adds_private;
SELECT pg_temp.try(format('DELETE FROM phrbac.project_members WHERE project_id = %s AND user_id = %s', :prod, :rita)) AS owner_removes_private;
-- ... even where a row of their own says none.
CALL pg_temp.act_as(NULL);
INSERT INTO phrbac.project_members (project_id, user_id, role) VALUES (:staging, :adam, 'none');
CALL pg_temp.act_as('adam');
SELECT phrbac_project_role(:staging) AS adam_in_staging_with_none_row;
SELECT pg_temp.try(format('INSERT INTO phrbac.project_members (project_id, user_id, role) VALUES (%s, %s, %L)', :staging, :mia, 'viewer')) AS admin_with_none_row_adds;
SELECT pg_temp.try(format('DELETE FROM phrbac.project_members WHERE project_id = %s AND user_id IN (%s, %s)', :staging, :mia, :adam)) AS admin_with_none_row_removes;
CALL pg_temp.act_as(NULL);
DELETE FROM phrbac.project_members WHERE project_id = :staging AND user_id IN (:mia, :adam);
SELECT * FROM project_rows WHERE subject IN ('rita', 'mia', 'adam');

-- Catalog constraints (any principal, or none).
CALL pg_temp.act_as(NULL);
-- exactly one subject: a user or a role (23514)
SELECT pg_temp.try(format('INSERT INTO phrbac.project_members (project_id, user_id, role_id, role) VALUES (%s, %s, %s, %L)', :staging, :mia, :eng, 'member')) AS user_and_role;
SELECT pg_temp.try(format('INSERT INTO phrbac.project_members (project_id, role) VALUES (%s, %L)', :staging, 'member')) AS no_subject;
-- project levels are none to admin (23514)
SELECT pg_temp.try(format('INSERT INTO phrbac.project_members (project_id, user_id, role) VALUES (%s, %s, %L)', :staging, :mia, 'owner')) AS project_owner;
-- one row per project and user, per project and role (23505)
SELECT pg_temp.try(format('INSERT INTO phrbac.project_members (project_id, user_id, role) VALUES (%s, %s, %L)', :prod, :pete, 'member')) AS duplicate_user_row;
SELECT pg_temp.try(format('INSERT INTO phrbac.project_members (project_id, role_id, role) VALUES (%s, %s, %L)', :prod, :eng, 'viewer')) AS duplicate_role_row;
-- every project, role and user of the row in one organization (23514)
SELECT pg_temp.try(format('INSERT INTO phrbac.project_members (project_id, user_id, role) VALUES (%s, %s, %L)', :staging, :nina, 'member')) AS non_member_row;
SELECT pg_temp.try(format('INSERT INTO phrbac.project_members (project_id, user_id, role) VALUES (%s, %s, %L)', :staging, :gina, 'member')) AS globex_member_row;
SELECT pg_temp.try(format('INSERT INTO phrbac.project_members (project_id, role_id, role) VALUES (%s, %s, %L)', :staging, :platform, 'member')) AS globex_role_row;
SELECT pg_temp.try(format('INSERT INTO phrbac.project_members (organization_id, project_id, user_id, role) VALUES (%s, %s, %s, %L)', :acme, :web, :mia, 'member')) AS globex_project_acme_row;
SELECT pg_temp.try(format('UPDATE phrbac.project_members SET project_id = %s WHERE project_id = %s AND user_id = %s', :web, :prod, :pete)) AS row_moved_to_globex;
SELECT * FROM project_rows;

--------------------------------------------------------------------------
-- Clean up: every catalog row of this suite
--------------------------------------------------------------------------

\i test/fixture/governance_cleanup.sql
