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
CREATE OR REPLACE FUNCTION pg_catalog.phrbac_whoami()
RETURNS jsonb
LANGUAGE sql STABLE PARALLEL SAFE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
	SELECT pg_catalog.jsonb_build_object(
		'user_id', u.id,
		'email', u.email,
		'auth_method', pg_catalog.phrbac_principal_auth_method(),
		'api_key_id', p.api_key_id,
		'api_key_mask', k.mask_value,
		'scopes', k.scopes::text[])
	FROM (SELECT pg_catalog.phrbac_principal_user_id() AS id,
	             pg_catalog.phrbac_principal_api_key_id() AS api_key_id) AS p
	LEFT JOIN phrbac.users AS u ON u.id OPERATOR(pg_catalog.=) p.id
	LEFT JOIN phrbac.api_keys AS k ON k.id OPERATOR(pg_catalog.=) p.api_key_id
	WHERE p.id IS NOT NULL
$$;
COMMENT ON FUNCTION pg_catalog.phrbac_whoami() IS
'the current principal (NULL when none): user, auth method and API key, never a secret';
