-- phrbac--0.1.0--0.2.0.sql: upgrades an installed 0.1.0 to 0.2.0 (README,
-- "Upgrading").  Every schema change of 0.2.0 lands here as well as in the
-- install script; the upgrade test compares the two.

\echo Use "ALTER EXTENSION phrbac UPDATE TO '0.2.0'" to load this file. \quit

--------------------------------------------------------------------------
-- Every object documented with COMMENT ON, as in the install script's files
--------------------------------------------------------------------------

-- type_support: what the three types have in common
DO $$
DECLARE
	t text;
	op record;
BEGIN
	FOREACH t IN ARRAY ARRAY['role', 'scope', 'grant'] LOOP
		EXECUTE pg_catalog.format($sql$
			COMMENT ON FUNCTION pg_catalog.phrbac_%1$s_in(pg_catalog.cstring) IS
				'text input of phrbac_%1$s: checks the literal and stores its canonical form';
			COMMENT ON FUNCTION pg_catalog.phrbac_%1$s_out(pg_catalog.phrbac_%1$s) IS
				'text output of phrbac_%1$s: the canonical literal';
			COMMENT ON FUNCTION pg_catalog.phrbac_%1$s_recv(pg_catalog.internal) IS
				'binary input of phrbac_%1$s: a version byte, then the value; checked as text input is';
			COMMENT ON FUNCTION pg_catalog.phrbac_%1$s_send(pg_catalog.phrbac_%1$s) IS
				'binary output of phrbac_%1$s: a version byte, then the value';
			COMMENT ON FUNCTION pg_catalog.phrbac_%1$s_cmp(pg_catalog.phrbac_%1$s, pg_catalog.phrbac_%1$s) IS
				'btree comparison of phrbac_%1$s: -1, 0 or 1';
			COMMENT ON FUNCTION pg_catalog.phrbac_%1$s_hash(pg_catalog.phrbac_%1$s) IS
				'hash of phrbac_%1$s, for hash indexes, joins and aggregation';
			COMMENT ON FUNCTION pg_catalog.phrbac_%1$s_hash_extended(pg_catalog.phrbac_%1$s, bigint) IS
				'seeded 64-bit hash of phrbac_%1$s, for hash partitioning';
			COMMENT ON OPERATOR CLASS pg_catalog.phrbac_%1$s_ops USING btree IS
				'the default btree order of phrbac_%1$s';
			COMMENT ON OPERATOR CLASS pg_catalog.phrbac_%1$s_hash_ops USING hash IS
				'the default hash operator class of phrbac_%1$s'
		$sql$, t);
		FOR op IN SELECT * FROM (VALUES
				('=', 'eq', 'equal'), ('<>', 'ne', 'not equal'),
				('<', 'lt', 'less than'), ('<=', 'le', 'less than or equal'),
				('>', 'gt', 'greater than'), ('>=', 'ge', 'greater than or equal'))
				AS v (symbol, suffix, meaning)
		LOOP
			EXECUTE pg_catalog.format($sql$
				COMMENT ON OPERATOR pg_catalog.%2$s (pg_catalog.phrbac_%1$s, pg_catalog.phrbac_%1$s) IS %3$L;
				COMMENT ON FUNCTION pg_catalog.phrbac_%1$s_%4$s(pg_catalog.phrbac_%1$s, pg_catalog.phrbac_%1$s) IS %5$L
			$sql$, t, op.symbol, op.meaning,
				op.suffix, pg_catalog.format('implementation of the %s operator', op.symbol));
		END LOOP;
	END LOOP;
END
$$;

-- role
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

-- scope
COMMENT ON FUNCTION pg_catalog.phrbac_scopes_contain(pg_catalog.phrbac_scope[], pg_catalog.phrbac_scope) IS
'implementation of the @> operator';

-- grant
COMMENT ON FUNCTION pg_catalog.phrbac_grant_contains(pg_catalog.phrbac_grant, pg_catalog.phrbac_grant) IS
'implementation of the @> operator';
COMMENT ON FUNCTION pg_catalog.phrbac_grant_contained(pg_catalog.phrbac_grant, pg_catalog.phrbac_grant) IS
'implementation of the <@ operator';
COMMENT ON OPERATOR pg_catalog.<@ (pg_catalog.phrbac_grant, pg_catalog.phrbac_grant) IS
'left is covered by right (the commutator of @>)';

-- catalog
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

-- principal
COMMENT ON FUNCTION pg_catalog.phrbac_principal_auth_method() IS
'how the current principal logged in (password, saml, api_key, ...), or NULL when none is set';
COMMENT ON FUNCTION pg_catalog.phrbac_principal_api_key_id() IS
'the API key the current principal acts through, or NULL';

-- api_key
COMMENT ON FUNCTION phrbac.guard_api_keys() IS
'trigger: while a principal is set, keys change only through phrbac''s key functions';

-- guards
COMMENT ON FUNCTION phrbac.organization_name(bigint) IS
'an organization''s name, for messages';
COMMENT ON FUNCTION phrbac.require_org_admin(bigint, text) IS
'raises 42501 unless no principal is set or it is an admin or owner of the organization';
COMMENT ON FUNCTION phrbac.require_project_admin(bigint, text) IS
'raises 42501 unless no principal is set or it is an admin of the project or its organization';
COMMENT ON FUNCTION phrbac.require_same_organization(bigint, bigint, bigint, bigint) IS
'raises 23514 when a project, role or user a row names is not of the row''s organization';
COMMENT ON FUNCTION phrbac.guard_users() IS
'trigger: with a principal set, users edit only their own name and email; the DBA or SSO provisioning does the rest';
COMMENT ON FUNCTION phrbac.guard_organizations() IS
'trigger: anyone founds an organization, its admins change its settings, its owners delete it';
COMMENT ON FUNCTION phrbac.guard_organization_members() IS
'trigger: who may add, change and remove organization members; owners and the last owner';
COMMENT ON FUNCTION phrbac.guard_organization_rows() IS
'trigger: only organization admins change an organization''s projects, roles and SSO group mappings';
COMMENT ON FUNCTION phrbac.guard_role_members() IS
'trigger: who may add and remove role members';
COMMENT ON FUNCTION phrbac.guard_project_members() IS
'trigger: who may give, change and take project levels; never above one''s own';
COMMENT ON FUNCTION phrbac.guard_access_rules() IS
'trigger: who may write access rules; never above one''s own access';
COMMENT ON FUNCTION phrbac.guard_sso_group_mappings() IS
'trigger: a mapping''s role is of its organization; only owners map a group to owner';

-- audit
COMMENT ON FUNCTION pg_catalog.phrbac_audit_trigger() IS
'trigger (per row): records a change in the audit log when its transaction commits; arguments: the scope, and on protected tables the project column';
COMMENT ON COLUMN phrbac.audit_log.organization_id IS
'the organization whose chain holds the row; NULL for users and API keys, which belong to none';
COMMENT ON COLUMN phrbac.audit_log.db_user IS
'the session''s database user, beside the principal (user_id, api_key_id)';
COMMENT ON COLUMN phrbac.audit_log.scope IS
'what changed: User, Organization, OrganizationMembership, Project, Role, AccessControl, PersonalAPIKey, or a protected table''s resource';
COMMENT ON COLUMN phrbac.audit_log.activity IS
'created, updated, deleted, member_added, member_removed, role_changed, api_key_created, api_key_rolled, api_key_revoked, pruned, sso_provisioned, offboarded';
COMMENT ON COLUMN phrbac.audit_log.detail IS
'PostHog''s shape: {"name": ..., "changes": [{"type", "action", "field", "before", "after"}]}';
COMMENT ON COLUMN phrbac.audit_log.prev_hash IS
'the hash of the chain''s previous row; '''' for a chain''s first row';
COMMENT ON COLUMN phrbac.audit_log.hash IS
'SHA-256 over prev_hash, the other columns as text and detail''s jsonb bytes';
COMMENT ON FUNCTION phrbac.audit_guard() IS
'trigger: the audit log is append-only, for its owner too; only phrbac''s writer inserts while a principal is set';

-- catalog_triggers
COMMENT ON FUNCTION phrbac.catalog_changed() IS
'trigger (per statement): every backend''s decision cache, and every standby''s, starts over after the commit';
COMMENT ON FUNCTION phrbac.guard_key_writes() IS
'trigger (per statement): through an API key, a change to the catalog needs the key''s write scope on what the table holds';

-- protect
COMMENT ON FUNCTION pg_catalog.phrbac_guard_moves() IS
'trigger phrbac_moves of protected tables: moving a row to another project needs create there; arguments: the project column and the grant';

-- governance
COMMENT ON FUNCTION phrbac.sso_login_steps(text, bigint, text[]) IS
'the body of phrbac_sso_login(), which labels its audit rows; not to be called on its own';
COMMENT ON FUNCTION phrbac.offboard_steps(bigint, bigint, bigint) IS
'the body of phrbac_offboard(), which labels its audit rows; not to be called on its own';
