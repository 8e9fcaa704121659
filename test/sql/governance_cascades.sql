-- governance_cascades.sql: what hangs on a catalog row goes with it (README,
-- "Catalog (schema phrbac)"): a role, project, membership, user or
-- organization takes its rows along, also when an organization admin or
-- owner deletes it, with the decision cache on and off.

\i test/fixture/try.sql
\i test/fixture/governance.sql

-- What the other governance suites leave in Acme and Globex for this one to
-- remove: role Product design with an SSO mapping and an organization-wide
-- rule, a second mapping, project Sandbox open to viewers, a rule for
-- everyone in the organization and one on an object of Production, a rule
-- of Engineering in Staging, and a role of Globex.
INSERT INTO phrbac.roles (organization_id, name) VALUES (:acme, 'Product design') RETURNING id AS design \gset
INSERT INTO phrbac.roles (organization_id, name) VALUES (:globex, 'Engineering');
INSERT INTO phrbac.sso_group_mappings (organization_id, idp_group, org_role, role_id) VALUES
	(:acme, 'designers', 'member', :design), (:acme, 'it-admins', 'member', NULL);
INSERT INTO phrbac.projects (organization_id, name, default_role)
	VALUES (:acme, 'Sandbox', 'viewer') RETURNING id AS sandbox \gset
INSERT INTO phrbac.access_rules (organization_id, project_id, role_id, access) VALUES
	(:acme, NULL, NULL, 'insight:viewer'), (:acme, NULL, :design, 'notebook:editor'),
	(:acme, :prod, NULL, 'feature_flag/42:none'), (:acme, :staging, :eng, 'insight:editor');

--------------------------------------------------------------------------
-- ON DELETE: what hangs on a row goes with it, also when an
-- organization admin or owner deletes it
--------------------------------------------------------------------------
--
-- Each removal below is made by a principal allowed to make it; whatever
-- it leaves behind is then removed by the DBA, so that the suite goes on
-- from the same catalog either way.

-- A role: its SSO mappings and organization-wide rules (Product design) ...
CALL pg_temp.act_as('adam');
SELECT pg_temp.try(format('DELETE FROM phrbac.roles WHERE id = %s', :design)) AS admin_deletes_design;
SELECT (SELECT count(*) FROM phrbac.sso_group_mappings WHERE role_id = :design) AS sso_mappings,
       (SELECT count(*) FROM phrbac.access_rules WHERE role_id = :design) AS rules;
-- ... its members, project rows and rules (Engineering, with a row and a
-- rule in private Production and a rule in Staging).
SELECT (SELECT count(*) FROM phrbac.role_members WHERE role_id = :eng) AS role_members,
       (SELECT count(*) FROM phrbac.project_members WHERE role_id = :eng) AS project_rows,
       (SELECT count(*) FROM phrbac.access_rules WHERE role_id = :eng) AS rules;
SELECT pg_temp.try(format('DELETE FROM phrbac.roles WHERE id = %s', :eng)) AS admin_deletes_engineering;
SELECT (SELECT count(*) FROM phrbac.role_members WHERE role_id = :eng) AS role_members,
       (SELECT count(*) FROM phrbac.project_members WHERE role_id = :eng) AS project_rows,
       (SELECT count(*) FROM phrbac.access_rules WHERE role_id = :eng) AS rules;
CALL pg_temp.act_as(NULL);
DELETE FROM phrbac.roles WHERE id = :eng;

-- An organization membership: the user's role memberships, project rows
-- and rules in that organization (vic: viewer rows in Production and
-- Staging, and now role Leads and a rule in each).
INSERT INTO phrbac.role_members (role_id, user_id) VALUES (:leads, :vic);
INSERT INTO phrbac.access_rules (project_id, user_id, access) VALUES (:prod, :vic, 'insight:viewer'), (:staging, :vic, 'insight:viewer');
CALL pg_temp.act_as('adam');
SELECT pg_temp.try(format('DELETE FROM phrbac.organization_members WHERE organization_id = %s AND user_id = %s', :acme, :vic)) AS admin_removes_vic;
SELECT (SELECT count(*) FROM phrbac.role_members WHERE user_id = :vic) AS role_members,
       (SELECT count(*) FROM phrbac.project_members WHERE user_id = :vic) AS project_rows,
       (SELECT count(*) FROM phrbac.access_rules WHERE user_id = :vic) AS rules;
CALL pg_temp.act_as(NULL);
DELETE FROM phrbac.organization_members WHERE organization_id = :acme AND user_id = :vic;

-- A project: its rows and rules (Sandbox, open to viewers; Vault, private).
INSERT INTO phrbac.projects (organization_id, name, default_role)
	VALUES (:acme, 'Vault', 'none') RETURNING id AS vault \gset
INSERT INTO phrbac.project_members (project_id, user_id, role) VALUES (:sandbox, :mia, 'admin'), (:vault, :mia, 'admin');
INSERT INTO phrbac.project_members (project_id, role_id, role) VALUES (:vault, :leads, 'viewer');
INSERT INTO phrbac.access_rules (project_id, access) VALUES (:sandbox, 'insight:viewer'), (:vault, 'insight:viewer');
CALL pg_temp.act_as('adam');
SELECT pg_temp.try(format('DELETE FROM phrbac.projects WHERE id = %s', :sandbox)) AS admin_deletes_project;
CALL pg_temp.act_as('olive');
SELECT pg_temp.try(format('DELETE FROM phrbac.projects WHERE id = %s', :vault)) AS owner_deletes_private_project;
SELECT (SELECT count(*) FROM phrbac.projects WHERE id IN (:sandbox, :vault)) AS projects,
       (SELECT count(*) FROM phrbac.project_members WHERE project_id IN (:sandbox, :vault)) AS project_rows,
       (SELECT count(*) FROM phrbac.access_rules WHERE project_id IN (:sandbox, :vault)) AS rules;
CALL pg_temp.act_as(NULL);
DELETE FROM phrbac.projects WHERE id IN (:sandbox, :vault);

-- An organization: everything in it, deleted by its owner (Initech: a
-- private project with a member and a rule, a role with a member, an SSO
-- mapping).
INSERT INTO phrbac.organizations (name) VALUES ('Initech') RETURNING id AS initech \gset
INSERT INTO phrbac.organization_members (organization_id, user_id, role)
	VALUES (:initech, :fred, 'owner'), (:initech, :oscar, 'member');
INSERT INTO phrbac.projects (organization_id, name, default_role)
	VALUES (:initech, 'Mainframe', 'none') RETURNING id AS mainframe \gset
INSERT INTO phrbac.roles (organization_id, name) VALUES (:initech, 'Ops') RETURNING id AS ops \gset
INSERT INTO phrbac.role_members (role_id, user_id) VALUES (:ops, :oscar);
INSERT INTO phrbac.project_members (project_id, user_id, role) VALUES (:mainframe, :oscar, 'member');
INSERT INTO phrbac.access_rules (project_id, role_id, access) VALUES (:mainframe, :ops, 'insight:editor');
INSERT INTO phrbac.sso_group_mappings (organization_id, idp_group, role_id) VALUES (:initech, 'ops', :ops);
CALL pg_temp.act_as('fred');
SELECT pg_temp.try(format('DELETE FROM phrbac.organizations WHERE id = %s', :initech)) AS owner_deletes_initech;
CALL pg_temp.act_as(NULL);
SELECT (SELECT count(*) FROM phrbac.organizations WHERE id = :initech) AS organizations,
       (SELECT count(*) FROM phrbac.organization_members WHERE organization_id = :initech) AS members,
       (SELECT count(*) FROM phrbac.projects WHERE organization_id = :initech) AS projects,
       (SELECT count(*) FROM phrbac.roles WHERE organization_id = :initech) AS roles,
       (SELECT count(*) FROM phrbac.role_members WHERE organization_id = :initech) AS role_members,
       (SELECT count(*) FROM phrbac.project_members WHERE organization_id = :initech) AS project_rows,
       (SELECT count(*) FROM phrbac.access_rules WHERE organization_id = :initech) AS rules,
       (SELECT count(*) FROM phrbac.sso_group_mappings WHERE organization_id = :initech) AS sso_mappings;
DELETE FROM phrbac.organizations WHERE id = :initech;

-- The same with the decision cache off (README, "Concepts": no answer
-- depends on it):
-- an owner deletes a project open to members, then the organization
-- (Umbrella: the project with a member row and a rule).
INSERT INTO phrbac.organizations (name) VALUES ('Umbrella') RETURNING id AS umbrella \gset
INSERT INTO phrbac.organization_members (organization_id, user_id, role)
	VALUES (:umbrella, :fred, 'owner'), (:umbrella, :oscar, 'member');
INSERT INTO phrbac.projects (organization_id, name) VALUES (:umbrella, 'Lab') RETURNING id AS lab \gset
INSERT INTO phrbac.project_members (project_id, user_id, role) VALUES (:lab, :oscar, 'viewer');
INSERT INTO phrbac.access_rules (project_id, access) VALUES (:lab, 'insight:viewer');
SET phrbac.cache = off;
CALL pg_temp.act_as('oscar');
SELECT pg_temp.try(format('DELETE FROM phrbac.projects WHERE id = %s', :lab)) AS member_deletes_project_uncached;
CALL pg_temp.act_as('fred');
SELECT pg_temp.try(format('DELETE FROM phrbac.projects WHERE id = %s', :lab)) AS owner_deletes_project_uncached;
SELECT (SELECT count(*) FROM phrbac.projects WHERE id = :lab) AS projects,
       (SELECT count(*) FROM phrbac.project_members WHERE project_id = :lab) AS project_rows,
       (SELECT count(*) FROM phrbac.access_rules WHERE project_id = :lab) AS rules;
SELECT pg_temp.try(format('DELETE FROM phrbac.organizations WHERE id = %s', :umbrella)) AS owner_deletes_org_uncached;
SELECT (SELECT count(*) FROM phrbac.organizations WHERE id = :umbrella) AS organizations,
       (SELECT count(*) FROM phrbac.organization_members WHERE organization_id = :umbrella) AS members;
RESET phrbac.cache;
CALL pg_temp.act_as(NULL);
DELETE FROM phrbac.organizations WHERE id = :umbrella;

-- A user (by the DBA): their memberships everywhere.
INSERT INTO phrbac.organization_members (organization_id, user_id) VALUES (:acme, :nina), (:globex, :nina);
INSERT INTO phrbac.role_members (role_id, user_id) VALUES (:platform, :nina);
INSERT INTO phrbac.project_members (project_id, user_id, role) VALUES (:web, :nina, 'viewer');
DELETE FROM phrbac.users WHERE id = :nina;
SELECT (SELECT count(*) FROM phrbac.organization_members WHERE user_id = :nina) AS memberships,
       (SELECT count(*) FROM phrbac.role_members WHERE user_id = :nina) AS role_members,
       (SELECT count(*) FROM phrbac.project_members WHERE user_id = :nina) AS project_rows;

SELECT * FROM org_members;
SELECT * FROM project_rows;
SELECT * FROM rules;
SELECT * FROM role_rows;

--------------------------------------------------------------------------
-- Clean up: every catalog row of this suite
--------------------------------------------------------------------------

\i test/fixture/governance_cleanup.sql
