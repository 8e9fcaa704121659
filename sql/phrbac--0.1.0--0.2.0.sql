-- phrbac--0.1.0--0.2.0.sql: upgrades an installed 0.1.0 to 0.2.0 (README,
-- "Upgrading").  Every schema change of 0.2.0 lands here as well as in the
-- install script; the upgrade test compares the two.

\echo Use "ALTER EXTENSION phrbac UPDATE TO '0.2.0'" to load this file. \quit

-- The audit triggers of the catalog take no scope: what each table is to
-- them is src/catalog_table.c's.  The key-scope trigger guards every
-- catalog table, API keys included (it lets their functions decide).
DO $$
DECLARE
	t text;
BEGIN
	FOREACH t IN ARRAY ARRAY['users', 'organizations', 'projects', 'organization_members', 'roles',
	                         'role_members', 'project_members', 'access_rules', 'sso_group_mappings',
	                         'api_keys']
	LOOP
		EXECUTE pg_catalog.format('DROP TRIGGER audit ON phrbac.%I', t);
		EXECUTE pg_catalog.format(
			'CREATE TRIGGER audit AFTER INSERT OR UPDATE OR DELETE ON phrbac.%I'
			' FOR EACH ROW EXECUTE FUNCTION pg_catalog.phrbac_audit_trigger()', t);
	END LOOP;
END
$$;
CREATE TRIGGER key_scope BEFORE INSERT OR UPDATE OR DELETE OR TRUNCATE ON phrbac.api_keys
	FOR EACH STATEMENT EXECUTE FUNCTION phrbac.guard_key_writes();
