-- catalog_triggers.sql: the triggers every catalog table carries, attached
-- from the explicit list below (the audit log is not in it: it has its own
-- guard), and the tables pg_dump must keep.

CREATE FUNCTION phrbac.catalog_changed()
RETURNS trigger AS 'MODULE_PATHNAME', 'phrbac_catalog_changed' LANGUAGE C;
COMMENT ON FUNCTION phrbac.catalog_changed() IS
'trigger (per statement): every backend''s decision cache, and every standby''s, starts over after the commit';

-- Through an API key, a change to the catalog also needs the key's write
-- scope on what the table holds.
CREATE FUNCTION phrbac.guard_key_writes()
RETURNS trigger AS 'MODULE_PATHNAME', 'phrbac_guard_key_writes' LANGUAGE C;
COMMENT ON FUNCTION phrbac.guard_key_writes() IS
'trigger (per statement): through an API key, a change to the catalog needs the key''s write scope on what the table holds';

DO $$
DECLARE
	t text;
	audit_scope text;
BEGIN
	FOR t, audit_scope IN
		SELECT v.t, v.audit_scope FROM (VALUES
			('users',                'User'),
			('organizations',        'Organization'),
			('projects',             'Project'),
			('organization_members', 'OrganizationMembership'),
			('roles',                'Role'),
			('role_members',         'Role'),
			('project_members',      'AccessControl'),
			('access_rules',         'AccessControl'),
			('sso_group_mappings',   'Organization'),
			('api_keys',             'PersonalAPIKey'),
			('approval_policies',    'ApprovalPolicy'),
			('change_requests',      'ChangeRequest'),
			('change_request_votes', 'ChangeRequest'),
			('access_requests',      'AccessRequest')) AS v (t, audit_scope)
	LOOP
		-- an authentication's last_used_at stamp is no news to any cache
		EXECUTE pg_catalog.format(
			'CREATE TRIGGER catalog_changed AFTER INSERT OR UPDATE %s OR DELETE OR TRUNCATE ON phrbac.%I'
			' FOR EACH STATEMENT EXECUTE FUNCTION phrbac.catalog_changed()',
			CASE t WHEN 'api_keys' THEN
				'OF user_id, mask_value, secure_value, scopes, scoped_projects,'
				'   scoped_organizations, last_rolled_at, expires_at, revoked_at'
			ELSE '' END, t);
		-- requests and votes are written by phrbac's functions, which check
		-- the key's scopes on what is asked (README, "Approvals")
		IF t OPERATOR(pg_catalog.<>) ALL (ARRAY['api_keys', 'change_requests', 'change_request_votes', 'access_requests']) THEN
			EXECUTE pg_catalog.format(
				'CREATE TRIGGER key_scope BEFORE INSERT OR UPDATE OR DELETE OR TRUNCATE ON phrbac.%I'
				' FOR EACH STATEMENT EXECUTE FUNCTION phrbac.guard_key_writes()', t);
		END IF;
		EXECUTE pg_catalog.format(
			'CREATE TRIGGER audit AFTER INSERT OR UPDATE OR DELETE ON phrbac.%I'
			' FOR EACH ROW EXECUTE FUNCTION pg_catalog.phrbac_audit_trigger(%L)', t, audit_scope);
		PERFORM pg_catalog.pg_extension_config_dump(pg_catalog.format('phrbac.%I', t)::pg_catalog.regclass, '');
		PERFORM pg_catalog.pg_extension_config_dump(
			pg_catalog.pg_get_serial_sequence(pg_catalog.format('phrbac.%I', t), 'id')::pg_catalog.regclass, '');
	END LOOP;
END
$$;
