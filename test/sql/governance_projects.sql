-- governance_projects.sql: who manages organizations, projects and roles
-- (README, "Concepts", who may change access).
--
-- Covers, each refused with its SQLSTATE and allowed where the README allows:
--   * organizations: anyone founds one and makes themself its owner, nobody
--     takes over one; settings: admins; deleting one: owners;
--   * users: the DBA's; a principal edits only their own name and email;
--   * projects, roles, role members and SSO group mappings: organization
--     admins only, in their own organization (a mapping to owner: owners);
--   * their constraints: a role's name unique in its organization (23505),
--     every role and user of a row in the row's organization (23514).

\i test/fixture/try.sql
\i test/fixture/governance.sql

--------------------------------------------------------------------------
-- Organizations (anyone founds one; admins change settings, owners
-- delete) and their founders
--------------------------------------------------------------------------

-- Fred founds Hooli and makes himself its owner; nobody else joins by
-- themselves once it has a member.
CALL pg_temp.act_as('fred');
INSERT INTO phrbac.organizations (name) VALUES ('Hooli') RETURNING id AS hooli \gset
SELECT pg_temp.try(format('INSERT INTO phrbac.organization_members (organization_id, user_id, role) VALUES (%s, %s, %L)', :hooli, :fred, 'owner')) AS founder_becomes_owner;
CALL pg_temp.act_as('nina');
SELECT pg_temp.try(format('INSERT INTO phrbac.organization_members (organization_id, user_id, role) VALUES (%s, %s, %L)', :hooli, :nina, 'owner')) AS second_founder;
CALL pg_temp.act_as('fred');
SELECT pg_temp.try(format('INSERT INTO phrbac.organization_members (organization_id, user_id, role) VALUES (%s, %s, %L)', :hooli, :nina, 'admin')) AS founder_adds_admin;
-- An organization with no member yet belongs to its founder, not to whoever
-- comes first.
INSERT INTO phrbac.organizations (name) VALUES ('Pied Piper') RETURNING id AS piper \gset
CALL pg_temp.act_as('nina');
SELECT pg_temp.try(format('INSERT INTO phrbac.organization_members (organization_id, user_id, role) VALUES (%s, %s, %L)', :piper, :nina, 'owner')) AS takeover_of_empty_organization;

-- Settings: admins only.
CALL pg_temp.act_as('mia');
SELECT pg_temp.try(format('UPDATE phrbac.organizations SET enforce_sso = true WHERE id = %s', :acme)) AS member_changes_settings;
CALL pg_temp.act_as('adam');
SELECT pg_temp.try(format('UPDATE phrbac.organizations SET members_can_use_api_keys = false WHERE id = %s', :acme)) AS admin_changes_settings;
SELECT pg_temp.try(format('UPDATE phrbac.organizations SET members_can_use_api_keys = true WHERE id = %s', :acme)) AS admin_changes_back;
SELECT pg_temp.try(format('UPDATE phrbac.organizations SET resolution = %L WHERE id = %s', 'maximum', :acme)) AS bad_resolution;

-- Deleting an organization: owners only.
CALL pg_temp.act_as('nina');
SELECT pg_temp.try(format('DELETE FROM phrbac.organizations WHERE id = %s', :hooli)) AS admin_deletes_org;
CALL pg_temp.act_as('fred');
SELECT pg_temp.try(format('DELETE FROM phrbac.organizations WHERE id = %s', :hooli)) AS owner_deletes_org;
SELECT count(*) AS hooli_members FROM phrbac.organization_members WHERE organization_id = :hooli;
CALL pg_temp.act_as(NULL);
DELETE FROM phrbac.organizations WHERE id = :hooli;

-- Users are the DBA's (or SSO's): a principal edits only their own name
-- and email.
CALL pg_temp.act_as('adam');
SELECT pg_temp.try($$INSERT INTO phrbac.users (email) VALUES ('zed@governance.test')$$) AS admin_creates_user;
SELECT pg_temp.try(format('UPDATE phrbac.users SET name = %L WHERE id = %s', 'mia!', :mia)) AS admin_renames_other;
SELECT pg_temp.try(format('UPDATE phrbac.users SET is_active = false WHERE id = %s', :mia)) AS admin_deactivates;
SELECT pg_temp.try(format('UPDATE phrbac.users SET name = %L WHERE id = %s', 'adam', :adam)) AS renames_self;
SELECT pg_temp.try(format('UPDATE phrbac.users SET db_role = %L WHERE id = %s', 'postgres', :adam)) AS maps_self_to_login;

--------------------------------------------------------------------------
-- Projects, roles and SSO group mappings: organization admins
--------------------------------------------------------------------------

CALL pg_temp.act_as('mia');
SELECT pg_temp.try(format('INSERT INTO phrbac.projects (organization_id, name) VALUES (%s, %L)', :acme, 'Sandbox')) AS member_creates_project;
SELECT pg_temp.try(format('UPDATE phrbac.projects SET default_role = %L WHERE id = %s', 'admin', :staging)) AS member_changes_project;
SELECT pg_temp.try(format('DELETE FROM phrbac.projects WHERE id = %s', :staging)) AS member_deletes_project;
SELECT pg_temp.try(format('INSERT INTO phrbac.roles (organization_id, name) VALUES (%s, %L)', :acme, 'Design')) AS member_creates_role;
SELECT pg_temp.try(format('UPDATE phrbac.roles SET name = %L WHERE id = %s', 'Eng', :eng)) AS member_renames_role;
SELECT pg_temp.try(format('DELETE FROM phrbac.roles WHERE id = %s', :eng)) AS member_deletes_role;
SELECT pg_temp.try(format('INSERT INTO phrbac.sso_group_mappings (organization_id, idp_group, org_role) VALUES (%s, %L, %L)', :acme, 'everyone', 'member')) AS member_maps_group;

-- A project admin is no organization admin either.
CALL pg_temp.act_as('pete');
SELECT pg_temp.try(format('INSERT INTO phrbac.projects (organization_id, name) VALUES (%s, %L)', :acme, 'Sandbox')) AS project_admin_creates_project;
SELECT pg_temp.try(format('UPDATE phrbac.projects SET name = %L WHERE id = %s', 'Prod', :prod)) AS project_admin_renames_project;

CALL pg_temp.act_as('adam');
SELECT pg_temp.try(format('INSERT INTO phrbac.projects (organization_id, name) VALUES (%s, %L)', :acme, 'Sandbox')) AS admin_creates_project;
SELECT id AS sandbox FROM phrbac.projects WHERE organization_id = :acme AND name = 'Sandbox' \gset
SELECT pg_temp.try(format('UPDATE phrbac.projects SET default_role = %L WHERE id = %s', 'viewer', :sandbox)) AS admin_changes_project;
SELECT pg_temp.try(format('UPDATE phrbac.projects SET default_role = %L WHERE id = %s', 'owner', :sandbox)) AS project_default_owner;
SELECT pg_temp.try(format('INSERT INTO phrbac.roles (organization_id, name) VALUES (%s, %L)', :acme, 'Design')) AS admin_creates_role;
SELECT id AS design FROM phrbac.roles WHERE organization_id = :acme AND name = 'Design' \gset
SELECT pg_temp.try(format('UPDATE phrbac.roles SET name = %L WHERE id = %s', 'Product design', :design)) AS admin_renames_role;
SELECT pg_temp.try(format('INSERT INTO phrbac.sso_group_mappings (organization_id, idp_group, org_role, role_id) VALUES (%s, %L, %L, %s)', :acme, 'designers', 'member', :design)) AS admin_maps_group;
SELECT pg_temp.try(format('INSERT INTO phrbac.sso_group_mappings (organization_id, idp_group, org_role) VALUES (%s, %L, %L)', :acme, 'it-admins', 'admin')) AS admin_maps_group_to_admin;
-- A mapping to owner makes owners at login: owners only.
SELECT pg_temp.try(format('INSERT INTO phrbac.sso_group_mappings (organization_id, idp_group, org_role) VALUES (%s, %L, %L)', :acme, 'founders', 'owner')) AS admin_maps_group_to_owner;
-- A role's name is unique in its organization (23505), not across them.
SELECT pg_temp.try(format('INSERT INTO phrbac.roles (organization_id, name) VALUES (%s, %L)', :acme, 'Engineering')) AS duplicate_role;
-- An SSO mapping names a role of its own organization (23514).
SELECT pg_temp.try(format('INSERT INTO phrbac.sso_group_mappings (organization_id, idp_group, role_id) VALUES (%s, %L, %s)', :acme, 'platform', :platform)) AS mapping_to_globex_role;
-- ... and a level or a role (23514)
SELECT pg_temp.try(format('INSERT INTO phrbac.sso_group_mappings (organization_id, idp_group) VALUES (%s, %L)', :acme, 'nothing')) AS mapping_to_nothing;

-- Acme's admin does nothing in Globex, nor moves Acme's rows there.
SELECT pg_temp.try(format('INSERT INTO phrbac.projects (organization_id, name) VALUES (%s, %L)', :globex, 'Sandbox')) AS admin_creates_globex_project;
SELECT pg_temp.try(format('UPDATE phrbac.projects SET organization_id = %s WHERE id = %s', :globex, :sandbox)) AS admin_moves_project;
SELECT pg_temp.try(format('INSERT INTO phrbac.roles (organization_id, name) VALUES (%s, %L)', :globex, 'Design')) AS admin_creates_globex_role;
SELECT pg_temp.try(format('DELETE FROM phrbac.roles WHERE id = %s', :platform)) AS admin_deletes_globex_role;
SELECT pg_temp.try(format('INSERT INTO phrbac.sso_group_mappings (organization_id, idp_group, org_role) VALUES (%s, %L, %L)', :globex, 'everyone', 'member')) AS admin_maps_globex_group;

-- A member changes no mapping; an admin does.
CALL pg_temp.act_as('mia');
SELECT pg_temp.try(format('UPDATE phrbac.sso_group_mappings SET org_role = %L WHERE organization_id = %s AND idp_group = %L', 'admin', :acme, 'designers')) AS member_changes_mapping;
SELECT pg_temp.try(format('DELETE FROM phrbac.sso_group_mappings WHERE organization_id = %s', :acme)) AS member_deletes_mappings;
CALL pg_temp.act_as('adam');
SELECT pg_temp.try(format('UPDATE phrbac.sso_group_mappings SET org_role = %L WHERE organization_id = %s AND idp_group = %L', 'member', :acme, 'it-admins')) AS admin_changes_mapping;

-- Globex's owner creates the same role name in Globex.
CALL pg_temp.act_as('gus');
SELECT pg_temp.try(format('INSERT INTO phrbac.roles (organization_id, name) VALUES (%s, %L)', :globex, 'Engineering')) AS same_name_in_globex;
CALL pg_temp.act_as(NULL);
SELECT * FROM role_rows;
SELECT o.name AS organization, g.idp_group, g.org_role, r.name AS role
FROM phrbac.sso_group_mappings AS g
JOIN phrbac.organizations AS o ON o.id = g.organization_id
LEFT JOIN phrbac.roles AS r ON r.id = g.role_id
WHERE g.organization_id IN (:acme, :globex) ORDER BY 1, 2;

--------------------------------------------------------------------------
-- Role members: organization admins; same organization
--------------------------------------------------------------------------

CALL pg_temp.act_as('mia');
SELECT pg_temp.try(format('INSERT INTO phrbac.role_members (role_id, user_id) VALUES (%s, %s)', :eng, :pete)) AS member_adds_role_member;
SELECT pg_temp.try(format('DELETE FROM phrbac.role_members WHERE role_id = %s AND user_id = %s', :eng, :mia)) AS member_leaves_role;
CALL pg_temp.act_as('rita');
-- a role that is a project's admin gives no say over role members
SELECT pg_temp.try(format('INSERT INTO phrbac.role_members (role_id, user_id) VALUES (%s, %s)', :leads, :pete)) AS project_admin_role_adds;
CALL pg_temp.act_as('adam');
SELECT pg_temp.try(format('INSERT INTO phrbac.role_members (role_id, user_id) VALUES (%s, %s)', :eng, :pete)) AS admin_adds_role_member;
SELECT pg_temp.try(format('UPDATE phrbac.role_members SET expires_at = now() + interval %L WHERE role_id = %s AND user_id = %s', '7 days', :eng, :pete)) AS admin_changes_role_member;
SELECT pg_temp.try(format('DELETE FROM phrbac.role_members WHERE role_id = %s AND user_id = %s', :eng, :pete)) AS admin_removes_role_member;
-- uniqueness (23505)
SELECT pg_temp.try(format('INSERT INTO phrbac.role_members (role_id, user_id) VALUES (%s, %s)', :eng, :mia)) AS duplicate_role_member;
-- the member must belong to the role's organization (23514)
SELECT pg_temp.try(format('INSERT INTO phrbac.role_members (role_id, user_id) VALUES (%s, %s)', :eng, :nina)) AS non_member_in_role;
SELECT pg_temp.try(format('INSERT INTO phrbac.role_members (role_id, user_id) VALUES (%s, %s)', :eng, :gina)) AS globex_member_in_role;
-- ... and the role to the row's organization (23514)
SELECT pg_temp.try(format('INSERT INTO phrbac.role_members (organization_id, role_id, user_id) VALUES (%s, %s, %s)', :acme, :platform, :mia)) AS globex_role_in_acme;
SELECT pg_temp.try(format('INSERT INTO phrbac.role_members (role_id, user_id) VALUES (%s, %s)', :platform, :mia)) AS acme_member_in_globex_role;
-- ... also by the DBA, with no principal
CALL pg_temp.act_as(NULL);
SELECT pg_temp.try(format('INSERT INTO phrbac.role_members (role_id, user_id) VALUES (%s, %s)', :platform, :mia)) AS dba_acme_member_in_globex_role;
SELECT pg_temp.try(format('UPDATE phrbac.role_members SET role_id = %s WHERE role_id = %s AND user_id = %s', :platform, :eng, :mia)) AS dba_moves_role_member;
SELECT * FROM role_rows;

--------------------------------------------------------------------------
-- Clean up: every catalog row of this suite
--------------------------------------------------------------------------

\i test/fixture/governance_cleanup.sql
