-- governance_rules.sql: who manages access rules (README, "Concepts", who
-- may change access).
--
-- Covers, each refused with its SQLSTATE and allowed where the README allows:
--   * access rules: organization admins for every project and the whole
--     organization, the admins of a project (by their own row or through a
--     role) for that project only;
--   * their constraints: at most one subject, every project, role and user
--     of a rule in its organization (23514), bad grant literals (22P02),
--     resources that take no rules (23514).

\i test/fixture/try.sql
\i test/fixture/governance.sql

-- The role that an organization-wide rule below names.
INSERT INTO phrbac.roles (organization_id, name) VALUES (:acme, 'Product design') RETURNING id AS design \gset

--------------------------------------------------------------------------
-- Access rules: project admins for their project, organization
-- admins for every project and the whole organization
--------------------------------------------------------------------------

CALL pg_temp.act_as('mia');
INSERT INTO phrbac.access_rules (project_id, access) VALUES (:staging, 'insight:viewer');
\echo :SQLSTATE
SELECT pg_temp.try(format('UPDATE phrbac.access_rules SET access = %L WHERE project_id = %s AND role_id = %s', 'feature_flag:editor', :prod, :eng)) AS member_widens_own_rule;
SELECT pg_temp.try(format('DELETE FROM phrbac.access_rules WHERE project_id = %s', :prod)) AS member_deletes_rule;
SELECT pg_temp.try(format('INSERT INTO phrbac.access_rules (organization_id, access) VALUES (%s, %L)', :acme, 'insight:viewer')) AS member_org_rule;

CALL pg_temp.act_as('pete');
SELECT pg_temp.try(format('INSERT INTO phrbac.access_rules (project_id, user_id, access) VALUES (%s, %s, %L)', :prod, :vic, 'dashboard:viewer')) AS project_admin_adds_rule;
SELECT pg_temp.try(format('INSERT INTO phrbac.access_rules (project_id, access) VALUES (%s, %L)', :prod, 'feature_flag/42:none')) AS project_admin_object_rule;
SELECT pg_temp.try(format('UPDATE phrbac.access_rules SET access = %L WHERE project_id = %s AND user_id = %s', 'dashboard:editor', :prod, :vic)) AS project_admin_changes_rule;
SELECT pg_temp.try(format('DELETE FROM phrbac.access_rules WHERE project_id = %s AND user_id = %s', :prod, :vic)) AS project_admin_deletes_rule;
-- ... not another project's, not the organization's
SELECT pg_temp.try(format('INSERT INTO phrbac.access_rules (project_id, access) VALUES (%s, %L)', :staging, 'insight:viewer')) AS project_admin_other_project_rule;
INSERT INTO phrbac.access_rules (organization_id, access) VALUES (:acme, 'insight:viewer');
\echo :SQLSTATE
SELECT pg_temp.try(format('UPDATE phrbac.access_rules SET project_id = NULL WHERE project_id = %s AND role_id = %s', :prod, :eng)) AS project_admin_widens_to_org;
SELECT pg_temp.try(format('UPDATE phrbac.access_rules SET project_id = %s WHERE project_id = %s AND role_id = %s', :staging, :prod, :eng)) AS project_admin_moves_rule;

CALL pg_temp.act_as('rita');
SELECT pg_temp.try(format('INSERT INTO phrbac.access_rules (project_id, role_id, access) VALUES (%s, %s, %L)', :staging, :eng, 'insight:editor')) AS role_project_admin_adds_rule;

CALL pg_temp.act_as('adam');
SELECT pg_temp.try(format('INSERT INTO phrbac.access_rules (organization_id, access) VALUES (%s, %L)', :acme, 'insight:viewer')) AS admin_org_rule_everyone;
SELECT pg_temp.try(format('INSERT INTO phrbac.access_rules (organization_id, role_id, access) VALUES (%s, %s, %L)', :acme, :design, 'notebook:editor')) AS admin_org_rule_role;
SELECT pg_temp.try(format('INSERT INTO phrbac.access_rules (project_id, user_id, access) VALUES (%s, %s, %L)', :prod, :mia, 'session_recording:none')) AS admin_private_project_rule;
SELECT count(*) AS mia_rules FROM phrbac.access_rules WHERE user_id = :mia;
SELECT pg_temp.try(format('UPDATE phrbac.access_rules SET access = %L WHERE project_id = %s AND user_id = %s', 'session_recording:viewer', :prod, :mia)) AS admin_changes_private_rule;
SELECT pg_temp.try(format('DELETE FROM phrbac.access_rules WHERE project_id = %s AND user_id = %s', :prod, :mia)) AS admin_deletes_private_rule;
SELECT pg_temp.try(format('INSERT INTO phrbac.access_rules (organization_id, access) VALUES (%s, %L)', :globex, 'insight:viewer')) AS admin_globex_rule;

-- Catalog constraints.
CALL pg_temp.act_as(NULL);
-- at most one subject (23514)
SELECT pg_temp.try(format('INSERT INTO phrbac.access_rules (project_id, user_id, role_id, access) VALUES (%s, %s, %s, %L)', :staging, :mia, :eng, 'insight:viewer')) AS user_and_role_rule;
-- an organization, or a project to take it from (23502)
SELECT pg_temp.try($$INSERT INTO phrbac.access_rules (access) VALUES ('insight:viewer')$$) AS rule_without_organization;
-- the project, role and user in the rule's organization (23514)
SELECT pg_temp.try(format('INSERT INTO phrbac.access_rules (project_id, role_id, access) VALUES (%s, %s, %L)', :staging, :platform, 'insight:viewer')) AS globex_role_rule;
SELECT pg_temp.try(format('INSERT INTO phrbac.access_rules (organization_id, role_id, access) VALUES (%s, %s, %L)', :acme, :platform, 'insight:viewer')) AS globex_role_org_rule;
SELECT pg_temp.try(format('INSERT INTO phrbac.access_rules (project_id, user_id, access) VALUES (%s, %s, %L)', :staging, :gina, 'insight:viewer')) AS globex_user_rule;
SELECT pg_temp.try(format('INSERT INTO phrbac.access_rules (project_id, user_id, access) VALUES (%s, %s, %L)', :staging, :nina, 'insight:viewer')) AS non_member_rule;
SELECT pg_temp.try(format('INSERT INTO phrbac.access_rules (organization_id, project_id, access) VALUES (%s, %s, %L)', :acme, :web, 'insight:viewer')) AS globex_project_acme_rule;
SELECT pg_temp.try(format('UPDATE phrbac.access_rules SET role_id = %s WHERE project_id = %s AND role_id = %s', :platform, :prod, :eng)) AS rule_moved_to_globex_role;
-- organization, organization_member, project and user take no rules (23514)
\set VERBOSITY default
INSERT INTO phrbac.access_rules (project_id, access)
VALUES (:staging, 'project:viewer');
\echo :SQLSTATE
SELECT pg_temp.try(format('INSERT INTO phrbac.access_rules (organization_id, access) VALUES (%s, %L)', :acme, r || ':editor')) AS no_rules_for,
       r AS resource
FROM unnest('{organization,organization_member,project,user}'::text[]) AS r;
-- bad grant literals (22P02)
INSERT INTO phrbac.access_rules (project_id, access)
VALUES (:staging,
        'featureflag:editor');
\echo :SQLSTATE
SELECT split_part(pg_temp.try(format('INSERT INTO phrbac.access_rules (project_id, access) VALUES (%s, %L)', :staging, g)), ' / ', 1) AS bad_grant, g AS literal
FROM unnest('{feature_flag:read,insight,insight:editor+view,*/1:viewer,"",dashboard:owner}'::text[]) AS g;
SELECT * FROM rules;

--------------------------------------------------------------------------
-- Clean up: every catalog row of this suite
--------------------------------------------------------------------------

\i test/fixture/governance_cleanup.sql
