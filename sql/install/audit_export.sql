-- audit_export.sql: the audit log a page at a time for SIEM pollers, as
-- the rows themselves or as OCSF events (README, "Exporting the audit log").

-- One audit row as an OCSF event: the class and activity its activity and
-- scope fit (the table in the README), the actor, the changed item, and the
-- row itself, chain fields included, under "unmapped".
CREATE OR REPLACE FUNCTION phrbac.audit_ocsf(entry phrbac.audit_log)
RETURNS jsonb
LANGUAGE sql STABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
	SELECT pg_catalog.jsonb_build_object(
		'class_uid', c.class_uid,
		'class_name', c.class_name,
		'category_uid', c.category_uid,
		'category_name', c.category_name,
		'activity_id', a.activity_id,
		'activity_name', $1.activity,
		'type_uid', c.class_uid OPERATOR(pg_catalog.*) 100 OPERATOR(pg_catalog.+) a.activity_id,
		'severity_id', 1,
		'severity', 'Informational',
		'status_id', 1,
		'status', 'Success',
		'time', (pg_catalog.date_part('epoch', $1.created_at) OPERATOR(pg_catalog.*) 1000)::bigint,
		'message', $1.scope OPERATOR(pg_catalog.||) ' ' OPERATOR(pg_catalog.||) $1.activity,
		'metadata', pg_catalog.jsonb_build_object(
			'version', '1.1.0',
			'uid', $1.id::text,
			'log_name', 'phrbac.audit_log',
			'product', pg_catalog.jsonb_build_object('name', 'phrbac', 'vendor_name', 'phrbac')),
		'actor', pg_catalog.jsonb_strip_nulls(pg_catalog.jsonb_build_object(
			'user', pg_catalog.jsonb_build_object('uid', $1.user_id::text, 'type', 'User'),
			'session', CASE WHEN $1.api_key_id IS NOT NULL
				THEN pg_catalog.jsonb_build_object('credential_uid', $1.api_key_id::text) END,
			'app_name', $1.db_user::text)),
		'resources', pg_catalog.jsonb_build_array(pg_catalog.jsonb_strip_nulls(pg_catalog.jsonb_build_object(
			'type', $1.scope,
			'uid', $1.item_id,
			'group', pg_catalog.jsonb_build_object('uid', $1.organization_id::text),
			'data', $1.detail))),
		'unmapped', pg_catalog.to_jsonb($1))
	FROM (SELECT CASE
			WHEN $1.activity OPERATOR(pg_catalog.=) ANY (ARRAY['member_added', 'member_removed', 'role_changed',
					'api_key_created', 'api_key_rolled', 'api_key_revoked', 'sso_provisioned', 'offboarded'])
				OR $1.scope OPERATOR(pg_catalog.=) ANY (ARRAY['User', 'OrganizationMembership', 'Role',
					'PersonalAPIKey', 'AccessControl'])
				THEN 3001
			WHEN $1.scope OPERATOR(pg_catalog.=) ANY (ARRAY['Organization', 'Project', 'ApprovalPolicy',
					'ChangeRequest', 'AccessRequest', 'AuditLog'])
				THEN 3004
			ELSE 6003 END AS class_uid) AS k
	CROSS JOIN LATERAL (SELECT k.class_uid,
			CASE k.class_uid WHEN 3001 THEN 'Account Change' WHEN 3004 THEN 'Entity Management'
				ELSE 'API Activity' END AS class_name,
			CASE k.class_uid WHEN 6003 THEN 6 ELSE 3 END AS category_uid,
			CASE k.class_uid WHEN 6003 THEN 'Application Activity'
				ELSE 'Identity & Access Management' END AS category_name) AS c
	CROSS JOIN LATERAL (SELECT CASE
			WHEN c.class_uid OPERATOR(pg_catalog.=) 3001 THEN CASE
				WHEN $1.scope OPERATOR(pg_catalog.=) 'AccessControl' AND $1.activity OPERATOR(pg_catalog.=) 'created' THEN 7
				WHEN $1.scope OPERATOR(pg_catalog.=) 'AccessControl' AND $1.activity OPERATOR(pg_catalog.=) 'deleted' THEN 8
				WHEN $1.activity OPERATOR(pg_catalog.=) ANY (ARRAY['created', 'member_added', 'api_key_created', 'sso_provisioned']) THEN 1
				WHEN $1.activity OPERATOR(pg_catalog.=) 'api_key_rolled' THEN 4
				WHEN $1.activity OPERATOR(pg_catalog.=) ANY (ARRAY['api_key_revoked', 'offboarded']) THEN 5
				WHEN $1.activity OPERATOR(pg_catalog.=) ANY (ARRAY['deleted', 'member_removed']) THEN 6
				ELSE 99 END
			WHEN $1.activity OPERATOR(pg_catalog.=) 'created' THEN 1
			WHEN $1.activity OPERATOR(pg_catalog.=) 'updated' THEN 3
			WHEN $1.activity OPERATOR(pg_catalog.=) 'deleted' THEN 4
			ELSE 99 END AS activity_id) AS a
$$;
COMMENT ON FUNCTION phrbac.audit_ocsf(phrbac.audit_log) IS
'one audit row as an OCSF event: Account Change, Entity Management or API Activity, with the row itself under "unmapped"';

CREATE OR REPLACE FUNCTION pg_catalog.phrbac_audit_export(after_id bigint DEFAULT 0, max_rows integer DEFAULT 1000,
                                                          format text DEFAULT 'json')
RETURNS TABLE (id bigint, record jsonb)
AS 'MODULE_PATHNAME' LANGUAGE C VOLATILE PARALLEL UNSAFE;
REVOKE EXECUTE ON FUNCTION pg_catalog.phrbac_audit_export(bigint, integer, text) FROM PUBLIC;
COMMENT ON FUNCTION pg_catalog.phrbac_audit_export(bigint, integer, text) IS
'the audit log after a cursor, oldest first, a page at a time (json: the rows with their chain fields; ocsf: OCSF events); a page never passes an id a committing writer may still make visible';
