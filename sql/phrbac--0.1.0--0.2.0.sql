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
'trigger (per row): records a change in the audit log when its transaction commits; arguments: the scope, and on protected tables the project column';
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
-- Approvals and access requests (README, "Approvals", "Access requests")
--------------------------------------------------------------------------

-- audit: the new scopes and activities
COMMENT ON COLUMN phrbac.audit_log.scope IS
'what changed: User, Organization, OrganizationMembership, Project, Role, AccessControl, PersonalAPIKey, ApprovalPolicy, ChangeRequest, AccessRequest, or a protected table''s resource';
COMMENT ON COLUMN phrbac.audit_log.activity IS
'created, updated, deleted, member_added, member_removed, role_changed, api_key_created, api_key_rolled, api_key_revoked, pruned, sso_provisioned, offboarded, change_requested, change_approved, change_rejected, change_applied, change_cancelled, change_stale, change_expired, access_requested, access_approved, access_denied, access_cancelled, access_expired';

-- approvals
--
-- A write to a protected table that an approval policy matches is refused;
-- phrbac_request_change() records it instead, and phrbac_approve() (C,
-- src/approvals.c) applies it at the policy's quorum, as the requester, in
-- the approver's transaction.  The trigger phrbac_approvals, which
-- phrbac_protect() puts on every protected table, refuses the direct write
-- and turns pending requests on a row that changes stale.

CREATE TABLE phrbac.approval_policies (
	id                  bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
	organization_id     bigint NOT NULL REFERENCES phrbac.organizations (id) ON DELETE CASCADE,
	project_id          bigint,
	name                text NOT NULL,
	resource            text NOT NULL,
	action              text NOT NULL DEFAULT '*'
	                    CHECK (action OPERATOR(pg_catalog.=) ANY (ARRAY['create', 'edit', 'delete', '*'])),
	condition           jsonb,
	approver_user_ids   bigint[],
	approver_role_ids   bigint[],
	quorum              integer NOT NULL DEFAULT 1 CHECK (quorum OPERATOR(pg_catalog.>) 0),
	allow_self_approval boolean NOT NULL DEFAULT false,
	bypass_level        pg_catalog.phrbac_role CHECK (bypass_level OPERATOR(pg_catalog.>=) 'admin'),
	request_ttl         interval NOT NULL DEFAULT '14 days'
	                    CHECK (request_ttl OPERATOR(pg_catalog.>) '0'::interval),
	reason              text,
	created_at          timestamptz NOT NULL DEFAULT pg_catalog.now(),
	created_by          bigint DEFAULT pg_catalog.phrbac_principal_user_id()
	                    REFERENCES phrbac.users (id) ON DELETE SET NULL,
	UNIQUE (organization_id, name),
	FOREIGN KEY (organization_id, project_id)
		REFERENCES phrbac.projects (organization_id, id) ON DELETE CASCADE
);
CREATE INDEX ON phrbac.approval_policies (organization_id, resource);
COMMENT ON TABLE phrbac.approval_policies IS
'changes to protected tables that need others'' approval: which resource, action and rows, who approves, how many';
COMMENT ON COLUMN phrbac.approval_policies.project_id IS
'NULL: every project of the organization';
COMMENT ON COLUMN phrbac.approval_policies.action IS
'create, edit, delete, or * for all three';
COMMENT ON COLUMN phrbac.approval_policies.condition IS
'NULL: every change; {"column": c, "op": o, "value": v} tests the new row; {"column": c, "change_above": n} the size of the change';
COMMENT ON COLUMN phrbac.approval_policies.approver_user_ids IS
'who may approve, with approver_role_ids; both NULL: anyone who may do the action';
COMMENT ON COLUMN phrbac.approval_policies.approver_role_ids IS
'the roles whose members may approve, with approver_user_ids';
COMMENT ON COLUMN phrbac.approval_policies.quorum IS
'how many approvals apply the change';
COMMENT ON COLUMN phrbac.approval_policies.bypass_level IS
'the organization level that writes directly (admin or owner); NULL: nobody';
COMMENT ON COLUMN phrbac.approval_policies.request_ttl IS
'how long a request stays open before it expires';

CREATE TABLE phrbac.change_requests (
	id               bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
	organization_id  bigint NOT NULL REFERENCES phrbac.organizations (id) ON DELETE CASCADE,
	project_id       bigint NOT NULL,
	policy_id        bigint REFERENCES phrbac.approval_policies (id) ON DELETE SET NULL,
	tbl              pg_catalog.regclass NOT NULL,
	action           text NOT NULL
	                 CHECK (action OPERATOR(pg_catalog.=) ANY (ARRAY['create', 'edit', 'delete'])),
	item_id          text,
	key              jsonb,
	before           jsonb,
	after            jsonb,
	reason           text,
	requested_by     bigint NOT NULL REFERENCES phrbac.users (id),
	requested_at     timestamptz NOT NULL DEFAULT pg_catalog.now(),
	expires_at       timestamptz NOT NULL,
	state            text NOT NULL DEFAULT 'pending'
	                 CHECK (state OPERATOR(pg_catalog.=) ANY (ARRAY['pending', 'applied', 'rejected', 'cancelled', 'expired', 'stale'])),
	decided_at       timestamptz,
	created_at       timestamptz NOT NULL DEFAULT pg_catalog.now(),
	created_by       bigint DEFAULT pg_catalog.phrbac_principal_user_id()
	                 REFERENCES phrbac.users (id) ON DELETE SET NULL,
	FOREIGN KEY (organization_id, project_id)
		REFERENCES phrbac.projects (organization_id, id) ON DELETE CASCADE
);
CREATE INDEX ON phrbac.change_requests (tbl) WHERE state OPERATOR(pg_catalog.=) 'pending';
CREATE INDEX ON phrbac.change_requests (organization_id, state);
COMMENT ON TABLE phrbac.change_requests IS
'changes to protected tables waiting for, or decided by, approval; never deleted';
COMMENT ON COLUMN phrbac.change_requests.tbl IS
'the protected table the change is to';
COMMENT ON COLUMN phrbac.change_requests.key IS
'the primary key of the row an edit or a delete is to';
COMMENT ON COLUMN phrbac.change_requests.before IS
'the row as it was when requested; the change applies only to that row as it was';
COMMENT ON COLUMN phrbac.change_requests.after IS
'what the change asks for: the new row of a create (its given columns), the whole row after an edit';
COMMENT ON COLUMN phrbac.change_requests.state IS
'pending, applied, rejected, cancelled, expired or stale (the row changed meanwhile)';

CREATE TABLE phrbac.change_request_votes (
	id               bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
	organization_id  bigint NOT NULL REFERENCES phrbac.organizations (id) ON DELETE CASCADE,
	request_id       bigint NOT NULL REFERENCES phrbac.change_requests (id) ON DELETE CASCADE,
	user_id          bigint NOT NULL REFERENCES phrbac.users (id),
	vote             text NOT NULL
	                 CHECK (vote OPERATOR(pg_catalog.=) ANY (ARRAY['approve', 'reject'])),
	reason           text,
	created_at       timestamptz NOT NULL DEFAULT pg_catalog.now(),
	created_by       bigint DEFAULT pg_catalog.phrbac_principal_user_id()
	                 REFERENCES phrbac.users (id) ON DELETE SET NULL,
	UNIQUE (request_id, user_id)
);
COMMENT ON TABLE phrbac.change_request_votes IS
'approvals and rejections of change requests, one per person';

-- True while what a request or vote hangs on (its organization, and its
-- project or request) exists: then the row is history, and stays.
CREATE FUNCTION phrbac.request_parent_exists(row_data jsonb)
RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
	SELECT EXISTS (SELECT FROM phrbac.organizations AS o
	               WHERE o.id OPERATOR(pg_catalog.=) (row_data OPERATOR(pg_catalog.->>) 'organization_id')::bigint)
	   AND (EXISTS (SELECT FROM phrbac.projects AS p
	                WHERE p.id OPERATOR(pg_catalog.=) (row_data OPERATOR(pg_catalog.->>) 'project_id')::bigint)
	        OR EXISTS (SELECT FROM phrbac.change_requests AS r
	                   WHERE r.id OPERATOR(pg_catalog.=) (row_data OPERATOR(pg_catalog.->>) 'request_id')::bigint))
$$;
COMMENT ON FUNCTION phrbac.request_parent_exists(jsonb) IS
'true while the organization and the project of a request, or the request of a vote, exist';

-- The tables below are written by phrbac's functions, which run as the
-- extension's owner; anyone else, with or without privileges, is refused.
-- Rows go only with their project (or request).
CREATE FUNCTION phrbac.guard_requests()
RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
	IF TG_OP OPERATOR(pg_catalog.=) 'DELETE' THEN
		IF phrbac.request_parent_exists(pg_catalog.to_jsonb(OLD)) THEN
			RAISE EXCEPTION 'rows of %.% are never deleted', TG_TABLE_SCHEMA, TG_TABLE_NAME
				USING ERRCODE = 'insufficient_privilege',
				      DETAIL = 'The requests and their decisions are the history the access review reads.';
		END IF;
		RETURN OLD;
	END IF;
	IF NOT EXISTS (SELECT FROM pg_catalog.pg_class AS c
	               WHERE c.oid OPERATOR(pg_catalog.=) TG_RELID
	                 AND c.relowner OPERATOR(pg_catalog.=) (SELECT r.oid FROM pg_catalog.pg_roles AS r
	                                                       WHERE r.rolname OPERATOR(pg_catalog.=) CURRENT_USER)) THEN
		RAISE EXCEPTION '%.% is written only by phrbac''s functions', TG_TABLE_SCHEMA, TG_TABLE_NAME
			USING ERRCODE = 'insufficient_privilege',
			      HINT = CASE TG_TABLE_NAME WHEN 'access_requests'
			             THEN 'Use phrbac_request_access() and phrbac_decide_access().'
			             ELSE 'Use phrbac_request_change(), phrbac_approve(), phrbac_reject() and phrbac_cancel().' END;
	END IF;
	RETURN NEW;
END
$$;
COMMENT ON FUNCTION phrbac.guard_requests() IS
'trigger: requests and votes are written only by phrbac''s functions and deleted only with their project or organization';

-- Raises 42703 unless every protected table of the resource has the column.
CREATE FUNCTION phrbac.require_condition_column(policy_resource text, col text, numeric_only boolean)
RETURNS void
LANGUAGE plpgsql STABLE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	t record;
BEGIN
	FOR t IN SELECT p.tbl, c.relname FROM phrbac.protected_tables AS p
	         JOIN pg_catalog.pg_class AS c ON c.oid OPERATOR(pg_catalog.=) p.tbl
	         WHERE p.resource OPERATOR(pg_catalog.=) policy_resource LOOP
		IF NOT EXISTS (SELECT FROM pg_catalog.pg_attribute AS a
		               WHERE a.attrelid OPERATOR(pg_catalog.=) t.tbl AND a.attname OPERATOR(pg_catalog.=) col
		                 AND a.attnum OPERATOR(pg_catalog.>) 0 AND NOT a.attisdropped) THEN
			RAISE EXCEPTION 'column "%" does not exist in table "%"', col, t.relname
				USING ERRCODE = 'undefined_column',
				      DETAIL = pg_catalog.format('Table "%s" holds %s rows, which the condition tests.', t.relname, policy_resource);
		END IF;
		IF numeric_only AND NOT EXISTS (
			SELECT FROM pg_catalog.pg_attribute AS a
			WHERE a.attrelid OPERATOR(pg_catalog.=) t.tbl AND a.attname OPERATOR(pg_catalog.=) col
			  AND a.atttypid OPERATOR(pg_catalog.=) ANY (ARRAY['int2', 'int4', 'int8', 'numeric', 'float4', 'float8']::pg_catalog.regtype[])) THEN
			RAISE EXCEPTION 'column "%" of table "%" is not a number', col, t.relname
				USING ERRCODE = 'datatype_mismatch',
				      DETAIL = 'A change_above condition measures how far a number moves.';
		END IF;
	END LOOP;
END
$$;
COMMENT ON FUNCTION phrbac.require_condition_column(text, text, boolean) IS
'raises 42703 unless every protected table of the resource has the condition''s column (a number, for change_above)';

CREATE FUNCTION phrbac.guard_approval_policies()
RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	c jsonb;
	well_formed boolean;
	member bigint;
	shape_hint constant text :=
		'Use {"column": "rollout", "op": ">", "value": 50} (the new row) or {"column": "rollout", "change_above": 25} (the change).';
BEGIN
	IF TG_OP OPERATOR(pg_catalog.<>) 'INSERT' THEN
		PERFORM phrbac.require_org_admin(OLD.organization_id, 'approval policies');
	END IF;
	IF TG_OP OPERATOR(pg_catalog.=) 'DELETE' THEN
		RETURN OLD;
	END IF;
	PERFORM phrbac.require_org_admin(NEW.organization_id, 'approval policies');
	PERFORM phrbac.require_same_organization(NEW.organization_id, NEW.project_id, NULL, NULL);
	FOREACH member IN ARRAY coalesce(NEW.approver_role_ids, '{}') LOOP
		PERFORM phrbac.require_same_organization(NEW.organization_id, NULL, member, NULL);
	END LOOP;
	FOREACH member IN ARRAY coalesce(NEW.approver_user_ids, '{}') LOOP
		PERFORM phrbac.require_same_organization(NEW.organization_id, NULL, NULL, member);
	END LOOP;

	NEW.resource := pg_catalog.phrbac_grant_resource((NEW.resource OPERATOR(pg_catalog.||) ':view')::pg_catalog.phrbac_grant);
	IF NEW.resource OPERATOR(pg_catalog.=) '*'
	   OR NOT pg_catalog.phrbac_grant_takes_rules((NEW.resource OPERATOR(pg_catalog.||) ':view')::pg_catalog.phrbac_grant) THEN
		RAISE EXCEPTION 'an approval policy is for one resource of protected tables, not "%"', NEW.resource
			USING ERRCODE = 'invalid_parameter_value';
	END IF;
	IF NEW.action IS NULL OR NEW.action OPERATOR(pg_catalog.<>) ALL (ARRAY['create', 'edit', 'delete', '*']) THEN
		RAISE EXCEPTION 'invalid action: "%"', NEW.action
			USING ERRCODE = 'invalid_parameter_value', HINT = 'Use create, edit, delete or *.';
	END IF;
	IF NEW.quorum IS NULL OR NEW.quorum OPERATOR(pg_catalog.<) 1 THEN
		RAISE EXCEPTION 'quorum must be at least 1, not %', coalesce(NEW.quorum::text, 'NULL')
			USING ERRCODE = 'invalid_parameter_value';
	END IF;
	IF NEW.bypass_level OPERATOR(pg_catalog.<) 'admin' THEN
		RAISE EXCEPTION 'only admins or owners can bypass an approval policy, not "%"', NEW.bypass_level
			USING ERRCODE = 'invalid_parameter_value', HINT = 'Use admin, owner, or NULL for nobody.';
	END IF;
	IF NEW.request_ttl IS NULL OR NEW.request_ttl OPERATOR(pg_catalog.<=) '0'::interval THEN
		RAISE EXCEPTION 'request_ttl must be positive, not %', coalesce(NEW.request_ttl::text, 'NULL')
			USING ERRCODE = 'invalid_parameter_value';
	END IF;

	c := NEW.condition;
	IF c IS NOT NULL THEN
		IF pg_catalog.jsonb_typeof(c) OPERATOR(pg_catalog.<>) 'object'
		   OR pg_catalog.jsonb_typeof(c OPERATOR(pg_catalog.->) 'column') IS DISTINCT FROM 'string' THEN
			well_formed := false;
		ELSIF c OPERATOR(pg_catalog.?) 'change_above' THEN
			well_formed := pg_catalog.jsonb_typeof(c OPERATOR(pg_catalog.->) 'change_above') OPERATOR(pg_catalog.=) 'number'
				AND (c OPERATOR(pg_catalog.->>) 'change_above')::numeric OPERATOR(pg_catalog.>=) 0
				AND (SELECT pg_catalog.count(*) FROM pg_catalog.jsonb_object_keys(c)) OPERATOR(pg_catalog.=) 2;
		ELSE
			well_formed := (c OPERATOR(pg_catalog.->>) 'op') OPERATOR(pg_catalog.=) ANY (ARRAY['=', '<>', '<', '<=', '>', '>='])
				AND pg_catalog.jsonb_typeof(c OPERATOR(pg_catalog.->) 'value') OPERATOR(pg_catalog.=) ANY (ARRAY['number', 'string', 'boolean'])
				AND (SELECT pg_catalog.count(*) FROM pg_catalog.jsonb_object_keys(c)) OPERATOR(pg_catalog.=) 3;
		END IF;
		IF NOT coalesce(well_formed, false) THEN
			RAISE EXCEPTION 'invalid approval condition: %', c
				USING ERRCODE = 'invalid_parameter_value', HINT = shape_hint;
		END IF;
		PERFORM phrbac.require_condition_column(NEW.resource, c OPERATOR(pg_catalog.->>) 'column',
			c OPERATOR(pg_catalog.?) 'change_above');
	END IF;
	RETURN NEW;
END
$$;
COMMENT ON FUNCTION phrbac.guard_approval_policies() IS
'trigger: only organization admins write approval policies; their resource, action, quorum, bypass and condition are checked';

CREATE TRIGGER guard BEFORE INSERT OR UPDATE OR DELETE ON phrbac.approval_policies
	FOR EACH ROW EXECUTE FUNCTION phrbac.guard_approval_policies();
CREATE TRIGGER guard BEFORE INSERT OR UPDATE OR DELETE ON phrbac.change_requests
	FOR EACH ROW EXECUTE FUNCTION phrbac.guard_requests();
CREATE TRIGGER guard BEFORE INSERT OR UPDATE OR DELETE ON phrbac.change_request_votes
	FOR EACH ROW EXECUTE FUNCTION phrbac.guard_requests();

-- True when a policy's condition holds for a change from old_row to new_row
-- (either NULL for a create or a delete).  The new row is tested, or the
-- row being deleted; a missing number counts as 0 in the size of a change.
CREATE FUNCTION phrbac.condition_holds(condition jsonb, old_row jsonb, new_row jsonb)
RETURNS boolean
LANGUAGE plpgsql IMMUTABLE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	col text := condition OPERATOR(pg_catalog.->>) 'column';
	subject jsonb := coalesce(new_row, old_row);
	actual jsonb;
	expected jsonb := condition OPERATOR(pg_catalog.->) 'value';
	cmp integer;
BEGIN
	IF condition IS NULL THEN
		RETURN true;
	END IF;
	IF NOT subject OPERATOR(pg_catalog.?) col THEN
		RAISE EXCEPTION 'column "%" of an approval condition is not in the row', col
			USING ERRCODE = 'undefined_column';
	END IF;
	IF condition OPERATOR(pg_catalog.?) 'change_above' THEN
		RETURN pg_catalog.abs(coalesce((new_row OPERATOR(pg_catalog.->>) col)::numeric, 0)
		                      OPERATOR(pg_catalog.-) coalesce((old_row OPERATOR(pg_catalog.->>) col)::numeric, 0))
		       OPERATOR(pg_catalog.>) (condition OPERATOR(pg_catalog.->>) 'change_above')::numeric;
	END IF;
	actual := subject OPERATOR(pg_catalog.->) col;
	IF pg_catalog.jsonb_typeof(actual) OPERATOR(pg_catalog.=) 'null' THEN
		RETURN false;
	ELSIF pg_catalog.jsonb_typeof(actual) OPERATOR(pg_catalog.=) 'number'
	      AND pg_catalog.jsonb_typeof(expected) OPERATOR(pg_catalog.=) 'number' THEN
		cmp := pg_catalog.numeric_cmp((actual OPERATOR(pg_catalog.#>>) '{}')::numeric,
		                              (expected OPERATOR(pg_catalog.#>>) '{}')::numeric);
	ELSE
		cmp := pg_catalog.bttextcmp(actual OPERATOR(pg_catalog.#>>) '{}', expected OPERATOR(pg_catalog.#>>) '{}');
	END IF;
	RETURN CASE condition OPERATOR(pg_catalog.->>) 'op'
		WHEN '=' THEN cmp OPERATOR(pg_catalog.=) 0
		WHEN '<>' THEN cmp OPERATOR(pg_catalog.<>) 0
		WHEN '<' THEN cmp OPERATOR(pg_catalog.<) 0
		WHEN '<=' THEN cmp OPERATOR(pg_catalog.<=) 0
		WHEN '>' THEN cmp OPERATOR(pg_catalog.>) 0
		ELSE cmp OPERATOR(pg_catalog.>=) 0 END;
END
$$;
COMMENT ON FUNCTION phrbac.condition_holds(jsonb, jsonb, jsonb) IS
'true when an approval policy''s condition holds for a change from the old row to the new (jsonb; NULL for none)';

-- The first policy (lowest id) that matches a change, or NULL; with
-- honour_bypass, policies the principal may bypass are skipped.
CREATE FUNCTION phrbac.matching_policy(policy_resource text, change_action text, project bigint,
	old_row jsonb, new_row jsonb, honour_bypass boolean)
RETURNS phrbac.approval_policies
LANGUAGE plpgsql STABLE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	policy phrbac.approval_policies;
BEGIN
	FOR policy IN
		SELECT ap.* FROM phrbac.approval_policies AS ap
		JOIN phrbac.projects AS p ON p.organization_id OPERATOR(pg_catalog.=) ap.organization_id
		WHERE p.id OPERATOR(pg_catalog.=) project
		  AND ap.resource OPERATOR(pg_catalog.=) policy_resource
		  AND (ap.project_id IS NULL OR ap.project_id OPERATOR(pg_catalog.=) project)
		  AND ap.action OPERATOR(pg_catalog.=) ANY (ARRAY[change_action, '*'])
		ORDER BY ap.id
	LOOP
		CONTINUE WHEN honour_bypass AND policy.bypass_level IS NOT NULL
		          AND pg_catalog.phrbac_org_role(policy.organization_id) OPERATOR(pg_catalog.>=) policy.bypass_level;
		IF phrbac.condition_holds(policy.condition, old_row, new_row) THEN
			RETURN policy;
		END IF;
	END LOOP;
	RETURN NULL;
END
$$;
COMMENT ON FUNCTION phrbac.matching_policy(text, text, bigint, jsonb, jsonb, boolean) IS
'the first approval policy that matches a change to a protected table''s row, or NULL';

-- A table's primary key columns, in order (NULL without one).
CREATE FUNCTION phrbac.primary_key(tbl pg_catalog.regclass)
RETURNS name[]
LANGUAGE sql STABLE
SET search_path = pg_catalog, pg_temp
AS $$
	SELECT pg_catalog.array_agg(a.attname ORDER BY k.n)
	FROM pg_catalog.pg_index AS i
	CROSS JOIN LATERAL pg_catalog.unnest(i.indkey::smallint[]) WITH ORDINALITY AS k(attnum, n)
	JOIN pg_catalog.pg_attribute AS a
	  ON a.attrelid OPERATOR(pg_catalog.=) i.indrelid AND a.attnum OPERATOR(pg_catalog.=) k.attnum
	WHERE i.indrelid OPERATOR(pg_catalog.=) tbl AND i.indisprimary
$$;
COMMENT ON FUNCTION phrbac.primary_key(pg_catalog.regclass) IS
'a table''s primary key columns, in order';

-- The WHERE clause that finds the row whose key is $n (jsonb) in a table
-- aliased t: typed through jsonb_populate_record, so the key's index serves.
CREATE FUNCTION phrbac.key_match(tbl pg_catalog.regclass, param integer)
RETURNS text
LANGUAGE sql STABLE
SET search_path = pg_catalog, pg_temp
AS $$
	SELECT pg_catalog.string_agg(pg_catalog.format(
		't.%1$I OPERATOR(pg_catalog.=) (pg_catalog.jsonb_populate_record(NULL::%2$s, $%3$s)).%1$I',
		col, tbl, param), ' AND ')
	FROM pg_catalog.unnest(phrbac.primary_key(tbl)) AS col
$$;
COMMENT ON FUNCTION phrbac.key_match(pg_catalog.regclass, integer) IS
'the condition that finds the row a jsonb key (the n-th parameter) names, in a table aliased t';

-- The trigger phrbac_protect() puts on every protected table (BEFORE, per
-- row; arguments: the project column and the resource).  While a principal
-- is set, a write that a policy matches is refused, unless phrbac_approve()
-- is applying it.  Any change to a row turns the pending requests on it
-- stale.
CREATE FUNCTION pg_catalog.phrbac_guard_approvals()
RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	old_row jsonb;
	new_row jsonb;
	project bigint;
	policy phrbac.approval_policies;
	old_key jsonb;
BEGIN
	-- the common case first: no policy for the resource, no request pending
	IF NOT EXISTS (SELECT FROM phrbac.approval_policies AS ap WHERE ap.resource OPERATOR(pg_catalog.=) TG_ARGV[1])
	   AND NOT EXISTS (SELECT FROM phrbac.change_requests AS r
	                   WHERE r.tbl OPERATOR(pg_catalog.=) TG_RELID AND r.state OPERATOR(pg_catalog.=) 'pending') THEN
		RETURN CASE WHEN TG_OP OPERATOR(pg_catalog.=) 'DELETE' THEN OLD ELSE NEW END;
	END IF;
	IF TG_OP OPERATOR(pg_catalog.<>) 'INSERT' THEN
		old_row := pg_catalog.to_jsonb(OLD);
	END IF;
	IF TG_OP OPERATOR(pg_catalog.<>) 'DELETE' THEN
		new_row := pg_catalog.to_jsonb(NEW);
	END IF;
	IF TG_OP OPERATOR(pg_catalog.=) 'UPDATE' AND new_row OPERATOR(pg_catalog.=) old_row THEN
		RETURN NEW;				-- nothing changes
	END IF;

	IF pg_catalog.phrbac_applying_change() IS NULL AND pg_catalog.phrbac_principal_user_id() IS NOT NULL THEN
		project := (coalesce(new_row, old_row) OPERATOR(pg_catalog.->>) TG_ARGV[0])::bigint;
		policy := phrbac.matching_policy(TG_ARGV[1],
			CASE TG_OP WHEN 'INSERT' THEN 'create' WHEN 'UPDATE' THEN 'edit' ELSE 'delete' END,
			project, old_row, new_row, true);
		IF policy.id IS NOT NULL THEN
			RAISE EXCEPTION 'this change needs approval: policy "%"', policy.name
				USING ERRCODE = 'insufficient_privilege',
				      HINT = pg_catalog.format('Ask for it with phrbac_request_change(%L, %L, ...).', TG_RELID::pg_catalog.regclass,
				             CASE TG_OP WHEN 'INSERT' THEN 'create' WHEN 'UPDATE' THEN 'edit' ELSE 'delete' END);
		END IF;
	END IF;

	IF TG_OP OPERATOR(pg_catalog.<>) 'INSERT'
	   AND EXISTS (SELECT FROM phrbac.change_requests AS r
	               WHERE r.tbl OPERATOR(pg_catalog.=) TG_RELID AND r.state OPERATOR(pg_catalog.=) 'pending') THEN
		SELECT pg_catalog.jsonb_object_agg(col, old_row OPERATOR(pg_catalog.->) col) INTO old_key
		FROM pg_catalog.unnest(phrbac.primary_key(TG_RELID)) AS col;
		UPDATE phrbac.change_requests AS r SET state = 'stale', decided_at = pg_catalog.now()
		WHERE r.tbl OPERATOR(pg_catalog.=) TG_RELID AND r.state OPERATOR(pg_catalog.=) 'pending'
		  AND r.key OPERATOR(pg_catalog.=) old_key;
	END IF;
	RETURN CASE WHEN TG_OP OPERATOR(pg_catalog.=) 'DELETE' THEN OLD ELSE NEW END;
END
$$;
COMMENT ON FUNCTION pg_catalog.phrbac_guard_approvals() IS
'trigger phrbac_approvals of protected tables: a write an approval policy matches needs a change request; a changed row''s pending requests go stale; arguments: the project column and the resource';

-- Pending requests past their expiry, in one organization, read expired
-- from the next call of an approval function on.
CREATE FUNCTION phrbac.expire_requests(organization bigint)
RETURNS void
LANGUAGE sql SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
	UPDATE phrbac.change_requests SET state = 'expired', decided_at = expires_at
	WHERE organization_id OPERATOR(pg_catalog.=) organization AND state OPERATOR(pg_catalog.=) 'pending'
	  AND expires_at OPERATOR(pg_catalog.<=) pg_catalog.now();
$$;
REVOKE EXECUTE ON FUNCTION phrbac.expire_requests(bigint) FROM PUBLIC;
COMMENT ON FUNCTION phrbac.expire_requests(bigint) IS
'marks an organization''s pending change requests past their expiry expired';

-- Raises unless the principal is set.
CREATE FUNCTION phrbac.require_principal(what text)
RETURNS bigint
LANGUAGE plpgsql STABLE
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
	IF pg_catalog.phrbac_principal_user_id() IS NULL THEN
		RAISE EXCEPTION '% needs a principal', what
			USING ERRCODE = 'insufficient_privilege',
			      HINT = 'Set one with phrbac_set_user(), phrbac_authenticate() or phrbac_sso_login().';
	END IF;
	RETURN pg_catalog.phrbac_principal_user_id();
END
$$;
COMMENT ON FUNCTION phrbac.require_principal(text) IS
'the principal''s user id; raises 42501 when none is set';

CREATE FUNCTION pg_catalog.phrbac_request_change(tbl pg_catalog.regclass, action text, new_row jsonb,
	key jsonb DEFAULT NULL, reason text DEFAULT NULL)
RETURNS bigint
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	principal bigint := phrbac.require_principal('phrbac_request_change()');
	protection record;
	table_name name;
	pk name[];
	col text;
	before jsonb;
	after jsonb;
	project bigint;
	org bigint;
	policy phrbac.approval_policies;
	request bigint;
BEGIN
	SELECT p.*, c.relname INTO protection
	FROM phrbac.protected_tables AS p JOIN pg_catalog.pg_class AS c ON c.oid OPERATOR(pg_catalog.=) p.tbl
	WHERE p.tbl OPERATOR(pg_catalog.=) phrbac_request_change.tbl;
	IF NOT FOUND THEN
		RAISE EXCEPTION 'table "%" is not protected by phrbac', tbl
			USING ERRCODE = 'undefined_object', HINT = 'Only writes to protected tables need approval.';
	END IF;
	table_name := protection.relname;
	IF action IS NULL OR action OPERATOR(pg_catalog.<>) ALL (ARRAY['create', 'edit', 'delete']) THEN
		RAISE EXCEPTION 'invalid action: %', coalesce('"' OPERATOR(pg_catalog.||) action OPERATOR(pg_catalog.||) '"', 'NULL')
			USING ERRCODE = 'invalid_parameter_value', HINT = 'Use create, edit or delete.';
	END IF;

	IF action OPERATOR(pg_catalog.<>) 'create' THEN
		pk := phrbac.primary_key(tbl);
		IF pk IS NULL THEN
			RAISE EXCEPTION 'table "%" has no primary key', table_name
				USING ERRCODE = 'invalid_table_definition',
				      DETAIL = 'A request to edit or delete a row names it by its primary key.';
		END IF;
		IF pg_catalog.jsonb_typeof(key) IS DISTINCT FROM 'object'
		   OR NOT (SELECT pg_catalog.array_agg(k ORDER BY k) FROM pg_catalog.jsonb_object_keys(key) AS k)
		          OPERATOR(pg_catalog.=) (SELECT pg_catalog.array_agg(c::text ORDER BY c::text) FROM pg_catalog.unnest(pk) AS c) THEN
			RAISE EXCEPTION 'invalid key for table "%": %', table_name, coalesce(key::text, 'NULL')
				USING ERRCODE = 'invalid_parameter_value',
				      HINT = pg_catalog.format('Name the row by its primary key: %s.', pg_catalog.array_to_string(pk, ', '));
		END IF;
		EXECUTE pg_catalog.format('SELECT pg_catalog.to_jsonb(t) FROM %s AS t WHERE %s', tbl, phrbac.key_match(tbl, 1))
			INTO before USING key;
		IF before IS NULL THEN
			RAISE EXCEPTION 'no row of "%" has the key %', table_name, key
				USING ERRCODE = 'no_data_found';
		END IF;
	END IF;

	IF action OPERATOR(pg_catalog.<>) 'delete' THEN
		IF pg_catalog.jsonb_typeof(new_row) IS DISTINCT FROM 'object' OR new_row OPERATOR(pg_catalog.=) '{}' THEN
			RAISE EXCEPTION 'a request to % a row needs the new values as a jsonb object', action
				USING ERRCODE = 'invalid_parameter_value';
		END IF;
		FOR col IN SELECT pg_catalog.jsonb_object_keys(new_row) LOOP
			IF NOT EXISTS (SELECT FROM pg_catalog.pg_attribute AS a
			               WHERE a.attrelid OPERATOR(pg_catalog.=) tbl AND a.attname OPERATOR(pg_catalog.=) col
			                 AND a.attnum OPERATOR(pg_catalog.>) 0 AND NOT a.attisdropped) THEN
				RAISE EXCEPTION 'column "%" does not exist in table "%"', col, table_name
					USING ERRCODE = 'undefined_column';
			END IF;
			IF action OPERATOR(pg_catalog.=) 'edit' AND col OPERATOR(pg_catalog.=) ANY (pk) THEN
				RAISE EXCEPTION 'a request cannot change the key column "%"', col
					USING ERRCODE = 'invalid_parameter_value';
			END IF;
		END LOOP;
		-- the values as the table's types read them (bad input fails here)
		EXECUTE pg_catalog.format('SELECT pg_catalog.to_jsonb(pg_catalog.jsonb_populate_record(NULL::%s, $1))', tbl)
			INTO after USING new_row;
		SELECT pg_catalog.jsonb_object_agg(k, after OPERATOR(pg_catalog.->) k) INTO after
		FROM pg_catalog.jsonb_object_keys(new_row) AS k;
		IF action OPERATOR(pg_catalog.=) 'edit' THEN
			after := before OPERATOR(pg_catalog.||) after;
		END IF;
	END IF;

	project := (coalesce(before, after) OPERATOR(pg_catalog.->>) protection.project_column)::bigint;
	SELECT p.organization_id INTO org FROM phrbac.projects AS p WHERE p.id OPERATOR(pg_catalog.=) project;
	-- the requester must be allowed the action itself, as for the write
	PERFORM pg_catalog.phrbac_require(project,
		pg_catalog.format('%s:%s', protection.resource, action)::pg_catalog.phrbac_grant,
		coalesce(before, after) OPERATOR(pg_catalog.->>) protection.object_column,
		(before OPERATOR(pg_catalog.->>) protection.creator_column)::bigint);
	IF action OPERATOR(pg_catalog.=) 'edit'
	   AND (after OPERATOR(pg_catalog.->>) protection.project_column) IS DISTINCT FROM (before OPERATOR(pg_catalog.->>) protection.project_column) THEN
		PERFORM pg_catalog.phrbac_require((after OPERATOR(pg_catalog.->>) protection.project_column)::bigint,
			pg_catalog.format('%s:create', protection.resource)::pg_catalog.phrbac_grant);
	END IF;

	policy := phrbac.matching_policy(protection.resource, action, project, before, after, false);
	IF policy.id IS NULL THEN
		RAISE EXCEPTION 'this change needs no approval'
			USING ERRCODE = 'invalid_parameter_value',
			      HINT = 'No approval policy matches it: write it directly.';
	END IF;
	PERFORM phrbac.expire_requests(org);
	INSERT INTO phrbac.change_requests AS r (organization_id, project_id, policy_id, tbl, action, item_id,
		key, before, after, reason, requested_by, expires_at)
	VALUES (org, project, policy.id, tbl, action,
		coalesce(coalesce(before, after) OPERATOR(pg_catalog.->>) protection.object_column,
		         CASE WHEN pg_catalog.array_length(pk, 1) OPERATOR(pg_catalog.=) 1
		              THEN key OPERATOR(pg_catalog.->>) pk[1]::text ELSE key::text END),
		key, before, after, reason, principal, pg_catalog.now() OPERATOR(pg_catalog.+) policy.request_ttl)
	RETURNING r.id INTO request;
	RETURN request;
END
$$;
COMMENT ON FUNCTION pg_catalog.phrbac_request_change(pg_catalog.regclass, text, jsonb, jsonb, text) IS
'asks for a change to a protected table that an approval policy holds back: create, edit or delete (key: the row''s primary key); returns the request''s id';

-- The request, locked, if it can still be decided; else raises.  For an
-- edit or a delete the row is locked first, in the order a direct write
-- takes the locks (row, then request), and returned in current.
CREATE FUNCTION phrbac.lock_pending_request(request_id bigint, OUT request phrbac.change_requests, OUT current jsonb)
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
	SELECT * INTO request FROM phrbac.change_requests AS r WHERE r.id OPERATOR(pg_catalog.=) request_id;
	IF NOT FOUND THEN
		RAISE EXCEPTION 'change request % does not exist', request_id
			USING ERRCODE = 'undefined_object';
	END IF;
	IF request.action OPERATOR(pg_catalog.<>) 'create' AND request.state OPERATOR(pg_catalog.=) 'pending' THEN
		EXECUTE pg_catalog.format('SELECT pg_catalog.to_jsonb(t) FROM %s AS t WHERE %s FOR UPDATE OF t',
			request.tbl, phrbac.key_match(request.tbl, 1))
			INTO current USING request.key;
	END IF;
	SELECT * INTO request FROM phrbac.change_requests AS r WHERE r.id OPERATOR(pg_catalog.=) request_id FOR UPDATE;
	IF request.state OPERATOR(pg_catalog.=) 'stale' THEN
		RAISE EXCEPTION 'change request % is stale', request_id
			USING ERRCODE = 'serialization_failure',
			      DETAIL = 'The row changed after the request; nothing was applied.',
			      HINT = 'Request the change again against the row as it is now.';
	END IF;
	IF request.state OPERATOR(pg_catalog.=) 'expired'
	   OR (request.state OPERATOR(pg_catalog.=) 'pending' AND request.expires_at OPERATOR(pg_catalog.<=) pg_catalog.now()) THEN
		RAISE EXCEPTION 'change request % has expired', request_id
			USING ERRCODE = 'object_not_in_prerequisite_state',
			      DETAIL = pg_catalog.format('It was open until %s.', request.expires_at);
	END IF;
	IF request.state OPERATOR(pg_catalog.<>) 'pending' THEN
		RAISE EXCEPTION 'change request % is already %', request_id, request.state
			USING ERRCODE = 'object_not_in_prerequisite_state';
	END IF;
END
$$;
REVOKE EXECUTE ON FUNCTION phrbac.lock_pending_request(bigint) FROM PUBLIC;
COMMENT ON FUNCTION phrbac.lock_pending_request(bigint) IS
'locks a change request that can still be decided (and the row it is to); raises when it is stale, expired or decided';

-- Raises 42501 unless the principal may vote on the request: an approver
-- of its policy, allowed the action, and not the requester unless the
-- policy allows self-approval.
CREATE FUNCTION phrbac.require_approver(request phrbac.change_requests, policy phrbac.approval_policies, verb text)
RETURNS void
LANGUAGE plpgsql STABLE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	principal bigint := pg_catalog.phrbac_principal_user_id();
	protection record;
BEGIN
	IF policy.id IS NULL THEN
		RAISE EXCEPTION 'the approval policy of change request % no longer exists', request.id
			USING ERRCODE = 'object_not_in_prerequisite_state';
	END IF;
	IF principal OPERATOR(pg_catalog.=) request.requested_by
	   AND (verb OPERATOR(pg_catalog.=) 'reject' OR NOT policy.allow_self_approval) THEN
		RAISE EXCEPTION 'you cannot % your own change request', verb
			USING ERRCODE = 'insufficient_privilege',
			      HINT = CASE verb WHEN 'reject' THEN 'Withdraw it with phrbac_cancel().'
			             ELSE 'Someone else must approve it.' END;
	END IF;
	IF (policy.approver_user_ids IS NOT NULL OR policy.approver_role_ids IS NOT NULL)
	   AND NOT principal OPERATOR(pg_catalog.=) ANY (coalesce(policy.approver_user_ids, '{}'))
	   AND NOT EXISTS (SELECT FROM phrbac.role_members AS rm
	                   WHERE rm.user_id OPERATOR(pg_catalog.=) principal
	                     AND rm.role_id OPERATOR(pg_catalog.=) ANY (coalesce(policy.approver_role_ids, '{}'))
	                     AND (rm.expires_at IS NULL OR rm.expires_at OPERATOR(pg_catalog.>) pg_catalog.now())) THEN
		RAISE EXCEPTION 'you are not an approver of policy "%"', policy.name
			USING ERRCODE = 'insufficient_privilege';
	END IF;
	SELECT * INTO protection FROM phrbac.protected_tables AS p WHERE p.tbl OPERATOR(pg_catalog.=) request.tbl;
	PERFORM pg_catalog.phrbac_require(request.project_id,
		pg_catalog.format('%s:%s', policy.resource, request.action)::pg_catalog.phrbac_grant,
		coalesce(request.before, request.after) OPERATOR(pg_catalog.->>) protection.object_column,
		(request.before OPERATOR(pg_catalog.->>) protection.creator_column)::bigint);
END
$$;
REVOKE EXECUTE ON FUNCTION phrbac.require_approver(phrbac.change_requests, phrbac.approval_policies, text) FROM PUBLIC;
COMMENT ON FUNCTION phrbac.require_approver(phrbac.change_requests, phrbac.approval_policies, text) IS
'raises 42501 unless the principal may vote on the change request';

-- The body of phrbac_approve() (C, which applies the change at the
-- quorum): records the approval; at the quorum checks the row is as it was,
-- marks the request applied and returns what to apply.
CREATE FUNCTION phrbac.approve_steps(request_id bigint, reason text)
RETURNS jsonb
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	principal bigint := phrbac.require_principal('phrbac_approve()');
	locked record;
	request phrbac.change_requests;
	policy phrbac.approval_policies;
	protection record;
	approvals integer;
	cols text;
	statement text;
BEGIN
	locked := phrbac.lock_pending_request(request_id);
	request := locked.request;
	SELECT * INTO policy FROM phrbac.approval_policies AS ap WHERE ap.id OPERATOR(pg_catalog.=) request.policy_id;
	PERFORM phrbac.require_approver(request, policy, 'approve');
	IF EXISTS (SELECT FROM phrbac.change_request_votes AS v
	           WHERE v.request_id OPERATOR(pg_catalog.=) request.id AND v.user_id OPERATOR(pg_catalog.=) principal) THEN
		RAISE EXCEPTION 'you have already approved change request %', request.id
			USING ERRCODE = 'unique_violation';
	END IF;
	INSERT INTO phrbac.change_request_votes (organization_id, request_id, user_id, vote, reason)
	VALUES (request.organization_id, request.id, principal, 'approve', reason);
	SELECT pg_catalog.count(*) INTO approvals FROM phrbac.change_request_votes AS v
	WHERE v.request_id OPERATOR(pg_catalog.=) request.id AND v.vote OPERATOR(pg_catalog.=) 'approve';
	IF approvals OPERATOR(pg_catalog.<) policy.quorum THEN
		RETURN pg_catalog.jsonb_build_object('state', 'pending', 'request', request.id);
	END IF;

	IF request.action OPERATOR(pg_catalog.<>) 'create' AND locked.current IS DISTINCT FROM request.before THEN
		RAISE EXCEPTION 'change request % is stale', request.id
			USING ERRCODE = 'serialization_failure',
			      DETAIL = 'The row changed after the request; nothing was applied.',
			      HINT = 'Request the change again against the row as it is now.';
	END IF;
	UPDATE phrbac.change_requests AS r SET state = 'applied', decided_at = pg_catalog.now()
	WHERE r.id OPERATOR(pg_catalog.=) request.id;
	SELECT * INTO protection FROM phrbac.protected_tables AS p WHERE p.tbl OPERATOR(pg_catalog.=) request.tbl;
	-- the write, $1 the key and $2 the row after
	SELECT pg_catalog.string_agg(pg_catalog.quote_ident(k), ', ' ORDER BY k) INTO cols
	FROM pg_catalog.jsonb_object_keys(request.after) AS k
	WHERE request.action OPERATOR(pg_catalog.=) 'create'
	   OR (request.after OPERATOR(pg_catalog.->) k) IS DISTINCT FROM (request.before OPERATOR(pg_catalog.->) k);
	statement := CASE request.action
		WHEN 'create' THEN pg_catalog.format(
			'INSERT INTO %1$s (%2$s) SELECT %2$s FROM pg_catalog.jsonb_populate_record(NULL::%1$s, $2)',
			request.tbl, cols)
		WHEN 'edit' THEN CASE WHEN cols IS NOT NULL THEN pg_catalog.format(
			'UPDATE %1$s AS t SET (%2$s) = (SELECT %2$s FROM pg_catalog.jsonb_populate_record(NULL::%1$s, $2)) WHERE %3$s',
			request.tbl, cols, phrbac.key_match(request.tbl, 1)) END
		ELSE pg_catalog.format('DELETE FROM %s AS t WHERE %s', request.tbl, phrbac.key_match(request.tbl, 1)) END;
	RETURN pg_catalog.jsonb_build_object(
		'state', 'applied', 'request', request.id, 'requested_by', request.requested_by,
		'statement', statement, 'key', request.key, 'after', request.after,
		'project_id', request.project_id,
		'want', pg_catalog.format('%s:%s', protection.resource, request.action),
		'object_id', coalesce(request.before, request.after) OPERATOR(pg_catalog.->>) protection.object_column,
		'creator_id', request.before OPERATOR(pg_catalog.->) protection.creator_column);
END
$$;
REVOKE EXECUTE ON FUNCTION phrbac.approve_steps(bigint, text) FROM PUBLIC;
COMMENT ON FUNCTION phrbac.approve_steps(bigint, text) IS
'the body of phrbac_approve(): records the approval and, at the quorum, says what to apply; not to be called on its own';

-- The write of an approved change, run by phrbac_approve() with the
-- requester as principal and with the caller's privileges, so the table's
-- policies judge it as they would the requester's own write.  It reads
-- nothing of schema phrbac: approve_steps wrote the statement.
CREATE FUNCTION phrbac.apply_steps(change jsonb)
RETURNS jsonb
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
	PERFORM pg_catalog.phrbac_require((change OPERATOR(pg_catalog.->>) 'project_id')::bigint,
		(change OPERATOR(pg_catalog.->>) 'want')::pg_catalog.phrbac_grant,
		change OPERATOR(pg_catalog.->>) 'object_id', (change OPERATOR(pg_catalog.->>) 'creator_id')::bigint);
	IF change OPERATOR(pg_catalog.->>) 'statement' IS NOT NULL THEN	-- NULL: an edit that changes nothing
		EXECUTE change OPERATOR(pg_catalog.->>) 'statement'
			USING change OPERATOR(pg_catalog.->) 'key', change OPERATOR(pg_catalog.->) 'after';
	END IF;
	RETURN change;
END
$$;
REVOKE EXECUTE ON FUNCTION phrbac.apply_steps(jsonb) FROM PUBLIC;
COMMENT ON FUNCTION phrbac.apply_steps(jsonb) IS
'the write of an approved change, run by phrbac_approve() as the requester; not to be called on its own';

CREATE FUNCTION pg_catalog.phrbac_approve(request_id bigint, reason text DEFAULT NULL)
RETURNS text AS 'MODULE_PATHNAME' LANGUAGE C;
COMMENT ON FUNCTION pg_catalog.phrbac_approve(bigint, text) IS
'approves a change request; at the quorum the change is applied at once, as the requester; returns pending or applied';

CREATE FUNCTION pg_catalog.phrbac_applying_change()
RETURNS bigint AS 'MODULE_PATHNAME' LANGUAGE C;
COMMENT ON FUNCTION pg_catalog.phrbac_applying_change() IS
'the change request phrbac_approve() is applying, or NULL';

CREATE FUNCTION pg_catalog.phrbac_reject(request_id bigint, reason text)
RETURNS void
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	principal bigint := phrbac.require_principal('phrbac_reject()');
	request phrbac.change_requests;
	policy phrbac.approval_policies;
BEGIN
	IF coalesce(pg_catalog.btrim(reason), '') OPERATOR(pg_catalog.=) '' THEN
		RAISE EXCEPTION 'a rejection needs a reason'
			USING ERRCODE = 'invalid_parameter_value';
	END IF;
	request := (phrbac.lock_pending_request(request_id)).request;
	SELECT * INTO policy FROM phrbac.approval_policies AS ap WHERE ap.id OPERATOR(pg_catalog.=) request.policy_id;
	PERFORM phrbac.require_approver(request, policy, 'reject');
	INSERT INTO phrbac.change_request_votes (organization_id, request_id, user_id, vote, reason)
	VALUES (request.organization_id, request.id, principal, 'reject', reason)
	ON CONFLICT ON CONSTRAINT change_request_votes_request_id_user_id_key
	DO UPDATE SET vote = 'reject', reason = EXCLUDED.reason;
	UPDATE phrbac.change_requests AS r SET state = 'rejected', decided_at = pg_catalog.now()
	WHERE r.id OPERATOR(pg_catalog.=) request.id;
END
$$;
COMMENT ON FUNCTION pg_catalog.phrbac_reject(bigint, text) IS
'rejects a change request, with a reason; one rejection ends it';

CREATE FUNCTION pg_catalog.phrbac_cancel(request_id bigint)
RETURNS void
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	principal bigint := phrbac.require_principal('phrbac_cancel()');
	request phrbac.change_requests;
BEGIN
	request := (phrbac.lock_pending_request(request_id)).request;
	IF request.requested_by OPERATOR(pg_catalog.<>) principal THEN
		RAISE EXCEPTION 'only the requester can cancel change request %', request.id
			USING ERRCODE = 'insufficient_privilege';
	END IF;
	IF EXISTS (SELECT FROM phrbac.change_request_votes AS v WHERE v.request_id OPERATOR(pg_catalog.=) request.id) THEN
		RAISE EXCEPTION 'change request % has approvals and can no longer be cancelled', request.id
			USING ERRCODE = 'object_not_in_prerequisite_state';
	END IF;
	UPDATE phrbac.change_requests AS r SET state = 'cancelled', decided_at = pg_catalog.now()
	WHERE r.id OPERATOR(pg_catalog.=) request.id;
END
$$;
COMMENT ON FUNCTION pg_catalog.phrbac_cancel(bigint) IS
'withdraws one''s own change request, before anyone has approved it';

-- True when the principal may vote on the request now, by the very check
-- phrbac_approve() makes.
CREATE FUNCTION phrbac.may_vote(request phrbac.change_requests)
RETURNS boolean
LANGUAGE plpgsql STABLE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
	PERFORM phrbac.require_approver(request, ap, 'approve')
	FROM phrbac.approval_policies AS ap WHERE ap.id OPERATOR(pg_catalog.=) request.policy_id;
	RETURN FOUND;
EXCEPTION WHEN insufficient_privilege THEN
	RETURN false;
END
$$;
COMMENT ON FUNCTION phrbac.may_vote(phrbac.change_requests) IS
'true when the principal may approve the change request (the check phrbac_approve() makes)';

-- What the principal may vote on: pending, unexpired, not yet voted on,
-- and allowed by phrbac.may_vote().
CREATE VIEW phrbac.pending_approvals AS
	SELECT r.id, r.organization_id, r.project_id, ap.name AS policy, r.tbl, r.action, r.item_id,
	       r.before, r.after, r.reason, r.requested_by, u.email AS requested_by_email,
	       r.requested_at, r.expires_at,
	       (SELECT pg_catalog.count(*) FROM phrbac.change_request_votes AS v
	        WHERE v.request_id OPERATOR(pg_catalog.=) r.id AND v.vote OPERATOR(pg_catalog.=) 'approve') AS approvals,
	       ap.quorum
	FROM phrbac.change_requests AS r
	JOIN phrbac.approval_policies AS ap ON ap.id OPERATOR(pg_catalog.=) r.policy_id
	JOIN phrbac.users AS u ON u.id OPERATOR(pg_catalog.=) r.requested_by
	WHERE r.state OPERATOR(pg_catalog.=) 'pending'
	  AND r.expires_at OPERATOR(pg_catalog.>) pg_catalog.now()
	  AND NOT EXISTS (SELECT FROM phrbac.change_request_votes AS v
	                  WHERE v.request_id OPERATOR(pg_catalog.=) r.id
	                    AND v.user_id OPERATOR(pg_catalog.=) pg_catalog.phrbac_principal_user_id())
	  AND phrbac.may_vote(r);
COMMENT ON VIEW phrbac.pending_approvals IS
'the change requests the current principal may approve or reject now';
-- Rows follow the principal; anyone may ask.
GRANT SELECT ON phrbac.pending_approvals TO PUBLIC;

-- access_requests
-- requests").  A member asks for a project level or a grant, with a reason
-- and a duration; someone who may make that grant decides; approving
-- creates the project_members or access_rules row, with the request's
-- reason and an end.  Nobody decides their own request; requests stay.

ALTER TABLE phrbac.organizations ADD COLUMN access_request_max_duration interval NOT NULL DEFAULT '90 days'
	CHECK (access_request_max_duration OPERATOR(pg_catalog.>) '0'::interval);
COMMENT ON COLUMN phrbac.organizations.access_request_max_duration IS
'the longest access an access request may ask for';

CREATE TABLE phrbac.access_requests (
	id               bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
	organization_id  bigint NOT NULL REFERENCES phrbac.organizations (id) ON DELETE CASCADE,
	project_id       bigint NOT NULL,
	user_id          bigint NOT NULL REFERENCES phrbac.users (id),
	project_role     pg_catalog.phrbac_role
	                 CHECK (project_role OPERATOR(pg_catalog.>=) 'viewer' AND project_role OPERATOR(pg_catalog.<=) 'admin'),
	access           pg_catalog.phrbac_grant,
	reason           text NOT NULL CHECK (pg_catalog.btrim(reason) OPERATOR(pg_catalog.<>) ''),
	duration         interval NOT NULL CHECK (duration OPERATOR(pg_catalog.>) '0'::interval),
	state            text NOT NULL DEFAULT 'pending'
	                 CHECK (state OPERATOR(pg_catalog.=) ANY (ARRAY['pending', 'approved', 'denied', 'cancelled', 'expired'])),
	decided_by       bigint REFERENCES phrbac.users (id),
	decided_at       timestamptz,
	decision_reason  text,
	granted_row      bigint,
	requested_at     timestamptz NOT NULL DEFAULT pg_catalog.now(),
	expires_at       timestamptz NOT NULL DEFAULT pg_catalog.now() OPERATOR(pg_catalog.+) '24 hours'::interval,
	created_at       timestamptz NOT NULL DEFAULT pg_catalog.now(),
	created_by       bigint DEFAULT pg_catalog.phrbac_principal_user_id()
	                 REFERENCES phrbac.users (id) ON DELETE SET NULL,
	CHECK (pg_catalog.num_nonnulls(project_role, access) OPERATOR(pg_catalog.=) 1),
	FOREIGN KEY (organization_id, project_id)
		REFERENCES phrbac.projects (organization_id, id) ON DELETE CASCADE
);
CREATE INDEX ON phrbac.access_requests (organization_id, state);
CREATE INDEX ON phrbac.access_requests (granted_row);
COMMENT ON TABLE phrbac.access_requests IS
'requests for time-bound access to a project, and their decisions; never deleted';
COMMENT ON COLUMN phrbac.access_requests.user_id IS
'who asks, for themself';
COMMENT ON COLUMN phrbac.access_requests.project_role IS
'the project level asked for (viewer, member or admin), or NULL when access is';
COMMENT ON COLUMN phrbac.access_requests.access IS
'the grant asked for (an access rule for the requester), or NULL when project_role is';
COMMENT ON COLUMN phrbac.access_requests.duration IS
'how long the access lasts once granted';
COMMENT ON COLUMN phrbac.access_requests.granted_row IS
'the project_members row (project_role) or access_rules row (access) the approval created';
COMMENT ON COLUMN phrbac.access_requests.expires_at IS
'a pending request expires at this instant (24 hours after it was made)';

CREATE TRIGGER guard BEFORE INSERT OR UPDATE OR DELETE ON phrbac.access_requests
	FOR EACH ROW EXECUTE FUNCTION phrbac.guard_requests();

CREATE FUNCTION pg_catalog.phrbac_request_access(project_id bigint, access text, reason text,
	duration interval DEFAULT '7 days')
RETURNS bigint
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	principal bigint := phrbac.require_principal('phrbac_request_access()');
	org phrbac.organizations;
	level pg_catalog.phrbac_role;
	wanted pg_catalog.phrbac_grant;
	request bigint;
BEGIN
	SELECT o.* INTO org FROM phrbac.organizations AS o
	JOIN phrbac.projects AS p ON p.organization_id OPERATOR(pg_catalog.=) o.id
	WHERE p.id OPERATOR(pg_catalog.=) phrbac_request_access.project_id;
	IF NOT FOUND OR pg_catalog.phrbac_org_role(org.id) OPERATOR(pg_catalog.<) 'member' THEN
		RAISE EXCEPTION 'you don''t have access to the project'
			USING ERRCODE = 'insufficient_privilege',
			      DETAIL = 'Only members of a project''s organization can request access to it.';
	END IF;
	IF coalesce(pg_catalog.btrim(reason), '') OPERATOR(pg_catalog.=) '' THEN
		RAISE EXCEPTION 'an access request needs a reason'
			USING ERRCODE = 'invalid_parameter_value';
	END IF;
	IF duration IS NULL OR duration OPERATOR(pg_catalog.<=) '0'::interval THEN
		RAISE EXCEPTION 'invalid duration: %', coalesce(duration::text, 'NULL')
			USING ERRCODE = 'invalid_parameter_value', HINT = 'Ask for a positive duration, such as 7 days.';
	END IF;
	IF duration OPERATOR(pg_catalog.>) org.access_request_max_duration THEN
		RAISE EXCEPTION 'access can be requested for at most % in organization "%"',
			org.access_request_max_duration, org.name
			USING ERRCODE = 'invalid_parameter_value';
	END IF;
	IF pg_catalog.lower(pg_catalog.btrim(access)) OPERATOR(pg_catalog.=) ANY (ARRAY['viewer', 'member', 'admin']) THEN
		level := pg_catalog.lower(pg_catalog.btrim(access))::pg_catalog.phrbac_role;
	ELSIF pg_catalog.strpos(access, ':') OPERATOR(pg_catalog.>) 0 THEN
		wanted := access::pg_catalog.phrbac_grant;
		IF NOT pg_catalog.phrbac_grant_takes_rules(wanted)
		   OR pg_catalog.cardinality(pg_catalog.phrbac_grant_actions(wanted)) OPERATOR(pg_catalog.=) 0 THEN
			RAISE EXCEPTION 'invalid access: "%"', access
				USING ERRCODE = 'invalid_parameter_value',
				      HINT = 'Ask for a grant that gives something, on a resource that takes access rules.';
		END IF;
	ELSE
		RAISE EXCEPTION 'invalid access: %', coalesce('"' OPERATOR(pg_catalog.||) access OPERATOR(pg_catalog.||) '"', 'NULL')
			USING ERRCODE = 'invalid_parameter_value',
			      HINT = 'Ask for a project level (viewer, member or admin) or a grant such as feature_flag:editor.';
	END IF;
	PERFORM phrbac.expire_access_requests(org.id);
	INSERT INTO phrbac.access_requests AS r (organization_id, project_id, user_id, project_role, access, reason, duration)
	VALUES (org.id, phrbac_request_access.project_id, principal, level, wanted, reason, duration)
	RETURNING r.id INTO request;
	RETURN request;
END
$$;
COMMENT ON FUNCTION pg_catalog.phrbac_request_access(bigint, text, text, interval) IS
'asks for a project level or a grant in a project, for a while, with a reason; returns the request''s id';

-- Pending requests past their 24 hours, in one organization, read expired
-- from the next request or decision on.
CREATE FUNCTION phrbac.expire_access_requests(organization bigint)
RETURNS void
LANGUAGE sql SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
	UPDATE phrbac.access_requests SET state = 'expired', decided_at = expires_at
	WHERE organization_id OPERATOR(pg_catalog.=) organization AND state OPERATOR(pg_catalog.=) 'pending'
	  AND expires_at OPERATOR(pg_catalog.<=) pg_catalog.now();
$$;
REVOKE EXECUTE ON FUNCTION phrbac.expire_access_requests(bigint) FROM PUBLIC;
COMMENT ON FUNCTION phrbac.expire_access_requests(bigint) IS
'marks an organization''s pending access requests past their 24 hours expired';

-- The decision, by someone who may make the grant (the catalog's guards
-- judge the row approval creates, with the decider as principal).
CREATE FUNCTION pg_catalog.phrbac_decide_access(request_id bigint, approve boolean, reason text DEFAULT NULL)
RETURNS void
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	principal bigint := phrbac.require_principal('phrbac_decide_access()');
	request phrbac.access_requests;
	own_level pg_catalog.phrbac_role;
	granted bigint;
BEGIN
	SELECT * INTO request FROM phrbac.access_requests AS r
	WHERE r.id OPERATOR(pg_catalog.=) request_id FOR UPDATE;
	IF NOT FOUND THEN
		RAISE EXCEPTION 'access request % does not exist', request_id
			USING ERRCODE = 'undefined_object';
	END IF;
	IF request.state OPERATOR(pg_catalog.=) 'expired'
	   OR (request.state OPERATOR(pg_catalog.=) 'pending' AND request.expires_at OPERATOR(pg_catalog.<=) pg_catalog.now()) THEN
		RAISE EXCEPTION 'access request % has expired', request_id
			USING ERRCODE = 'object_not_in_prerequisite_state',
			      DETAIL = pg_catalog.format('It was open until %s.', request.expires_at);
	END IF;
	IF request.state OPERATOR(pg_catalog.<>) 'pending' THEN
		RAISE EXCEPTION 'access request % is already %', request_id, request.state
			USING ERRCODE = 'object_not_in_prerequisite_state';
	END IF;
	IF request.user_id OPERATOR(pg_catalog.=) principal THEN
		RAISE EXCEPTION 'you cannot decide your own access request'
			USING ERRCODE = 'insufficient_privilege',
			      HINT = 'Someone who may make the grant must decide it.';
	END IF;
	IF approve IS NULL THEN
		RAISE EXCEPTION 'approve must be true or false'
			USING ERRCODE = 'null_value_not_allowed';
	END IF;
	-- denying needs the same right as granting
	IF request.project_role IS NOT NULL THEN
		PERFORM phrbac.require_project_admin(request.project_id, 'members');
		own_level := pg_catalog.phrbac_project_role(request.project_id);
		IF request.project_role OPERATOR(pg_catalog.>) own_level THEN
			RAISE EXCEPTION 'you cannot grant a level above your own (%)', own_level
				USING ERRCODE = 'insufficient_privilege';
		END IF;
	ELSE
		PERFORM phrbac.require_project_admin(request.project_id, 'access rules');
	END IF;

	IF NOT approve THEN
		IF coalesce(pg_catalog.btrim(reason), '') OPERATOR(pg_catalog.=) '' THEN
			RAISE EXCEPTION 'denying an access request needs a reason'
				USING ERRCODE = 'invalid_parameter_value';
		END IF;
		UPDATE phrbac.access_requests AS r
		SET state = 'denied', decided_by = principal, decided_at = pg_catalog.now(), decision_reason = phrbac_decide_access.reason
		WHERE r.id OPERATOR(pg_catalog.=) request.id;
		RETURN;
	END IF;

	IF request.project_role IS NOT NULL THEN
		IF EXISTS (SELECT FROM phrbac.project_members AS pm
		           WHERE pm.project_id OPERATOR(pg_catalog.=) request.project_id
		             AND pm.user_id OPERATOR(pg_catalog.=) request.user_id) THEN
			RAISE EXCEPTION 'user % already has a level in project %', request.user_id, request.project_id
				USING ERRCODE = 'unique_violation',
				      HINT = 'Change or remove that project_members row, then decide again.';
		END IF;
		INSERT INTO phrbac.project_members AS pm (organization_id, project_id, user_id, role, expires_at, reason)
		VALUES (request.organization_id, request.project_id, request.user_id, request.project_role,
		        pg_catalog.now() OPERATOR(pg_catalog.+) request.duration, request.reason)
		RETURNING pm.id INTO granted;
	ELSE
		INSERT INTO phrbac.access_rules AS ar (organization_id, project_id, user_id, access, expires_at, reason)
		VALUES (request.organization_id, request.project_id, request.user_id, request.access,
		        pg_catalog.now() OPERATOR(pg_catalog.+) request.duration, request.reason)
		RETURNING ar.id INTO granted;
	END IF;
	UPDATE phrbac.access_requests AS r
	SET state = 'approved', decided_by = principal, decided_at = pg_catalog.now(),
	    decision_reason = phrbac_decide_access.reason, granted_row = granted
	WHERE r.id OPERATOR(pg_catalog.=) request.id;
END
$$;
COMMENT ON FUNCTION pg_catalog.phrbac_decide_access(bigint, boolean, text) IS
'approves (creating the time-bound row) or denies (with a reason) someone else''s access request';

CREATE FUNCTION pg_catalog.phrbac_cancel_access_request(request_id bigint)
RETURNS void
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	principal bigint := phrbac.require_principal('phrbac_cancel_access_request()');
	request phrbac.access_requests;
BEGIN
	SELECT * INTO request FROM phrbac.access_requests AS r
	WHERE r.id OPERATOR(pg_catalog.=) request_id FOR UPDATE;
	IF NOT FOUND THEN
		RAISE EXCEPTION 'access request % does not exist', request_id
			USING ERRCODE = 'undefined_object';
	END IF;
	IF request.user_id OPERATOR(pg_catalog.<>) principal THEN
		RAISE EXCEPTION 'only the requester can cancel access request %', request_id
			USING ERRCODE = 'insufficient_privilege';
	END IF;
	IF request.state OPERATOR(pg_catalog.<>) 'pending' THEN
		RAISE EXCEPTION 'access request % is already %', request_id, request.state
			USING ERRCODE = 'object_not_in_prerequisite_state';
	END IF;
	UPDATE phrbac.access_requests AS r SET state = 'cancelled', decided_at = pg_catalog.now()
	WHERE r.id OPERATOR(pg_catalog.=) request.id;
END
$$;
COMMENT ON FUNCTION pg_catalog.phrbac_cancel_access_request(bigint) IS
'withdraws one''s own pending access request';

-- catalog_triggers: the new tables carry the catalog's triggers
DO $$
DECLARE
	t text;
	audit_scope text;
BEGIN
	FOR t, audit_scope IN
		SELECT v.t, v.audit_scope FROM (VALUES
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

-- protect: protected tables carry the approvals trigger
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
	SELECT d.description::pg_catalog.jsonb OPERATOR(pg_catalog.->) 'protection' INTO previous
	FROM pg_catalog.pg_policy AS p
	JOIN pg_catalog.pg_description AS d
	  ON d.objoid OPERATOR(pg_catalog.=) p.oid
	 AND d.classoid OPERATOR(pg_catalog.=) 'pg_catalog.pg_policy'::pg_catalog.regclass
	WHERE p.polrelid OPERATOR(pg_catalog.=) tbl AND p.polname OPERATOR(pg_catalog.=) 'phrbac_select';
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
		EXECUTE pg_catalog.format('DROP TRIGGER IF EXISTS phrbac_approvals ON %s', tbl);
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
	-- approval policies (README, "Approvals")
	EXECUTE pg_catalog.format('CREATE TRIGGER phrbac_approvals BEFORE INSERT OR UPDATE OR DELETE ON %s FOR EACH ROW'
		' EXECUTE FUNCTION pg_catalog.phrbac_guard_approvals(%L, %L)', tbl, project_column, resource);
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
	SELECT d.description::pg_catalog.jsonb OPERATOR(pg_catalog.->) 'protection' INTO previous
	FROM pg_catalog.pg_policy AS p
	JOIN pg_catalog.pg_description AS d
	  ON d.objoid OPERATOR(pg_catalog.=) p.oid
	 AND d.classoid OPERATOR(pg_catalog.=) 'pg_catalog.pg_policy'::pg_catalog.regclass
	WHERE p.polrelid OPERATOR(pg_catalog.=) tbl AND p.polname OPERATOR(pg_catalog.=) 'phrbac_select';
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
	EXECUTE pg_catalog.format('DROP TRIGGER IF EXISTS phrbac_approvals ON %s', tbl);
	IF NOT (previous OPERATOR(pg_catalog.->>) 'rls_was_forced')::boolean THEN
		EXECUTE pg_catalog.format('ALTER TABLE %s NO FORCE ROW LEVEL SECURITY', tbl);
	END IF;
	IF NOT (previous OPERATOR(pg_catalog.->>) 'rls_was_enabled')::boolean THEN
		EXECUTE pg_catalog.format('ALTER TABLE %s DISABLE ROW LEVEL SECURITY', tbl);
	END IF;
END
$$;
DO $$
DECLARE
	t record;
BEGIN
	FOR t IN SELECT p.tbl, p.resource, p.project_column FROM phrbac.protected_tables AS p LOOP
		EXECUTE pg_catalog.format('CREATE TRIGGER phrbac_approvals BEFORE INSERT OR UPDATE OR DELETE ON %s FOR EACH ROW'
			' EXECUTE FUNCTION pg_catalog.phrbac_guard_approvals(%L, %L)', t.tbl, t.project_column, t.resource);
	END LOOP;
END
$$;

-- governance: the access review names the access request behind a grant
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
	-- the keys that reach the organization, written out as in offboard_steps:
	-- a shared function would read the catalog with the reader's privileges
	WHERE k.revoked_at IS NULL
	  AND (k.scoped_organizations IS NULL OR m.organization_id OPERATOR(pg_catalog.=) ANY (k.scoped_organizations))
	  AND (k.scoped_projects IS NULL OR EXISTS (
	       SELECT FROM phrbac.projects AS p
	       WHERE p.organization_id OPERATOR(pg_catalog.=) m.organization_id
	         AND p.id OPERATOR(pg_catalog.=) ANY (k.scoped_projects)))
)
SELECT a.user_id, u.email, a.organization_id, o.name AS organization,
       a.access, a.access_id, a.detail, f.finding, a.reason,
       a.created_at AS granted_at, a.expires_at, a.last_used_at, ar.id AS access_request_id
FROM access AS a
JOIN phrbac.users AS u ON u.id OPERATOR(pg_catalog.=) a.user_id
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
	(CASE WHEN a.access OPERATOR(pg_catalog.<>) 'api_key'
	       AND coalesce(pg_catalog.btrim(a.reason), '') OPERATOR(pg_catalog.=) '' THEN 'no_reason' END),
	(CASE WHEN a.access OPERATOR(pg_catalog.=) 'api_key'
	       AND coalesce(a.last_used_at, a.created_at)
	           OPERATOR(pg_catalog.<) (pg_catalog.now() OPERATOR(pg_catalog.-) '90 days'::interval)
	      THEN 'key_unused_90_days' END),
	(CASE WHEN ar.id IS NOT NULL THEN 'access_request' END)
) AS f(finding)
WHERE f.finding IS NOT NULL;
COMMENT ON VIEW phrbac.access_review IS
'the quarterly access review: expired and soon-expiring access, admins and owners, access without a reason, keys unused for 90 days, grants made by access requests (with the request)';
