-- governance.sql: governance: SSO login, offboarding, the access review.

--
-- phrbac_sso_login() and phrbac_offboard() are C (src/governance.c): each
-- runs its body below through fmgr and labels every audit row the body
-- causes with the act ("sso_provisioned", "offboarded").  The bodies'
-- EXECUTE is revoked from PUBLIC: nobody runs them unlabelled.

-- The organization level an identity provider's groups give in an
-- organization: the highest its sso_group_mappings map them to, else
-- member.  SSO logins raise a level to it; SCIM sets it (README, "SCIM").
CREATE OR REPLACE FUNCTION phrbac.idp_groups_level(organization bigint, idp_groups text[])
RETURNS pg_catalog.phrbac_role
LANGUAGE sql STABLE
SET search_path = pg_catalog, pg_temp
AS $$
	SELECT coalesce(pg_catalog.max(m.org_role), 'member')
	FROM phrbac.sso_group_mappings AS m
	WHERE m.organization_id OPERATOR(pg_catalog.=) idp_groups_level.organization
	  AND m.idp_group OPERATOR(pg_catalog.=) ANY (idp_groups_level.idp_groups)
$$;
REVOKE EXECUTE ON FUNCTION phrbac.idp_groups_level(bigint, text[]) FROM PUBLIC;
COMMENT ON FUNCTION phrbac.idp_groups_level(bigint, text[]) IS
'the organization level identity provider groups map to in an organization (member when none maps to more)';

-- Makes a member's memberships of the roles an organization maps IdP groups
-- to follow idp_groups exactly: the mapped roles of their groups added, the
-- other mapped roles removed; roles no group maps to are left alone.  The
-- role sync of SSO logins and of SCIM.
-- (PL/pgSQL, not SQL: Citus cannot plan a SQL function's writes that use
-- its parameters.)
CREATE OR REPLACE FUNCTION phrbac.sync_idp_roles(member bigint, organization bigint, idp_groups text[])
RETURNS void
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
	INSERT INTO phrbac.role_members (organization_id, role_id, user_id, reason)
	SELECT sync_idp_roles.organization, m.role_id, sync_idp_roles.member,
	       'IdP group ' OPERATOR(pg_catalog.||) pg_catalog.min(m.idp_group)
	FROM phrbac.sso_group_mappings AS m
	WHERE m.organization_id OPERATOR(pg_catalog.=) sync_idp_roles.organization
	  AND m.role_id IS NOT NULL
	  AND m.idp_group OPERATOR(pg_catalog.=) ANY (sync_idp_roles.idp_groups)
	GROUP BY m.role_id
	ON CONFLICT (role_id, user_id) DO NOTHING;

	DELETE FROM phrbac.role_members AS rm
	WHERE rm.user_id OPERATOR(pg_catalog.=) sync_idp_roles.member
	  AND rm.organization_id OPERATOR(pg_catalog.=) sync_idp_roles.organization
	  AND rm.role_id IN (SELECT m.role_id FROM phrbac.sso_group_mappings AS m
	                     WHERE m.organization_id OPERATOR(pg_catalog.=) sync_idp_roles.organization)
	  AND rm.role_id NOT IN (SELECT m.role_id FROM phrbac.sso_group_mappings AS m
	                         WHERE m.organization_id OPERATOR(pg_catalog.=) sync_idp_roles.organization
	                           AND m.role_id IS NOT NULL
	                           AND m.idp_group OPERATOR(pg_catalog.=) ANY (sync_idp_roles.idp_groups));
END
$$;
REVOKE EXECUTE ON FUNCTION phrbac.sync_idp_roles(bigint, bigint, text[]) FROM PUBLIC;
COMMENT ON FUNCTION phrbac.sync_idp_roles(bigint, bigint, text[]) IS
'makes a member''s memberships of the roles IdP groups map to follow their groups (adds and removes)';

-- The identity provider has vouched for login_email: provision the user on
-- first login (just-in-time), make sure they are a member of the
-- organization (member, or what their groups map to if that is more), and
-- make their memberships of the roles the organization maps IdP groups to
-- follow idp_groups.  Runs as the extension's owner with no principal set:
-- the IdP's word is the authority, as a DBA's is.  Never lowers an
-- organization level, never touches expires_at, never revives a
-- deactivated user.
CREATE OR REPLACE FUNCTION phrbac.sso_login_steps(login_email text, login_organization bigint, idp_groups text[])
RETURNS bigint
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	login_user phrbac.users;
BEGIN
	IF NOT EXISTS (SELECT FROM phrbac.organizations AS o WHERE o.id OPERATOR(pg_catalog.=) login_organization) THEN
		RAISE EXCEPTION 'organization % does not exist', login_organization
			USING ERRCODE = 'undefined_object';
	END IF;
	IF login_email OPERATOR(pg_catalog.!~) '^[^@[:space:]]+@[^@[:space:]]+$' THEN
		RAISE EXCEPTION 'invalid email: "%"', login_email
			USING ERRCODE = 'invalid_parameter_value';
	END IF;

	-- SCIM's provisioning of the same email waits, or is waited for
	PERFORM pg_catalog.pg_advisory_xact_lock(phrbac.identity_lock('email ' OPERATOR(pg_catalog.||) pg_catalog.lower(login_email)));
	INSERT INTO phrbac.users (email) VALUES (login_email)
	ON CONFLICT ((pg_catalog.lower(email))) DO NOTHING;
	SELECT * INTO login_user FROM phrbac.users AS u
	WHERE pg_catalog.lower(u.email) OPERATOR(pg_catalog.=) pg_catalog.lower(login_email);
	IF NOT login_user.is_active THEN
		RAISE EXCEPTION 'user "%" is deactivated', login_user.email
			USING ERRCODE = 'invalid_authorization_specification';
	END IF;

	INSERT INTO phrbac.organization_members AS om (organization_id, user_id, role, reason)
	VALUES (login_organization, login_user.id,
	        phrbac.idp_groups_level(login_organization, idp_groups),
	        'provisioned by SSO login')
	ON CONFLICT (organization_id, user_id) DO UPDATE SET role = EXCLUDED.role
	WHERE om.role OPERATOR(pg_catalog.<) EXCLUDED.role;
	PERFORM phrbac.sync_idp_roles(login_user.id, login_organization, idp_groups);
	RETURN login_user.id;
END
$$;
REVOKE EXECUTE ON FUNCTION phrbac.sso_login_steps(text, bigint, text[]) FROM PUBLIC;
COMMENT ON FUNCTION phrbac.sso_login_steps(text, bigint, text[]) IS
'the body of phrbac_sso_login(), which labels its audit rows; not to be called on its own';

CREATE OR REPLACE FUNCTION pg_catalog.phrbac_sso_login(email text, organization_id bigint,
	idp_groups text[] DEFAULT '{}', is_local boolean DEFAULT true)
RETURNS bigint AS 'MODULE_PATHNAME' LANGUAGE C VOLATILE PARALLEL UNSAFE;
REVOKE EXECUTE ON FUNCTION pg_catalog.phrbac_sso_login(text, bigint, text[], boolean) FROM PUBLIC;
COMMENT ON FUNCTION pg_catalog.phrbac_sso_login(text, bigint, text[], boolean) IS
'after the IdP vouched for email: provisions the user, syncs their mapped roles and makes them the principal (auth method saml); returns the user id; for trusted back ends only';

-- True when an API key limited to scoped_organizations and scoped_projects
-- (NULL: no limit) reaches the organization: what offboarding revokes and
-- the access review lists.  SECURITY DEFINER, so that it reads projects
-- whoever asks: the review's readers and offboarding's callers, not the
-- function, hold their own privileges.
CREATE OR REPLACE FUNCTION phrbac.api_key_reaches(scoped_organizations bigint[], scoped_projects bigint[], organization bigint)
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

-- Offboarding one user from one organization, with the caller's privileges
-- and principal: every step is a plain statement that the catalog's
-- triggers check (an admin of the organization, an owner to remove an
-- owner, never the last owner) and audit.  Keys go first, while the user is
-- still a member and their organization admins may revoke them; then the
-- creator columns of protected tables, rules, project and role
-- memberships, and the organization membership last.
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
REVOKE EXECUTE ON FUNCTION phrbac.offboard_steps(bigint, bigint, bigint) FROM PUBLIC;
COMMENT ON FUNCTION phrbac.offboard_steps(bigint, bigint, bigint) IS
'the body of phrbac_offboard(), which labels its audit rows; not to be called on its own';

CREATE OR REPLACE FUNCTION pg_catalog.phrbac_offboard(user_id bigint, organization_id bigint, transfer_to bigint DEFAULT NULL)
RETURNS jsonb AS 'MODULE_PATHNAME' LANGUAGE C VOLATILE PARALLEL UNSAFE;
COMMENT ON FUNCTION pg_catalog.phrbac_offboard(bigint, bigint, bigint) IS
'removes a user from an organization: keys that reach it revoked, creator columns handed to transfer_to, rules and memberships removed; returns what it did';

-- The quarterly access review: one row per finding about one user's access
-- in one organization.  A grant can be listed more than once (an owner with
-- no reason on record is "owner" and "no_reason").  Readable by whoever the
-- DBA grants SELECT to, like the catalog itself.
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
	UNION ALL
	-- project secret keys belong to no user (README, "Project keys and tokens")
	SELECT NULL, pk.organization_id, 'project_key', pk.id,
	       pk.label OPERATOR(pg_catalog.||) ' (' OPERATOR(pg_catalog.||) pk.mask_value
	           OPERATOR(pg_catalog.||) ') in ' OPERATOR(pg_catalog.||) p.name,
	       NULL, NULL, pk.created_at, pk.expires_at, pk.last_used_at
	FROM phrbac.project_keys AS pk
	JOIN phrbac.projects AS p ON p.id OPERATOR(pg_catalog.=) pk.project_id
	WHERE pk.revoked_at IS NULL
)
SELECT a.user_id, u.email, a.organization_id, o.name AS organization,
       a.access, a.access_id, a.detail, f.finding, a.reason,
       a.created_at AS granted_at, a.expires_at, a.last_used_at, ar.id AS access_request_id
FROM access AS a
LEFT JOIN phrbac.users AS u ON u.id OPERATOR(pg_catalog.=) a.user_id
JOIN phrbac.organizations AS o ON o.id OPERATOR(pg_catalog.=) a.organization_id
-- the access request a grant came from (README, "Access requests")
LEFT JOIN phrbac.access_requests AS ar
  ON ar.granted_row OPERATOR(pg_catalog.=) a.access_id AND ar.state OPERATOR(pg_catalog.=) 'approved'
 AND ((a.access OPERATOR(pg_catalog.=) 'project_member' AND ar.project_role IS NOT NULL)
      OR (a.access OPERATOR(pg_catalog.=) 'access_rule' AND ar.access IS NOT NULL))
CROSS JOIN LATERAL (VALUES
	(CASE WHEN a.expires_at OPERATOR(pg_catalog.<=) pg_catalog.now() THEN 'expired'
	      WHEN a.expires_at OPERATOR(pg_catalog.<=) (pg_catalog.now() OPERATOR(pg_catalog.+) '30 days'::interval)
	      THEN 'expires_soon' END),
	(CASE WHEN a.level OPERATOR(pg_catalog.=) 'owner' THEN 'owner'
	      WHEN a.level OPERATOR(pg_catalog.=) 'admin' THEN 'admin' END),
	(CASE WHEN a.access OPERATOR(pg_catalog.<>) ALL (ARRAY['api_key', 'project_key'])
	       AND coalesce(pg_catalog.btrim(a.reason), '') OPERATOR(pg_catalog.=) '' THEN 'no_reason' END),
	(CASE WHEN a.access OPERATOR(pg_catalog.=) ANY (ARRAY['api_key', 'project_key'])
	       AND coalesce(a.last_used_at, a.created_at)
	           OPERATOR(pg_catalog.<) (pg_catalog.now() OPERATOR(pg_catalog.-) '90 days'::interval)
	      THEN 'key_unused_90_days' END),
	(CASE WHEN ar.id IS NOT NULL THEN 'access_request' END)
) AS f(finding)
WHERE f.finding IS NOT NULL;
COMMENT ON VIEW phrbac.access_review IS
'the quarterly access review: expired and soon-expiring access, admins and owners, access without a reason, personal and project keys unused for 90 days (a project key has no user), grants made by access requests (with the request)';
