-- phrbac--0.1.0--0.2.0.sql: upgrades an installed 0.1.0 to 0.2.0 (README,
-- "Upgrading").  The Makefile builds the script from this file and the
-- install script's parts that are written to run again over an installed
-- phrbac (CREATE OR REPLACE; UPGRADE_PARTS), put in where the \quit line
-- below ends.  This file holds what those parts cannot say again: the
-- comments 0.2.0 gives the types, tables and columns of 0.1.0, and what
-- changes existing data.

\echo Use "ALTER EXTENSION phrbac UPDATE TO '0.2.0'" to load this file. \quit

--------------------------------------------------------------------------
-- Comments on what 0.1.0 created and the parts above cannot create again
--------------------------------------------------------------------------

-- role.sql
COMMENT ON FUNCTION pg_catalog.phrbac_role_larger(pg_catalog.phrbac_role, pg_catalog.phrbac_role) IS
'the higher of two levels (the max aggregate''s step)';
COMMENT ON FUNCTION pg_catalog.phrbac_role_smaller(pg_catalog.phrbac_role, pg_catalog.phrbac_role) IS
'the lower of two levels (the min aggregate''s step)';
COMMENT ON AGGREGATE pg_catalog.max(pg_catalog.phrbac_role) IS 'the highest level';
COMMENT ON AGGREGATE pg_catalog.min(pg_catalog.phrbac_role) IS 'the lowest level';
COMMENT ON FUNCTION pg_catalog.phrbac_role_from_int4(integer) IS
'the level of a PostHog integer level (0, 1, 8 or 15)';
COMMENT ON FUNCTION pg_catalog.phrbac_role_to_int4(pg_catalog.phrbac_role) IS
'the PostHog integer level of a level (viewer has none and is refused)';
COMMENT ON CAST (integer AS pg_catalog.phrbac_role) IS 'from PostHog''s integer levels';
COMMENT ON CAST (pg_catalog.phrbac_role AS integer) IS 'to PostHog''s integer levels';

-- scope.sql
COMMENT ON FUNCTION pg_catalog.phrbac_scopes_contain(pg_catalog.phrbac_scope[], pg_catalog.phrbac_scope) IS
'implementation of the @> operator';

-- grant.sql
COMMENT ON FUNCTION pg_catalog.phrbac_grant_contains(pg_catalog.phrbac_grant, pg_catalog.phrbac_grant) IS
'implementation of the @> operator';
COMMENT ON FUNCTION pg_catalog.phrbac_grant_contained(pg_catalog.phrbac_grant, pg_catalog.phrbac_grant) IS
'implementation of the <@ operator';
COMMENT ON OPERATOR pg_catalog.<@ (pg_catalog.phrbac_grant, pg_catalog.phrbac_grant) IS
'left is covered by right (the commutator of @>)';

-- catalog.sql
COMMENT ON TABLE phrbac.users IS
'the people phrbac knows, in every organization; an email is unique whatever its case';
COMMENT ON COLUMN phrbac.users.db_role IS
'the database role this user logs in as, if any (phrbac_set_user() does not need one)';
COMMENT ON COLUMN phrbac.users.is_active IS
'false: deactivated; the user, their keys and their sessions are refused everywhere';
COMMENT ON COLUMN phrbac.users.created_by IS
'the principal that created the row (every catalog table has this column)';
COMMENT ON TABLE phrbac.organizations IS
'organizations: the unit of membership, roles, rules and the audit chain';
COMMENT ON COLUMN phrbac.organizations.enforce_sso IS
'true: principals that did not log in through SSO are refused (API keys are not affected)';
COMMENT ON COLUMN phrbac.organizations.members_can_use_api_keys IS
'false: only admins'' and owners'' personal API keys reach this organization';
COMMENT ON COLUMN phrbac.organizations.resolution IS
'how access rules combine: most_specific (the most specific rules decide, even to deny) or max (their union)';
COMMENT ON TABLE phrbac.projects IS
'projects of an organization: where application data and access rules live';
COMMENT ON TABLE phrbac.organization_members IS
'who belongs to an organization, at which level: member, admin or owner';
COMMENT ON COLUMN phrbac.organization_members.expires_at IS
'the membership grants nothing from this instant on (every table that grants access has this column)';
COMMENT ON COLUMN phrbac.organization_members.reason IS
'why the access was granted, for the access review (every table that grants access has this column)';
COMMENT ON TABLE phrbac.roles IS
'groups of an organization''s members, given project rows and access rules together';
COMMENT ON TABLE phrbac.role_members IS
'who is in a role; the role''s rows and rules expire for them with the earlier of both expiries';
COMMENT ON TABLE phrbac.project_members IS
'a user''s or a role''s level in one project: none, viewer, member or admin';
COMMENT ON TABLE phrbac.sso_group_mappings IS
'what an identity provider''s group means in an organization: an organization level, a role, or both';
COMMENT ON COLUMN phrbac.sso_group_mappings.org_role IS
'the organization level an SSO login gives a member of the group (raised, never lowered)';
COMMENT ON COLUMN phrbac.sso_group_mappings.role_id IS
'the role an SSO login keeps the group''s members in';
COMMENT ON COLUMN phrbac.api_keys.mask_value IS
'how messages and the access review name the key: phx_... and its last four digits';
COMMENT ON COLUMN phrbac.api_keys.secure_value IS
'sha256$ and the SHA-256 of the secret, in hexadecimal';
COMMENT ON COLUMN phrbac.api_keys.scoped_projects IS
'NULL: every project the user may reach; else only these';
COMMENT ON COLUMN phrbac.api_keys.scoped_organizations IS
'NULL: every organization the user belongs to; else only these';
COMMENT ON COLUMN phrbac.api_keys.last_used_at IS
'written at most once an hour, never on a standby or in a read-only transaction';

-- audit.sql
COMMENT ON FUNCTION pg_catalog.phrbac_audit_trigger() IS
'trigger (per row): records a change in the audit log when its transaction commits; on protected tables its arguments are the scope and the project column (the catalog''s tables need none)';
-- (the log itself is made again by audit_partitions.sql, comments and all)
COMMENT ON FUNCTION phrbac.audit_guard() IS
'trigger: the audit log is append-only, for its owner too; only phrbac''s writer inserts while a principal is set';

--------------------------------------------------------------------------
-- Indexes of 0.1.0's tables that the cache fill reads by
-- (README, Concepts, "The cache")
--------------------------------------------------------------------------

CREATE INDEX access_rules_everyone ON phrbac.access_rules (organization_id)
	WHERE user_id IS NULL AND role_id IS NULL;

--------------------------------------------------------------------------
-- Tables protected under 0.1.0 are protected again as 0.2.0 does it: the
-- approvals trigger (README, "Approvals"), and on a bigint project column
-- without an object column the policies that are the check itself (README,
-- "Protecting tables").  phrbac_protect() rebuilds what its record (the
-- comment of the table's phrbac_select policy) says was done otherwise:
-- the record loses its form first, so it rebuilds with the same arguments.
--------------------------------------------------------------------------

DO $$
DECLARE
	t record;
	messages text := pg_catalog.current_setting('client_min_messages');
BEGIN
	-- the update runs as a superuser: phrbac_protect's notice that such a
	-- role bypasses the policies is for people protecting a table
	PERFORM pg_catalog.set_config('client_min_messages', 'warning', true);
	FOR t IN SELECT p.tbl, p.resource, p.project_column, p.object_column, p.creator_column, p.audit, p.form
	         FROM phrbac.protected_tables AS p LOOP
		EXECUTE pg_catalog.format('COMMENT ON POLICY phrbac_select ON %s IS %L', t.tbl,
			(SELECT pg_catalog.obj_description(p.oid, 'pg_policy')::pg_catalog.jsonb
			        OPERATOR(pg_catalog.#-) '{protection,form}'
			 FROM pg_catalog.pg_policy AS p
			 WHERE p.polrelid OPERATOR(pg_catalog.=) t.tbl
			   AND p.polname OPERATOR(pg_catalog.=) 'phrbac_select'));
		PERFORM pg_catalog.phrbac_protect(t.tbl, t.resource, t.project_column, t.object_column,
		                                  t.creator_column, t.audit, t.form);
	END LOOP;
	PERFORM pg_catalog.set_config('client_min_messages', messages, true);
END
$$;
