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
'trigger (per row): records a change in the audit log when its transaction commits; on protected tables its arguments are the scope and the project column (the catalog''s tables need none)';
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

--------------------------------------------------------------------------
-- One home for each fact: the catalog tables' meaning to the triggers, a
-- table's protection record, a key's reach; asking about oneself
--------------------------------------------------------------------------

-- The audit triggers of the catalog take no scope: what each table is to
-- them is src/catalog_table.c's.  The key-scope trigger guards every
-- catalog table, API keys included (it lets their functions decide).
DO $$
DECLARE
	t pg_catalog.regclass;
BEGIN
	FOR t IN SELECT tg.tgrelid::pg_catalog.regclass FROM pg_catalog.pg_trigger AS tg
	         JOIN pg_catalog.pg_class AS c ON c.oid OPERATOR(pg_catalog.=) tg.tgrelid
	         WHERE tg.tgname OPERATOR(pg_catalog.=) 'audit'
	           AND c.relnamespace OPERATOR(pg_catalog.=) 'phrbac'::pg_catalog.regnamespace
	LOOP
		EXECUTE pg_catalog.format('DROP TRIGGER audit ON %s', t);
		EXECUTE pg_catalog.format(
			'CREATE TRIGGER audit AFTER INSERT OR UPDATE OR DELETE ON %s'
			' FOR EACH ROW EXECUTE FUNCTION pg_catalog.phrbac_audit_trigger()', t);
	END LOOP;
END
$$;
CREATE TRIGGER key_scope BEFORE INSERT OR UPDATE OR DELETE OR TRUNCATE ON phrbac.api_keys
	FOR EACH STATEMENT EXECUTE FUNCTION phrbac.guard_key_writes();

-- The protection record of a table is read in one place,
-- pg_catalog.phrbac_protection(), by the view and by phrbac_protect() and
-- phrbac_unprotect().
CREATE FUNCTION pg_catalog.phrbac_protection(tbl pg_catalog.regclass)
RETURNS jsonb
LANGUAGE sql STABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
	SELECT d.description::pg_catalog.jsonb OPERATOR(pg_catalog.->) 'protection'
	FROM pg_catalog.pg_policy AS p
	JOIN pg_catalog.pg_description AS d
	  ON d.objoid OPERATOR(pg_catalog.=) p.oid
	 AND d.classoid OPERATOR(pg_catalog.=) 'pg_catalog.pg_policy'::pg_catalog.regclass
	WHERE p.polrelid OPERATOR(pg_catalog.=) phrbac_protection.tbl
	  AND p.polname OPERATOR(pg_catalog.=) 'phrbac_select'
$$;
COMMENT ON FUNCTION pg_catalog.phrbac_protection(pg_catalog.regclass) IS
'what phrbac_protect recorded for a table (NULL: not protected): its arguments and the row-level security state phrbac_unprotect restores';

CREATE OR REPLACE VIEW phrbac.protected_tables AS
	SELECT p.polrelid::pg_catalog.regclass AS tbl,
	       m.resource, m.project_column, m.object_column, m.creator_column, m.audit, m.form,
	       m.rls_was_enabled, m.rls_was_forced
	FROM pg_catalog.pg_policy AS p
	CROSS JOIN LATERAL pg_catalog.jsonb_to_record(pg_catalog.phrbac_protection(p.polrelid))
		AS m(resource text, project_column name, object_column name, creator_column name,
		     audit boolean, form text, rls_was_enabled boolean, rls_was_forced boolean)
	WHERE p.polname OPERATOR(pg_catalog.=) 'phrbac_select';

CREATE OR REPLACE FUNCTION pg_catalog.phrbac_protect(tbl pg_catalog.regclass, resource text,
	project_column name DEFAULT 'project_id', object_column name DEFAULT NULL,
	creator_column name DEFAULT NULL, audit boolean DEFAULT true, form text DEFAULT 'standard')
RETURNS void
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	table_name name;
	kind "char";
	rls_enabled boolean;
	rls_forced boolean;
	previous jsonb;
	protection jsonb;
	col record;
	command text;
	want text;
	object_text text;
	exact text;
	predicate text;
BEGIN
	SELECT c.relname, c.relkind, c.relrowsecurity, c.relforcerowsecurity
	INTO table_name, kind, rls_enabled, rls_forced
	FROM pg_catalog.pg_class AS c WHERE c.oid OPERATOR(pg_catalog.=) tbl;
	IF kind OPERATOR(pg_catalog.<>) ALL (ARRAY['r', 'p']::"char"[]) THEN
		RAISE EXCEPTION '"%" is not a table', table_name
			USING ERRCODE = 'wrong_object_type',
			      HINT = 'Protect the tables it reads; a view made WITH (security_invoker = true) then applies their policies.';
	END IF;
	IF form IS NULL OR form OPERATOR(pg_catalog.<>) ALL (ARRAY['standard', 'citus']) THEN
		RAISE EXCEPTION 'invalid policy form: "%"', form
			USING ERRCODE = 'invalid_parameter_value',
			      HINT = 'Use "standard", or "citus" for Citus distributed tables.';
	END IF;
	resource := pg_catalog.phrbac_grant_resource((resource OPERATOR(pg_catalog.||) ':view')::pg_catalog.phrbac_grant);
	IF resource OPERATOR(pg_catalog.=) '*' THEN
		RAISE EXCEPTION 'a table holds one resource, not "*"'
			USING ERRCODE = 'invalid_parameter_value';
	END IF;
	FOR col IN SELECT * FROM (VALUES (project_column, 'project', true),
	                                 (object_column, 'object', false),
	                                 (creator_column, 'creator', true)) AS v(name, what, ids)
	           WHERE v.name IS NOT NULL LOOP
		IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_attribute AS a
		               WHERE a.attrelid OPERATOR(pg_catalog.=) tbl AND a.attname OPERATOR(pg_catalog.=) col.name
		                 AND a.attnum OPERATOR(pg_catalog.>) 0 AND NOT a.attisdropped) THEN
			RAISE EXCEPTION 'column "%" does not exist in table "%"', col.name, table_name
				USING ERRCODE = 'undefined_column',
				      HINT = pg_catalog.format('Name the table''s %s column with %s_column => ...', col.what, col.what);
		END IF;
		IF col.ids AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_attribute AS a
		                           WHERE a.attrelid OPERATOR(pg_catalog.=) tbl AND a.attname OPERATOR(pg_catalog.=) col.name
		                             AND a.atttypid OPERATOR(pg_catalog.=) ANY (ARRAY['int2', 'int4', 'int8']::pg_catalog.regtype[])) THEN
			RAISE EXCEPTION 'column "%" of table "%" is not an integer column', col.name, table_name
				USING ERRCODE = 'datatype_mismatch',
				      DETAIL = pg_catalog.format('The %s column holds phrbac ids, which are bigint.', col.what);
		END IF;
	END LOOP;

	IF audit IS NULL THEN
		RAISE EXCEPTION 'audit must be true or false' USING ERRCODE = 'null_value_not_allowed';
	END IF;
	protection := pg_catalog.jsonb_build_object(
		'resource', resource, 'project_column', project_column, 'object_column', object_column,
		'creator_column', creator_column, 'audit', audit, 'form', form);
	previous := pg_catalog.phrbac_protection(tbl);
	IF previous IS NOT NULL THEN
		IF previous OPERATOR(pg_catalog.@>) protection THEN
			RETURN;				-- protecting twice changes nothing
		END IF;
		rls_enabled := (previous OPERATOR(pg_catalog.->>) 'rls_was_enabled')::boolean;
		rls_forced := (previous OPERATOR(pg_catalog.->>) 'rls_was_forced')::boolean;
	END IF;
	protection := protection OPERATOR(pg_catalog.||) pg_catalog.jsonb_build_object(
		'rls_was_enabled', rls_enabled, 'rls_was_forced', rls_forced);

	FOREACH command IN ARRAY ARRAY['select', 'insert', 'update', 'delete'] LOOP
		want := pg_catalog.format('%L::pg_catalog.phrbac_grant', pg_catalog.format('%s:%s', resource,
			CASE command WHEN 'select' THEN 'view' WHEN 'insert' THEN 'create'
			             WHEN 'update' THEN 'edit' ELSE 'delete' END));
		object_text := CASE WHEN object_column IS NULL THEN 'NULL'
		               ELSE pg_catalog.format('%I::text', object_column) END;
		exact := pg_catalog.format('pg_catalog.phrbac_can(%I, %s, %s, %s)', project_column, want, object_text,
			CASE WHEN creator_column IS NULL OR command OPERATOR(pg_catalog.=) 'insert' THEN 'NULL'
			     ELSE pg_catalog.format('%I', creator_column) END);
		IF form OPERATOR(pg_catalog.=) 'citus' THEN
			predicate := exact;
		ELSIF object_column IS NULL THEN
			predicate := pg_catalog.format(
				'%I OPERATOR(pg_catalog.=) ANY ((SELECT pg_catalog.phrbac_projects(%s))::bigint[])',
				project_column, want);
		ELSE
			predicate := pg_catalog.format(
				'%I OPERATOR(pg_catalog.=) ANY ((SELECT pg_catalog.phrbac_projects_reachable(%s))::bigint[]) AND %s',
				project_column, want, exact);
		END IF;
		IF form OPERATOR(pg_catalog.=) 'standard' AND creator_column IS NOT NULL
		   AND command OPERATOR(pg_catalog.<>) 'insert' THEN
			predicate := pg_catalog.format(
				'(%s) OR (%I OPERATOR(pg_catalog.=) pg_catalog.phrbac_principal_user_id() AND %s)',
				predicate, creator_column, exact);
		END IF;

		IF previous IS NOT NULL THEN
			EXECUTE pg_catalog.format('DROP POLICY %I ON %s', 'phrbac_' OPERATOR(pg_catalog.||) command, tbl);
		END IF;
		EXECUTE pg_catalog.format('CREATE POLICY %I ON %s FOR %s TO PUBLIC %s',
			'phrbac_' OPERATOR(pg_catalog.||) command, tbl, command,
			CASE command
			WHEN 'insert' THEN pg_catalog.format('WITH CHECK (%s)', predicate)
			WHEN 'update' THEN pg_catalog.format('USING (%1$s) WITH CHECK (%1$s)', predicate)
			ELSE pg_catalog.format('USING (%s)', predicate) END);
		EXECUTE pg_catalog.format('COMMENT ON POLICY %I ON %s IS %L',
			'phrbac_' OPERATOR(pg_catalog.||) command, tbl,
			pg_catalog.jsonb_build_object('needs', pg_catalog.format('%s:%s', resource,
				CASE command WHEN 'select' THEN 'view' WHEN 'insert' THEN 'create'
				             WHEN 'update' THEN 'edit' ELSE 'delete' END),
				'protection', protection));
	END LOOP;
	IF previous IS NOT NULL THEN
		EXECUTE pg_catalog.format('DROP TRIGGER phrbac_moves ON %s', tbl);
		EXECUTE pg_catalog.format('DROP TRIGGER IF EXISTS phrbac_audit ON %s', tbl);
	END IF;
	IF audit THEN
		-- the audit scope in PostHog's spelling: feature_flag -> FeatureFlag
		EXECUTE pg_catalog.format('CREATE TRIGGER phrbac_audit AFTER INSERT OR UPDATE OR DELETE ON %s'
			' FOR EACH ROW EXECUTE FUNCTION pg_catalog.phrbac_audit_trigger(%L, %L)', tbl,
			pg_catalog.replace(pg_catalog.initcap(pg_catalog.replace(resource, '_', ' ')), ' ', ''),
			project_column);
	END IF;
	EXECUTE pg_catalog.format('CREATE TRIGGER phrbac_moves BEFORE UPDATE OF %I ON %s FOR EACH ROW'
		' EXECUTE FUNCTION pg_catalog.phrbac_guard_moves(%L, %L)',
		project_column, tbl, project_column, resource OPERATOR(pg_catalog.||) ':create');
	EXECUTE pg_catalog.format('ALTER TABLE %s ENABLE ROW LEVEL SECURITY', tbl);
	EXECUTE pg_catalog.format('ALTER TABLE %s FORCE ROW LEVEL SECURITY', tbl);

	IF EXISTS (SELECT 1 FROM pg_catalog.pg_roles AS r
	           WHERE r.rolname OPERATOR(pg_catalog.=) CURRENT_USER AND (r.rolsuper OR r.rolbypassrls)) THEN
		RAISE NOTICE 'role "%" bypasses row-level security and sees every row of "%"', CURRENT_USER, table_name
			USING HINT = 'Check access as the application''s role, which must not be a superuser or have BYPASSRLS.';
	END IF;
END
$$;

CREATE OR REPLACE FUNCTION pg_catalog.phrbac_unprotect(tbl pg_catalog.regclass)
RETURNS void
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	previous jsonb;
	command text;
BEGIN
	previous := pg_catalog.phrbac_protection(tbl);
	IF previous IS NULL THEN
		RAISE EXCEPTION 'table "%" is not protected by phrbac',
			(SELECT c.relname FROM pg_catalog.pg_class AS c WHERE c.oid OPERATOR(pg_catalog.=) tbl)
			USING ERRCODE = 'undefined_object';
	END IF;
	FOREACH command IN ARRAY ARRAY['select', 'insert', 'update', 'delete'] LOOP
		EXECUTE pg_catalog.format('DROP POLICY IF EXISTS %I ON %s', 'phrbac_' OPERATOR(pg_catalog.||) command, tbl);
	END LOOP;
	EXECUTE pg_catalog.format('DROP TRIGGER IF EXISTS phrbac_moves ON %s', tbl);
	EXECUTE pg_catalog.format('DROP TRIGGER IF EXISTS phrbac_audit ON %s', tbl);
	IF NOT (previous OPERATOR(pg_catalog.->>) 'rls_was_forced')::boolean THEN
		EXECUTE pg_catalog.format('ALTER TABLE %s NO FORCE ROW LEVEL SECURITY', tbl);
	END IF;
	IF NOT (previous OPERATOR(pg_catalog.->>) 'rls_was_enabled')::boolean THEN
		EXECUTE pg_catalog.format('ALTER TABLE %s DISABLE ROW LEVEL SECURITY', tbl);
	END IF;
END
$$;


-- Which organizations an API key reaches is asked in one place,
-- phrbac.api_key_reaches(), by offboarding and the access review.
CREATE FUNCTION phrbac.api_key_reaches(scoped_organizations bigint[], scoped_projects bigint[], organization bigint)
RETURNS boolean
LANGUAGE sql STABLE PARALLEL SAFE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
	SELECT (api_key_reaches.scoped_organizations IS NULL
	        OR api_key_reaches.organization OPERATOR(pg_catalog.=) ANY (api_key_reaches.scoped_organizations))
	   AND (api_key_reaches.scoped_projects IS NULL OR EXISTS (
	        SELECT FROM phrbac.projects AS p
	        WHERE p.organization_id OPERATOR(pg_catalog.=) api_key_reaches.organization
	          AND p.id OPERATOR(pg_catalog.=) ANY (api_key_reaches.scoped_projects)))
$$;
COMMENT ON FUNCTION phrbac.api_key_reaches(bigint[], bigint[], bigint) IS
'does an API key with these scoped_organizations and scoped_projects reach the organization';

CREATE OR REPLACE FUNCTION phrbac.offboard_steps(leaving bigint, organization bigint, transfer_to bigint)
RETURNS jsonb
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	organization_name text := phrbac.organization_name(organization);
	summary jsonb;
	transferred jsonb := '{}';
	protected record;
	moved bigint;
	keys bigint[];
	rules bigint;
	project_memberships bigint;
	role_memberships bigint;
BEGIN
	IF organization_name IS NULL THEN
		RAISE EXCEPTION 'organization % does not exist', organization
			USING ERRCODE = 'undefined_object';
	END IF;
	PERFORM phrbac.require_org_admin(organization, 'members');
	IF NOT EXISTS (SELECT FROM phrbac.organization_members AS m
	               WHERE m.organization_id OPERATOR(pg_catalog.=) organization
	                 AND m.user_id OPERATOR(pg_catalog.=) leaving) THEN
		RAISE EXCEPTION 'user % is not a member of organization "%"', leaving, organization_name
			USING ERRCODE = 'invalid_parameter_value';
	END IF;
	IF transfer_to OPERATOR(pg_catalog.=) leaving THEN
		RAISE EXCEPTION 'cannot transfer user %''s objects to themselves', leaving
			USING ERRCODE = 'invalid_parameter_value';
	END IF;
	IF transfer_to IS NOT NULL AND NOT EXISTS (
		SELECT FROM phrbac.organization_members AS m
		JOIN phrbac.users AS u ON u.id OPERATOR(pg_catalog.=) m.user_id
		WHERE m.organization_id OPERATOR(pg_catalog.=) organization
		  AND m.user_id OPERATOR(pg_catalog.=) transfer_to
		  AND u.is_active
		  AND (m.expires_at IS NULL OR m.expires_at OPERATOR(pg_catalog.>) pg_catalog.statement_timestamp())) THEN
		RAISE EXCEPTION 'cannot transfer to user %: not an active member of organization "%"',
			transfer_to, organization_name
			USING ERRCODE = 'invalid_parameter_value';
	END IF;

	SELECT pg_catalog.array_agg(k.id ORDER BY k.id) INTO keys FROM phrbac.api_keys AS k
	WHERE k.user_id OPERATOR(pg_catalog.=) leaving
	  AND k.revoked_at IS NULL
	  AND phrbac.api_key_reaches(k.scoped_organizations, k.scoped_projects, organization);
	-- With a principal, keys change only through phrbac_revoke_api_key().
	IF pg_catalog.phrbac_principal_user_id() IS NULL THEN
		UPDATE phrbac.api_keys SET revoked_at = pg_catalog.now()
		WHERE id OPERATOR(pg_catalog.=) ANY (keys);
	ELSE
		PERFORM pg_catalog.phrbac_revoke_api_key(key_id) FROM pg_catalog.unnest(keys) AS key_id;
	END IF;

	IF transfer_to IS NOT NULL THEN
		FOR protected IN
			SELECT t.tbl, t.project_column, t.creator_column
			FROM phrbac.protected_tables AS t
			WHERE t.creator_column IS NOT NULL
			ORDER BY t.tbl::pg_catalog.text
		LOOP
			EXECUTE pg_catalog.format(
				'UPDATE %s SET %I = $1 WHERE %I OPERATOR(pg_catalog.=) $2 AND %I OPERATOR(pg_catalog.=) ANY ($3)',
				protected.tbl, protected.creator_column, protected.creator_column, protected.project_column)
			USING transfer_to, leaving,
			      ARRAY(SELECT p.id FROM phrbac.projects AS p
			            WHERE p.organization_id OPERATOR(pg_catalog.=) organization);
			GET DIAGNOSTICS moved = ROW_COUNT;
			transferred := transferred OPERATOR(pg_catalog.||)
				pg_catalog.jsonb_build_object(protected.tbl::pg_catalog.text, moved);
		END LOOP;
	END IF;

	DELETE FROM phrbac.access_rules AS r
	WHERE r.user_id OPERATOR(pg_catalog.=) leaving AND r.organization_id OPERATOR(pg_catalog.=) organization;
	GET DIAGNOSTICS rules = ROW_COUNT;
	DELETE FROM phrbac.project_members AS pm
	WHERE pm.user_id OPERATOR(pg_catalog.=) leaving AND pm.organization_id OPERATOR(pg_catalog.=) organization;
	GET DIAGNOSTICS project_memberships = ROW_COUNT;
	DELETE FROM phrbac.role_members AS rm
	WHERE rm.user_id OPERATOR(pg_catalog.=) leaving AND rm.organization_id OPERATOR(pg_catalog.=) organization;
	GET DIAGNOSTICS role_memberships = ROW_COUNT;
	DELETE FROM phrbac.organization_members AS m
	WHERE m.user_id OPERATOR(pg_catalog.=) leaving AND m.organization_id OPERATOR(pg_catalog.=) organization;

	RETURN pg_catalog.jsonb_build_object(
		'user_id', leaving,
		'organization_id', organization,
		'api_keys_revoked', coalesce(pg_catalog.cardinality(keys), 0),
		'access_rules_removed', rules,
		'project_memberships_removed', project_memberships,
		'role_memberships_removed', role_memberships,
		'organization_membership_removed', true,
		'transferred_to', transfer_to,
		'rows_transferred', transferred);
END
$$;

CREATE OR REPLACE VIEW phrbac.access_review AS
WITH access AS (
	SELECT m.user_id, m.organization_id, 'organization_member'::text AS access, m.id AS access_id,
	       m.role::text AS detail, m.role AS level, m.reason, m.created_at, m.expires_at,
	       NULL::timestamptz AS last_used_at
	FROM phrbac.organization_members AS m
	UNION ALL
	SELECT pm.user_id, pm.organization_id, 'project_member', pm.id,
	       pm.role::text OPERATOR(pg_catalog.||) ' in ' OPERATOR(pg_catalog.||) p.name,
	       pm.role, pm.reason, pm.created_at, pm.expires_at, NULL
	FROM phrbac.project_members AS pm
	JOIN phrbac.projects AS p ON p.id OPERATOR(pg_catalog.=) pm.project_id
	WHERE pm.user_id IS NOT NULL
	UNION ALL
	SELECT rm.user_id, rm.organization_id, 'role_member', rm.id, r.name,
	       NULL, rm.reason, rm.created_at, rm.expires_at, NULL
	FROM phrbac.role_members AS rm
	JOIN phrbac.roles AS r ON r.id OPERATOR(pg_catalog.=) rm.role_id
	UNION ALL
	SELECT ar.user_id, ar.organization_id, 'access_rule', ar.id,
	       ar.access::text OPERATOR(pg_catalog.||) ' in '
	           OPERATOR(pg_catalog.||) coalesce(p.name, 'every project'),
	       NULL, ar.reason, ar.created_at, ar.expires_at, NULL
	FROM phrbac.access_rules AS ar
	LEFT JOIN phrbac.projects AS p ON p.id OPERATOR(pg_catalog.=) ar.project_id
	WHERE ar.user_id IS NOT NULL
	UNION ALL
	SELECT k.user_id, m.organization_id, 'api_key', k.id,
	       k.label OPERATOR(pg_catalog.||) ' (' OPERATOR(pg_catalog.||) k.mask_value OPERATOR(pg_catalog.||) ')',
	       NULL, NULL, k.created_at, k.expires_at, k.last_used_at
	FROM phrbac.api_keys AS k
	JOIN phrbac.organization_members AS m ON m.user_id OPERATOR(pg_catalog.=) k.user_id
	WHERE k.revoked_at IS NULL
	  AND phrbac.api_key_reaches(k.scoped_organizations, k.scoped_projects, m.organization_id)
)
SELECT a.user_id, u.email, a.organization_id, o.name AS organization,
       a.access, a.access_id, a.detail, f.finding, a.reason,
       a.created_at AS granted_at, a.expires_at, a.last_used_at
FROM access AS a
JOIN phrbac.users AS u ON u.id OPERATOR(pg_catalog.=) a.user_id
JOIN phrbac.organizations AS o ON o.id OPERATOR(pg_catalog.=) a.organization_id
CROSS JOIN LATERAL (VALUES
	(CASE WHEN a.expires_at OPERATOR(pg_catalog.<=) pg_catalog.now() THEN 'expired'
	      WHEN a.expires_at OPERATOR(pg_catalog.<=) (pg_catalog.now() OPERATOR(pg_catalog.+) '30 days'::interval)
	      THEN 'expires_soon' END),
	(CASE WHEN a.level OPERATOR(pg_catalog.=) 'owner' THEN 'owner'
	      WHEN a.level OPERATOR(pg_catalog.=) 'admin' THEN 'admin' END),
	(CASE WHEN a.access OPERATOR(pg_catalog.<>) 'api_key'
	       AND coalesce(pg_catalog.btrim(a.reason), '') OPERATOR(pg_catalog.=) '' THEN 'no_reason' END),
	(CASE WHEN a.access OPERATOR(pg_catalog.=) 'api_key'
	       AND coalesce(a.last_used_at, a.created_at)
	           OPERATOR(pg_catalog.<) (pg_catalog.now() OPERATOR(pg_catalog.-) '90 days'::interval)
	      THEN 'key_unused_90_days' END)
) AS f(finding)
WHERE f.finding IS NOT NULL;

-- phrbac_explain() is SECURITY DEFINER: who may run it needs no EXECUTE on
-- phrbac_decision.
CREATE OR REPLACE FUNCTION pg_catalog.phrbac_explain(user_id bigint, project_id bigint, want pg_catalog.phrbac_grant, object_id text DEFAULT NULL, creator_id bigint DEFAULT NULL)
RETURNS jsonb
LANGUAGE sql STABLE PARALLEL SAFE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
	SELECT pg_catalog.jsonb_build_object(
		'allowed', d.allowed,
		'access', d.access::text,
		'source', d.source,
		'subject', d.subject,
		'row_id', d.row_id,
		'reason', CASE d.source
			WHEN 'api_key' THEN 'the API key does not allow it'
			WHEN 'org_membership' THEN 'the user is not an active member of the project''s organization'
			WHEN 'sso' THEN 'the organization requires SSO login'
			WHEN 'creator' THEN 'the user created this object'
			WHEN 'org_admin' THEN 'organization admins and owners have full access'
			WHEN 'project' THEN 'the user has no access to the project (' OPERATOR(pg_catalog.||) d.subject OPERATOR(pg_catalog.||) ')'
			WHEN 'project_admin' THEN 'project admins have full access to the project (' OPERATOR(pg_catalog.||) d.subject OPERATOR(pg_catalog.||) ')'
			WHEN 'object' THEN 'an access rule on this object for ' OPERATOR(pg_catalog.||) d.subject OPERATOR(pg_catalog.||) ' gives ' OPERATOR(pg_catalog.||) d.access::text
			WHEN 'resource' THEN 'a project-wide access rule for ' OPERATOR(pg_catalog.||) d.subject OPERATOR(pg_catalog.||) ' gives ' OPERATOR(pg_catalog.||) d.access::text
			WHEN 'organization' THEN 'an organization-wide access rule for ' OPERATOR(pg_catalog.||) d.subject OPERATOR(pg_catalog.||) ' gives ' OPERATOR(pg_catalog.||) d.access::text
			ELSE 'no access rule applies, so project members get ' OPERATOR(pg_catalog.||) d.access::text
		END)
	FROM pg_catalog.phrbac_decision(user_id, project_id, want, object_id, creator_id) AS d
$$;
