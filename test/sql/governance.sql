-- governance.sql: who may change access, and the catalog's own rules
-- (SPEC 2, SPEC 4.1, SPEC 8).
--
-- Covers, each refused with its SQLSTATE and allowed where the spec allows:
--   * organization members: only admins and owners add, change and remove
--     them; nobody changes their own organization role; only an owner makes,
--     changes or removes an owner; nobody grants a level above their own; a
--     member may leave; an expired or deactivated admin is no admin;
--   * the last owner of an organization is never removed or demoted (23514),
--     by a principal or by the DBA, also when the user row goes or the
--     membership moves, while an organization may go as a whole;
--   * projects, roles, role members and SSO group mappings: organization
--     admins only; organization settings: admins; deleting one: owners;
--   * project members and access rules: organization admins and the admins
--     of that project (by their own row or through a role), never another
--     project's; organization-wide rules: organization admins only;
--   * catalog constraints: one subject on project_members, at most one on
--     access_rules, levels within range, every project, role and user of a
--     row in the row's organization (23514), uniqueness (23505), bad grant
--     literals (22P02), resources that take no rules (23514);
--   * ON DELETE: a role, project, membership, user or organization takes
--     what hangs on it along;
--   * nothing half-written: a refused multi-row statement leaves no row;
--   * no principal: the DBA's table privileges decide, the invariants hold;
--     a database login mapped to a user is that user.
--
-- Ids are serial and never printed: they are captured with \gset, and the
-- ids in error messages are replaced by the names they stand for.

\set SHOW_CONTEXT never

--------------------------------------------------------------------------
-- Helpers
--------------------------------------------------------------------------

-- A statement's outcome: 'ok', or its SQLSTATE, message, detail and hint,
-- with "user 12", "project 3", "role 5" and "organization 2" replaced by
-- the row's name.
CREATE FUNCTION pg_temp.try(statement text) RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
	state text;
	message text;
	detail text;
	hint text;
	m text[];
	label text;
BEGIN
	EXECUTE statement;
	RETURN 'ok';
EXCEPTION WHEN others THEN
	GET STACKED DIAGNOSTICS state = RETURNED_SQLSTATE, message = MESSAGE_TEXT,
		detail = PG_EXCEPTION_DETAIL, hint = PG_EXCEPTION_HINT;
	FOR m IN SELECT regexp_matches(message, '\m(user|project|role|organization) ([0-9]+)\M', 'g') LOOP
		label := CASE m[1]
			WHEN 'user' THEN (SELECT u.name FROM phrbac.users AS u WHERE u.id = m[2]::bigint)
			WHEN 'project' THEN (SELECT p.name FROM phrbac.projects AS p WHERE p.id = m[2]::bigint)
			WHEN 'role' THEN (SELECT r.name FROM phrbac.roles AS r WHERE r.id = m[2]::bigint)
			ELSE (SELECT o.name FROM phrbac.organizations AS o WHERE o.id = m[2]::bigint) END;
		message := regexp_replace(message, format('\m%s %s\M', m[1], m[2]),
		                          format('%s <%s>', m[1], coalesce(label, '?')));
	END LOOP;
	-- constraint details show serial ids and timestamps: keep what is stable
	IF detail LIKE 'Failing row contains %' THEN
		detail := NULL;
	END IF;
	detail := regexp_replace(detail, '^Key \((.*)\)=\(.*\) already exists\.$', 'Key (\1) already exists.');
	RETURN concat_ws(' ', state, message, '/ ' || nullif(detail, ''), '/ hint: ' || nullif(hint, ''));
END
$$;

-- The principal, by the user's name; NULL clears it.  Session-wide, so it
-- lasts across the statements that follow.
CREATE PROCEDURE pg_temp.act_as(who text)
LANGUAGE plpgsql AS $$
BEGIN
	IF who IS NULL THEN
		PERFORM phrbac_reset();
	ELSE
		PERFORM phrbac_set_user((SELECT u.id FROM phrbac.users AS u
		                         WHERE u.email = who || '@governance.test'),
		                        'password', false);
	END IF;
END
$$;

--------------------------------------------------------------------------
-- The fixture, written by the DBA (superuser, no principal)
--------------------------------------------------------------------------
--
-- Acme: olive (owner), adam (admin), mia, pete, rita, vic (members).
--   Production (private): pete is its admin by his own row, role
--   Engineering (mia) a member, vic a viewer.
--   Staging: role Leads (rita) is its admin, vic a viewer.
-- Globex: gus (owner), gina (member); project Web, role Platform.
-- oscar, nina and fred belong to no organization yet.

SELECT phrbac_principal_user_id() IS NULL AS no_principal;

INSERT INTO phrbac.users (email, name)
SELECT n || '@governance.test', n
FROM unnest('{olive,oscar,adam,mia,pete,rita,vic,nina,gus,gina,fred}'::text[]) AS n;
SELECT max(id) FILTER (WHERE name = 'olive') AS olive, max(id) FILTER (WHERE name = 'oscar') AS oscar,
       max(id) FILTER (WHERE name = 'adam') AS adam, max(id) FILTER (WHERE name = 'mia') AS mia,
       max(id) FILTER (WHERE name = 'pete') AS pete, max(id) FILTER (WHERE name = 'rita') AS rita,
       max(id) FILTER (WHERE name = 'vic') AS vic, max(id) FILTER (WHERE name = 'nina') AS nina,
       max(id) FILTER (WHERE name = 'gus') AS gus, max(id) FILTER (WHERE name = 'gina') AS gina,
       max(id) FILTER (WHERE name = 'fred') AS fred
FROM phrbac.users WHERE email LIKE '%@governance.test' \gset

INSERT INTO phrbac.organizations (name) VALUES ('Acme') RETURNING id AS acme \gset
INSERT INTO phrbac.organizations (name) VALUES ('Globex') RETURNING id AS globex \gset
INSERT INTO phrbac.projects (organization_id, name, default_role)
	VALUES (:acme, 'Production', 'none') RETURNING id AS prod \gset
INSERT INTO phrbac.projects (organization_id, name)
	VALUES (:acme, 'Staging') RETURNING id AS staging \gset
INSERT INTO phrbac.projects (organization_id, name)
	VALUES (:globex, 'Web') RETURNING id AS web \gset
INSERT INTO phrbac.organization_members (organization_id, user_id, role) VALUES
	(:acme, :olive, 'owner'), (:acme, :adam, 'admin'), (:acme, :mia, 'member'),
	(:acme, :pete, 'member'), (:acme, :rita, 'member'), (:acme, :vic, 'member'),
	(:globex, :gus, 'owner'), (:globex, :gina, 'member');
INSERT INTO phrbac.roles (organization_id, name) VALUES (:acme, 'Engineering') RETURNING id AS eng \gset
INSERT INTO phrbac.roles (organization_id, name) VALUES (:acme, 'Leads') RETURNING id AS leads \gset
INSERT INTO phrbac.roles (organization_id, name) VALUES (:globex, 'Platform') RETURNING id AS platform \gset
INSERT INTO phrbac.role_members (role_id, user_id) VALUES (:eng, :mia), (:leads, :rita);
INSERT INTO phrbac.project_members (project_id, user_id, role_id, role) VALUES
	(:prod, :pete, NULL, 'admin'), (:prod, NULL, :eng, 'member'), (:prod, :vic, NULL, 'viewer'),
	(:staging, NULL, :leads, 'admin'), (:staging, :vic, NULL, 'viewer');
INSERT INTO phrbac.access_rules (project_id, role_id, access)
	VALUES (:prod, :eng, 'feature_flag:view+create+edit');

-- Views of the catalog by name, for Acme and Globex.
CREATE TEMP VIEW org_members AS
	SELECT o.name AS organization, u.name AS member, m.role, m.expires_at IS NOT NULL AS expires
	FROM phrbac.organization_members AS m
	JOIN phrbac.organizations AS o ON o.id = m.organization_id
	JOIN phrbac.users AS u ON u.id = m.user_id
	WHERE u.email LIKE '%@governance.test'
	ORDER BY 1, 2;
CREATE TEMP VIEW project_rows AS
	SELECT p.name AS project, coalesce(u.name, 'role ' || r.name) AS subject, pm.role
	FROM phrbac.project_members AS pm
	JOIN phrbac.projects AS p ON p.id = pm.project_id
	LEFT JOIN phrbac.users AS u ON u.id = pm.user_id
	LEFT JOIN phrbac.roles AS r ON r.id = pm.role_id
	WHERE pm.organization_id IN (:acme, :globex)
	ORDER BY 1, 2;
CREATE TEMP VIEW rules AS
	SELECT o.name AS organization, coalesce(p.name, '(every project)') AS project,
	       coalesce(u.name, 'role ' || r.name, '(everyone)') AS subject, a.access
	FROM phrbac.access_rules AS a
	JOIN phrbac.organizations AS o ON o.id = a.organization_id
	LEFT JOIN phrbac.projects AS p ON p.id = a.project_id
	LEFT JOIN phrbac.users AS u ON u.id = a.user_id
	LEFT JOIN phrbac.roles AS r ON r.id = a.role_id
	WHERE a.organization_id IN (:acme, :globex)
	ORDER BY 1, 2, 3, 4;
CREATE TEMP VIEW role_rows AS
	SELECT o.name AS organization, r.name AS role, u.name AS member
	FROM phrbac.roles AS r
	JOIN phrbac.organizations AS o ON o.id = r.organization_id
	LEFT JOIN phrbac.role_members AS rm ON rm.role_id = r.id
	LEFT JOIN phrbac.users AS u ON u.id = rm.user_id
	WHERE r.organization_id IN (:acme, :globex)
	ORDER BY 1, 2, 3;

SELECT * FROM org_members;
SELECT * FROM project_rows;
SELECT * FROM rules;
SELECT * FROM role_rows;

--------------------------------------------------------------------------
-- SPEC 4.1: only organization admins and owners manage members
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
-- SPEC 4.1, SPEC 8: the last owner of an organization stays (23514)
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
-- SPEC 4.1: organizations (anyone founds one; admins change settings,
-- owners delete) and their founders
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
-- SPEC 4.1: projects, roles and SSO group mappings: organization admins
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
-- SPEC 4.1: role members: organization admins; same organization
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
-- SPEC 4.1: project members: organization admins and that project's admins
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
-- SPEC 4.1: access rules: project admins for their project, organization
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
-- SPEC 2: ON DELETE: what hangs on a row goes with it, also when an
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

-- The same with the decision cache off (SPEC 9: no answer depends on it):
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
-- SPEC 4.1: no principal: the database role's table privileges decide
--------------------------------------------------------------------------

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

CALL pg_temp.act_as(NULL);
DELETE FROM phrbac.organizations WHERE id IN (:acme, :globex, :hooli, :initech, :umbrella, :piper);
DELETE FROM phrbac.users WHERE email LIKE '%@governance.test';
SELECT (SELECT count(*) FROM phrbac.organizations WHERE id IN (:acme, :globex, :hooli, :initech, :umbrella, :piper)) AS organizations,
       (SELECT count(*) FROM phrbac.users WHERE email LIKE '%@governance.test') AS users,
       (SELECT count(*) FROM phrbac.projects WHERE organization_id IN (:acme, :globex, :hooli, :initech, :umbrella, :piper)) AS projects,
       (SELECT count(*) FROM phrbac.roles WHERE organization_id IN (:acme, :globex, :hooli, :initech, :umbrella, :piper)) AS roles,
       (SELECT count(*) FROM phrbac.access_rules WHERE organization_id IN (:acme, :globex, :hooli, :initech, :umbrella, :piper)) AS rules;
REVOKE ALL ON ALL TABLES IN SCHEMA phrbac FROM regress_governance_dba;
REVOKE ALL ON SCHEMA phrbac FROM regress_governance_dba;
DROP ROLE regress_governance_mia;
DROP ROLE regress_governance_dba;
DROP ROLE regress_governance_nobody;
