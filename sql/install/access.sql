-- access.sql: deciding access.

-- The index condition a check on a bigint project column lends a scan
-- (src/access_index.c).
CREATE OR REPLACE FUNCTION pg_catalog.phrbac_can_support(internal)
RETURNS internal AS 'MODULE_PATHNAME' LANGUAGE C STRICT;
COMMENT ON FUNCTION pg_catalog.phrbac_can_support(internal) IS
'planner support of phrbac_can: project = ANY (the projects the check can allow) as a lossy index condition';

-- COST 10: a check costs more than an operator, so the planner evaluates a
-- policy's cheap conditions (the project lists) before it.
CREATE OR REPLACE FUNCTION pg_catalog.phrbac_can(project_id bigint, want pg_catalog.phrbac_grant)
RETURNS boolean AS 'MODULE_PATHNAME' LANGUAGE C STABLE PARALLEL SAFE COST 10
SUPPORT pg_catalog.phrbac_can_support;
CREATE OR REPLACE FUNCTION pg_catalog.phrbac_can(project_id bigint, want pg_catalog.phrbac_grant, object_id text, creator_id bigint DEFAULT NULL)
RETURNS boolean AS 'MODULE_PATHNAME' LANGUAGE C STABLE PARALLEL SAFE COST 10
SUPPORT pg_catalog.phrbac_can_support;
COMMENT ON FUNCTION pg_catalog.phrbac_can(bigint, pg_catalog.phrbac_grant) IS
'does the principal hold want in the project (false without a principal)';
COMMENT ON FUNCTION pg_catalog.phrbac_can(bigint, pg_catalog.phrbac_grant, text, bigint) IS
'does the principal hold want on one object of the project; creator_id gives the creator bypass';

CREATE OR REPLACE FUNCTION pg_catalog.phrbac_user_can(user_id bigint, project_id bigint, want pg_catalog.phrbac_grant, object_id text DEFAULT NULL, creator_id bigint DEFAULT NULL)
RETURNS boolean AS 'MODULE_PATHNAME' LANGUAGE C STABLE PARALLEL SAFE;
REVOKE EXECUTE ON FUNCTION pg_catalog.phrbac_user_can(bigint, bigint, pg_catalog.phrbac_grant, text, bigint) FROM PUBLIC;
COMMENT ON FUNCTION pg_catalog.phrbac_user_can(bigint, bigint, pg_catalog.phrbac_grant, text, bigint) IS
'does a user hold want in the project; for database roles granted it and for organization admins';

CREATE OR REPLACE FUNCTION pg_catalog.phrbac_require(project_id bigint, want pg_catalog.phrbac_grant, object_id text DEFAULT NULL, creator_id bigint DEFAULT NULL)
RETURNS void AS 'MODULE_PATHNAME' LANGUAGE C STABLE PARALLEL SAFE;
COMMENT ON FUNCTION pg_catalog.phrbac_require(bigint, pg_catalog.phrbac_grant, text, bigint) IS
'raises insufficient_privilege unless the principal holds want';

CREATE OR REPLACE FUNCTION pg_catalog.phrbac_project_role(project_id bigint)
RETURNS pg_catalog.phrbac_role AS 'MODULE_PATHNAME' LANGUAGE C STABLE PARALLEL SAFE;
CREATE OR REPLACE FUNCTION pg_catalog.phrbac_org_role(organization_id bigint)
RETURNS pg_catalog.phrbac_role AS 'MODULE_PATHNAME' LANGUAGE C STABLE PARALLEL SAFE;
COMMENT ON FUNCTION pg_catalog.phrbac_project_role(bigint) IS
'the principal''s level in the project (admin for organization admins)';
COMMENT ON FUNCTION pg_catalog.phrbac_org_role(bigint) IS
'the principal''s level in the organization';

CREATE OR REPLACE FUNCTION pg_catalog.phrbac_projects(want pg_catalog.phrbac_grant)
RETURNS bigint[] AS 'MODULE_PATHNAME' LANGUAGE C STABLE PARALLEL SAFE;
COMMENT ON FUNCTION pg_catalog.phrbac_projects(pg_catalog.phrbac_grant) IS
'the projects where the principal holds want resource-wide, in id order';

CREATE OR REPLACE FUNCTION pg_catalog.phrbac_decision(user_id bigint, project_id bigint, want pg_catalog.phrbac_grant, object_id text DEFAULT NULL, creator_id bigint DEFAULT NULL,
	OUT allowed boolean, OUT access pg_catalog.phrbac_grant, OUT source text, OUT subject text, OUT row_id bigint)
RETURNS record AS 'MODULE_PATHNAME' LANGUAGE C STABLE PARALLEL SAFE;
REVOKE EXECUTE ON FUNCTION pg_catalog.phrbac_decision(bigint, bigint, pg_catalog.phrbac_grant, text, bigint) FROM PUBLIC;
COMMENT ON FUNCTION pg_catalog.phrbac_decision(bigint, bigint, pg_catalog.phrbac_grant, text, bigint) IS
'the whole decision for a user: allowed, effective access, deciding step, subject and row';

-- SECURITY DEFINER: whoever may run it needs no EXECUTE on phrbac_decision,
-- which still decides who may ask about whom.
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
REVOKE EXECUTE ON FUNCTION pg_catalog.phrbac_explain(bigint, bigint, pg_catalog.phrbac_grant, text, bigint) FROM PUBLIC;
COMMENT ON FUNCTION pg_catalog.phrbac_explain(bigint, bigint, pg_catalog.phrbac_grant, text, bigint) IS
'why a user is allowed or denied: the deciding step, subject and row, and a sentence';

CREATE OR REPLACE FUNCTION pg_catalog.phrbac_access_matrix(organization_id bigint)
RETURNS TABLE (user_id bigint, email text, project_id bigint, project text, resource text,
               access pg_catalog.phrbac_grant, source text)
LANGUAGE sql STABLE PARALLEL SAFE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
	SELECT m.user_id, u.email, p.id, p.name, r.resource, d.access, d.source
	FROM phrbac.organization_members AS m
	JOIN phrbac.users AS u ON u.id OPERATOR(pg_catalog.=) m.user_id
	JOIN phrbac.projects AS p ON p.organization_id OPERATOR(pg_catalog.=) m.organization_id
	CROSS JOIN pg_catalog.phrbac_resources() AS r(resource)
	CROSS JOIN LATERAL pg_catalog.phrbac_decision(
		m.user_id, p.id,
		(r.resource OPERATOR(pg_catalog.||) ':viewer')::pg_catalog.phrbac_grant) AS d
	WHERE m.organization_id OPERATOR(pg_catalog.=) $1
	ORDER BY m.user_id, p.id, r.resource
$$;
REVOKE EXECUTE ON FUNCTION pg_catalog.phrbac_access_matrix(bigint) FROM PUBLIC;
COMMENT ON FUNCTION pg_catalog.phrbac_access_matrix(bigint) IS
'every member x project x resource of an organization with the effective access and its source';
