-- catalog_triggers.sql: the triggers every catalog table carries (the audit
-- log is not among them: it has its own guard), and the tables pg_dump must
-- keep.  What each table is to the triggers (its audit scope, what an API
-- key needs write scope on to change it, what its changes are called and
-- where its rows are) is src/catalog_table.c's.

CREATE OR REPLACE FUNCTION phrbac.catalog_changed()
RETURNS trigger AS 'MODULE_PATHNAME', 'phrbac_catalog_changed' LANGUAGE C;
COMMENT ON FUNCTION phrbac.catalog_changed() IS
'trigger (per statement): every backend''s decision cache, and every standby''s, starts over after the commit';

-- Through an API key, a change to the catalog also needs the key's write
-- scope on what the table holds.
CREATE OR REPLACE FUNCTION phrbac.guard_key_writes()
RETURNS trigger AS 'MODULE_PATHNAME', 'phrbac_guard_key_writes' LANGUAGE C;
COMMENT ON FUNCTION phrbac.guard_key_writes() IS
'trigger (per statement): through an API key, a change to the catalog needs the key''s write scope on what the table holds';

-- The catalog's tables, in the order their foreign keys build on each other.
CREATE OR REPLACE FUNCTION phrbac.catalog_tables()
RETURNS text[]
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$
	SELECT ARRAY['users', 'organizations', 'projects', 'organization_members', 'roles',
	             'role_members', 'project_members', 'access_rules', 'sso_group_mappings',
	             'api_keys', 'approval_policies', 'change_requests',
	             'change_request_votes', 'access_requests', 'scim_identities',
	             'project_tokens', 'project_keys']
$$;
COMMENT ON FUNCTION phrbac.catalog_tables() IS
'the catalog''s tables (the audit log aside), referenced ones first: what carries the catalog triggers, and what phrbac_citus_setup makes reference tables';

DO $$
DECLARE
	t text;
BEGIN
	FOREACH t IN ARRAY phrbac.catalog_tables()
	LOOP
		-- an authentication's last_used_at stamp is no news to any cache
		EXECUTE pg_catalog.format(
			'CREATE OR REPLACE TRIGGER catalog_changed AFTER INSERT OR UPDATE %s OR DELETE OR TRUNCATE ON phrbac.%I'
			' FOR EACH STATEMENT EXECUTE FUNCTION phrbac.catalog_changed()',
			CASE t WHEN 'api_keys' THEN
				'OF user_id, mask_value, secure_value, scopes, scoped_projects,'
				'   scoped_organizations, last_rolled_at, expires_at, revoked_at'
			WHEN 'project_keys' THEN
				'OF organization_id, project_id, mask_value, secure_value, scopes,'
				'   last_rolled_at, expires_at, revoked_at'
			ELSE '' END, t);
		EXECUTE pg_catalog.format(
			'CREATE OR REPLACE TRIGGER key_scope BEFORE INSERT OR UPDATE OR DELETE OR TRUNCATE ON phrbac.%I'
			' FOR EACH STATEMENT EXECUTE FUNCTION phrbac.guard_key_writes()', t);
		EXECUTE pg_catalog.format(
			'CREATE OR REPLACE TRIGGER audit AFTER INSERT OR UPDATE OR DELETE ON phrbac.%I'
			' FOR EACH ROW EXECUTE FUNCTION pg_catalog.phrbac_audit_trigger()', t);
		PERFORM pg_catalog.pg_extension_config_dump(pg_catalog.format('phrbac.%I', t)::pg_catalog.regclass, '');
		-- project keys draw their ids from api_keys' sequence
		IF t OPERATOR(pg_catalog.<>) 'project_keys' THEN
			PERFORM pg_catalog.pg_extension_config_dump(
				pg_catalog.pg_get_serial_sequence(pg_catalog.format('phrbac.%I', t), 'id')::pg_catalog.regclass, '');
		END IF;
	END LOOP;
END
$$;
