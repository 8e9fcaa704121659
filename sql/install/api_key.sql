-- api_key.sql: personal API keys.

CREATE OR REPLACE FUNCTION pg_catalog.phrbac_authenticate(token text, is_local boolean DEFAULT true)
RETURNS bigint AS 'MODULE_PATHNAME' LANGUAGE C VOLATILE PARALLEL UNSAFE;
COMMENT ON FUNCTION pg_catalog.phrbac_authenticate(text, boolean) IS
'makes the user of a personal API key the principal, restricted by the key; returns the key id';

CREATE OR REPLACE FUNCTION pg_catalog.phrbac_create_api_key(label text,
	scopes pg_catalog.phrbac_scope[] DEFAULT '{*}',
	scoped_projects bigint[] DEFAULT NULL,
	scoped_organizations bigint[] DEFAULT NULL,
	expires_at timestamptz DEFAULT NULL)
RETURNS TABLE (id bigint, secret text)
AS 'MODULE_PATHNAME' LANGUAGE C VOLATILE PARALLEL UNSAFE;
COMMENT ON FUNCTION pg_catalog.phrbac_create_api_key(text, pg_catalog.phrbac_scope[], bigint[], bigint[], timestamptz) IS
'a personal API key for the logged-in user; the secret is shown once and never stored';

CREATE OR REPLACE FUNCTION pg_catalog.phrbac_roll_api_key(id bigint)
RETURNS text AS 'MODULE_PATHNAME' LANGUAGE C VOLATILE PARALLEL UNSAFE;
COMMENT ON FUNCTION pg_catalog.phrbac_roll_api_key(bigint) IS
'a new secret for one of the user''s keys; the old secret stops working at once';

CREATE OR REPLACE FUNCTION pg_catalog.phrbac_revoke_api_key(id bigint)
RETURNS void AS 'MODULE_PATHNAME' LANGUAGE C VOLATILE PARALLEL UNSAFE;
COMMENT ON FUNCTION pg_catalog.phrbac_revoke_api_key(bigint) IS
'revokes a key, for its owner or an admin of an organization it reaches';
-- While a principal is set, keys change only through phrbac's functions.
CREATE OR REPLACE FUNCTION phrbac.guard_api_keys()
RETURNS trigger AS 'MODULE_PATHNAME', 'phrbac_guard_api_keys' LANGUAGE C;
COMMENT ON FUNCTION phrbac.guard_api_keys() IS
'trigger: while a principal is set, keys change only through phrbac''s key functions';
CREATE OR REPLACE TRIGGER guard BEFORE INSERT OR UPDATE ON phrbac.api_keys
	FOR EACH ROW EXECUTE FUNCTION phrbac.guard_api_keys();
