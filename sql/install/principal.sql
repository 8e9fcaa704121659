-- principal.sql: the principal: who is asking.

CREATE OR REPLACE FUNCTION pg_catalog.phrbac_set_user(user_id bigint, auth_method text DEFAULT 'password', is_local boolean DEFAULT true)
RETURNS void AS 'MODULE_PATHNAME' LANGUAGE C VOLATILE PARALLEL UNSAFE;
REVOKE EXECUTE ON FUNCTION pg_catalog.phrbac_set_user(bigint, text, boolean) FROM PUBLIC;
COMMENT ON FUNCTION pg_catalog.phrbac_set_user(bigint, text, boolean) IS
'sets the principal for the transaction (is_local) or the session; for trusted back ends only';

CREATE OR REPLACE FUNCTION pg_catalog.phrbac_reset()
RETURNS void AS 'MODULE_PATHNAME' LANGUAGE C VOLATILE PARALLEL UNSAFE;
COMMENT ON FUNCTION pg_catalog.phrbac_reset() IS 'clears the principal';

CREATE OR REPLACE FUNCTION pg_catalog.phrbac_principal_auth_method()
RETURNS text AS 'MODULE_PATHNAME' LANGUAGE C STABLE PARALLEL SAFE;
COMMENT ON FUNCTION pg_catalog.phrbac_principal_auth_method() IS
'how the current principal logged in (password, saml, api_key, ...), or NULL when none is set';
CREATE OR REPLACE FUNCTION pg_catalog.phrbac_principal_api_key_id()
RETURNS bigint AS 'MODULE_PATHNAME' LANGUAGE C STABLE PARALLEL SAFE;
COMMENT ON FUNCTION pg_catalog.phrbac_principal_api_key_id() IS
'the API key the current principal acts through, or NULL';
-- phrbac_whoami() is project_key.sql's: it names project keys too.
