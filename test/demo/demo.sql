-- demo.sql: what `make demo` shows: phrbac's types, then the Acme sample
-- enforced person by person, through API keys (a project's and a person's),
-- a project token's ingestion and protected tables; SSO, approvals and
-- access requests, the access review, a contractor's expiry and the IdP's
-- deactivation (SCIM), a key that outlives its maker; the audit trail.

\pset footer off
\set SHOW_CONTEXT never
CREATE EXTENSION phrbac;

\echo
\echo '== Membership levels: phrbac_role orders none < viewer < member < admin < owner'
SELECT level
FROM unnest('{owner,member,Admin,viewer,none}'::phrbac_role[]) AS level
ORDER BY level;

\echo '-- PostHog stores organization levels as 1, 8 and 15; phrbac reads and writes them'
SELECT 8::phrbac_role AS "8", 'owner'::phrbac_role::integer AS owner, '15'::phrbac_role AS "'15'";

\echo '-- the highest level among an engineer''s memberships'
SELECT max(level) AS highest
FROM (VALUES ('member'::phrbac_role), ('admin'), ('viewer')) AS memberships(level);

\echo
\echo '== Access to a resource: phrbac_grant, "resource[/object_id]:access"'
SELECT input, input::phrbac_grant AS canonical
FROM (VALUES ('feature_flag:view+create+edit+delete'),
             ('feature_flag:view+create+edit'),
             ('Feature_Flag/42:edit'),
             ('insight:none'),
             ('*:manager')) AS literals(input);

\echo '-- @> asks "does this grant cover that one?"'
SELECT held, wanted, held @> wanted AS covers
FROM (VALUES ('feature_flag:editor'::phrbac_grant, 'feature_flag/42:edit'::phrbac_grant),
             ('feature_flag/42:editor', 'feature_flag/7:view'),
             ('feature_flag:view+create+edit', 'feature_flag:delete'),
             ('*:viewer', 'insight:view')) AS pairs(held, wanted);

SELECT phrbac_grant_resource(g) AS resource, phrbac_grant_object(g) AS object,
       phrbac_grant_actions(g) AS actions
FROM (VALUES ('feature_flag/42:editor'::phrbac_grant)) AS grants(g);

\echo
\echo '== Personal API key scopes: phrbac_scope, "object:read", "object:write" or "*"'
\echo '-- a BI key reads insights and dashboards; a flag service reads and writes flags'
SELECT key, resource, action, phrbac_scopes_allow(scopes, resource, action) AS allowed
FROM (VALUES ('bi', '{insight:read,dashboard:read,query:read}'::phrbac_scope[]),
             ('flag-service', '{feature_flag:read,feature_flag:write}')) AS keys(key, scopes)
CROSS JOIN (VALUES ('insight', 'view'), ('insight', 'edit'),
                   ('feature_flag', 'view'), ('feature_flag', 'create')) AS asks(resource, action)
ORDER BY key, resource, action;

\echo
\echo '== Bad input is refused with the closest valid spelling'
\set ON_ERROR_STOP 0
SELECT 'featureflag:read'::phrbac_scope;
SELECT 'insight:view'::phrbac_scope;
SELECT 'feature_flag:read'::phrbac_grant;
SELECT 'admn'::phrbac_role;
\set ON_ERROR_STOP 1

\echo
\echo '=================================================================='
\echo '== Acme: Production (private), Staging, Development'
\echo '=================================================================='
\echo '(loading test/fixture/acme.sql: 7 people, 2 roles, project rows and access rules)'
\set ECHO none
\i test/fixture/acme.sql
\set ECHO queries

\echo
\echo '== What each person may do, project by project (checked as that person)'
\set ECHO none
CREATE TEMPORARY TABLE asks (want phrbac_grant, label text);
INSERT INTO asks VALUES
	('insight:view', 'view insights'), ('insight:edit', 'edit insights'),
	('feature_flag:create', 'create flags'), ('feature_flag:delete', 'delete flags'),
	('feature_flag/top-secret:edit', 'edit top-secret');
CREATE TEMPORARY TABLE answers (person text, project text, label text, allowed boolean);
DO $$
DECLARE
	u record;
BEGIN
	FOR u IN SELECT id, name FROM phrbac.users ORDER BY id LOOP
		PERFORM phrbac_set_user(u.id);
		INSERT INTO answers
		SELECT u.name, p.name, a.label, phrbac_can(p.id, a.want)
		FROM phrbac.projects p, asks a;
	END LOOP;
	PERFORM phrbac_reset();
END
$$;
\set ECHO queries
SELECT person,
       string_agg(CASE WHEN allowed THEN label END, ', ' ORDER BY label) FILTER (WHERE project = 'Production') AS "Production",
       string_agg(CASE WHEN allowed THEN label END, ', ' ORDER BY label) FILTER (WHERE project = 'Staging') AS "Staging",
       string_agg(CASE WHEN allowed THEN label END, ', ' ORDER BY label) FILTER (WHERE project = 'Development') AS "Development"
FROM answers GROUP BY person ORDER BY min(person);

\echo
\echo '== Refusals, as an application sees them'
\set ON_ERROR_STOP 0
\echo '-- Erin, engineer'
BEGIN;
SELECT phrbac_set_user(3) \gset
SELECT phrbac_require(1, 'feature_flag:delete');
ROLLBACK;
\echo '-- Carl, contractor'
BEGIN;
SELECT phrbac_set_user(7) \gset
SELECT phrbac_require(1, 'insight:view');
ROLLBACK;
\echo '-- Erin tries to make herself an admin'
BEGIN;
SELECT phrbac_set_user(3) \gset
UPDATE phrbac.organization_members SET role = 'admin' WHERE user_id = 3;
ROLLBACK;
\echo '-- Adam, an admin, tries to remove the owner'
BEGIN;
SELECT phrbac_set_user(2) \gset
DELETE FROM phrbac.organization_members WHERE user_id = 1;
ROLLBACK;
DELETE FROM phrbac.organization_members WHERE user_id = 1;   -- even the DBA cannot remove the last owner
\set ON_ERROR_STOP 1

\echo
\echo '== Why? phrbac_explain names the deciding step and row'
SELECT u.name, p.name AS project, w.want, e->>'allowed' AS allowed, e->>'reason' AS reason
FROM (VALUES (3, 1, 'feature_flag:delete'), (5, 1, 'feature_flag/top-secret:edit'),
             (6, 2, 'insight:edit'), (7, 2, 'insight:view')) AS w(user_id, project_id, want)
JOIN phrbac.users u ON u.id = w.user_id
JOIN phrbac.projects p ON p.id = w.project_id
CROSS JOIN LATERAL phrbac_explain(w.user_id, w.project_id, w.want::phrbac_grant) AS e
ORDER BY u.id;

\echo
\echo '== The access matrix for feature flags (phrbac_access_matrix)'
SELECT email, project, access, source
FROM phrbac_access_matrix(1)
WHERE resource = 'feature_flag'
ORDER BY user_id, project_id;

\echo
\echo '== API keys: the BI dashboards'' project secret key, made by Adam, and the flag service''s personal key'
\echo '-- (secrets shown once, stored hashed; the BI key belongs to Production, not to Adam)'
\set ECHO none
INSERT INTO phrbac.users (email, name) VALUES ('flags-bot@acme.io', 'Flag service');
INSERT INTO phrbac.organization_members (organization_id, user_id, reason)
	SELECT 1, id, 'service account' FROM phrbac.users WHERE email = 'flags-bot@acme.io';
INSERT INTO phrbac.project_members (project_id, user_id, role, reason)
	SELECT 1, id, 'member', 'serves production flags' FROM phrbac.users
	WHERE email = 'flags-bot@acme.io';
BEGIN;
SELECT phrbac_set_user(2, 'saml') \gset
SELECT secret AS bi_key FROM phrbac_create_project_key(1, 'bi-dashboard-readonly', '{insight:read,dashboard:read,query:read}') \gset
SELECT phrbac_set_user(id) FROM phrbac.users WHERE email = 'flags-bot@acme.io' \gset
SELECT secret AS flags_key FROM phrbac_create_api_key('flag-service', '{feature_flag:read,feature_flag:write}') \gset
COMMIT;
\set ECHO queries
SELECT 'project key of ' || p.name AS kind, k.id, u.email AS made_by, k.label, k.mask_value, k.scopes,
       left(k.secure_value, 20) || '...' AS stored_hash
FROM phrbac.project_keys k JOIN phrbac.projects p ON p.id = k.project_id JOIN phrbac.users u ON u.id = k.created_by
UNION ALL
SELECT 'personal key', k.id, u.email, k.label, k.mask_value, k.scopes, left(k.secure_value, 20) || '...'
FROM phrbac.api_keys k JOIN phrbac.users u ON u.id = k.user_id ORDER BY id;
\set ON_ERROR_STOP 0
BEGIN;
\echo 'SELECT phrbac_authenticate(<the BI key>) AS key_id;   -- the BI dashboard\'s request'
\set ECHO none
SELECT phrbac_authenticate(:'bi_key') AS key_id;
\set ECHO queries
SELECT phrbac_whoami() ->> 'kind' AS kind, phrbac_whoami() ->> 'project_id' AS project;
SELECT phrbac_can(1, 'insight:view') AS view_insights, phrbac_can(1, 'insight:edit') AS edit_insights,
       phrbac_can(1, 'feature_flag:view') AS view_flags, phrbac_can(2, 'insight:view') AS view_staging_insights;
SELECT phrbac_require(1, 'feature_flag:view');
ROLLBACK;
BEGIN;
\echo 'SELECT phrbac_authenticate(<the flag-service key>) AS key_id;   -- the flag service\'s request'
\set ECHO none
SELECT phrbac_authenticate(:'flags_key') AS key_id;
\set ECHO queries
SELECT phrbac_can(1, 'feature_flag:edit') AS edit_flags, phrbac_can(1, 'insight:view') AS view_insights;
ROLLBACK;
SELECT phrbac_authenticate('phx_' || repeat('0', 64));   -- a key that does not exist
\set ON_ERROR_STOP 1

\echo
\echo '== Protected tables: feature_flags and insights, guarded by phrbac_protect'
\set ECHO none
CREATE ROLE acme_app;   -- the application's role: owns the tables, is no superuser
GRANT EXECUTE ON FUNCTION phrbac_set_user(bigint, text, boolean) TO acme_app;
CREATE TABLE feature_flags (id int PRIMARY KEY, project_id bigint NOT NULL, key text NOT NULL,
                            created_by bigint, rollout int NOT NULL DEFAULT 0);
INSERT INTO feature_flags (id, project_id, key, created_by) VALUES
	(1, 1, 'top-secret', 5), (2, 1, 'new-checkout', 3), (3, 1, 'dark-mode', 4),
	(4, 2, 'staging-banner', 3), (5, 3, 'dev-toolbar', 7), (6, 2, 'carl-experiment', 7);
CREATE TABLE insights (id int PRIMARY KEY, project_id bigint NOT NULL, name text NOT NULL);
INSERT INTO insights VALUES (1, 1, 'Revenue'), (2, 1, 'Signups'), (3, 2, 'Staging errors'), (4, 3, 'Dev builds');
ALTER TABLE feature_flags OWNER TO acme_app;
ALTER TABLE insights OWNER TO acme_app;
\set ECHO queries
SET ROLE acme_app;   -- as the tables' owner
SELECT phrbac_protect('feature_flags', 'feature_flag', object_column => 'key', creator_column => 'created_by') \gset
SELECT phrbac_protect('insights', 'insight') \gset
RESET ROLE;

\echo
\echo '== Ingestion: the web SDK sends events with Production''s public project token (phc_)'
\set ECHO none
CREATE TABLE events (project_id bigint NOT NULL, event text NOT NULL, at timestamptz NOT NULL DEFAULT now());
ALTER TABLE events OWNER TO acme_app;
SET ROLE acme_app;
SELECT phrbac_protect('events', 'event') \gset
RESET ROLE;
BEGIN;
SELECT phrbac_set_user(3, 'saml') \gset
SELECT phrbac_project_token(1) AS production_token \gset
COMMIT;
\set ECHO queries
SET ROLE acme_app;
\set ON_ERROR_STOP 0
BEGIN;
\echo 'SELECT phrbac_authenticate(<Production''s token>);   -- the ingestion endpoint''s request'
\set ECHO none
SELECT phrbac_authenticate(:'production_token') \gset
\set ECHO queries
SELECT phrbac_whoami() ->> 'kind' AS kind;
INSERT INTO events (project_id, event) VALUES (1, '$pageview'), (1, 'signed_up');
SELECT count(*) AS events_the_token_can_read FROM events;
COMMIT;
\echo '-- anything but creating events in Production is refused'
BEGIN;
\set ECHO none
SELECT phrbac_authenticate(:'production_token') \gset
\set ECHO queries
SELECT phrbac_require(1, 'insight:view');
ROLLBACK;
BEGIN;
\set ECHO none
SELECT phrbac_authenticate(:'production_token') \gset
\set ECHO queries
INSERT INTO events (project_id, event) VALUES (2, '$pageview');   -- another project's events
ROLLBACK;
\set ON_ERROR_STOP 1
RESET ROLE;
SELECT project_id, event FROM events ORDER BY at, event;   -- as the DBA
SELECT tbl, resource, project_column, object_column, creator_column, form FROM phrbac.protected_tables;

\echo
\echo '== What each person sees, as the application (SELECT * with no WHERE)'
\set ECHO none
CREATE TEMPORARY TABLE seen (person text, flags text, insights text);
DO $$
DECLARE
	u record;
	f text;
	i text;
BEGIN
	FOR u IN SELECT id, name FROM phrbac.users WHERE id <= 7 ORDER BY id LOOP
		PERFORM phrbac_set_user(u.id);
		SET LOCAL ROLE acme_app;
		SELECT string_agg(key, ', ' ORDER BY id) INTO f FROM feature_flags;
		SELECT string_agg(name, ', ' ORDER BY id) INTO i FROM insights;
		RESET ROLE;
		INSERT INTO seen VALUES (u.name, f, i);
	END LOOP;
	PERFORM phrbac_reset();
END
$$;
\set ECHO queries
SELECT * FROM seen;

\echo
\echo '== Writes through the policies'
\set ON_ERROR_STOP 0
SET ROLE acme_app;
\echo '-- Erin may edit production flags but not delete them ...'
BEGIN;
SELECT phrbac_set_user(3) \gset
UPDATE feature_flags SET rollout = 50 WHERE key = 'dark-mode' RETURNING key, rollout;
DELETE FROM feature_flags WHERE key = 'dark-mode' RETURNING key;
DELETE FROM feature_flags WHERE key = 'new-checkout' RETURNING key;   -- ... except the one she created
COMMIT;
\echo '-- Victor only views: nothing to update'
BEGIN;
SELECT phrbac_set_user(6) \gset
UPDATE feature_flags SET rollout = 100 RETURNING key;
ROLLBACK;
\echo '-- Carl cannot create in production ...'
BEGIN;
SELECT phrbac_set_user(7) \gset
INSERT INTO feature_flags (id, project_id, key, created_by) VALUES (9, 1, 'carl-prod', 7);
ROLLBACK;
\echo '-- ... nor move his own flag there'
BEGIN;
SELECT phrbac_set_user(7) \gset
UPDATE feature_flags SET project_id = 1 WHERE key = 'dev-toolbar';
ROLLBACK;
RESET ROLE;
\set ON_ERROR_STOP 1

\echo
\echo '== SSO: Acme enforces SSO login and maps its IdP groups to roles'
INSERT INTO phrbac.sso_group_mappings (organization_id, idp_group, role_id, org_role) VALUES
	(1, 'okta-engineering', 1, NULL), (1, 'okta-product', 2, NULL), (1, 'okta-it', NULL, 'admin');
UPDATE phrbac.organizations SET enforce_sso = true WHERE name = 'Acme';
GRANT EXECUTE ON FUNCTION phrbac_sso_login(text, bigint, text[], boolean) TO acme_app;
SET ROLE acme_app;
\set ON_ERROR_STOP 0
\echo '-- Erin signs in with a password: refused in Acme'
BEGIN;
SELECT phrbac_set_user(3, 'password') \gset
SELECT phrbac_require(2, 'insight:view');
ROLLBACK;
\set ON_ERROR_STOP 1
\echo '-- Nina, a new engineer, signs in through Okta for the first time: provisioned on the spot'
BEGIN;
SELECT phrbac_sso_login('nina@acme.io', 1, '{okta-engineering}') AS nina_id;
SELECT phrbac_whoami() ->> 'email' AS email, phrbac_whoami() ->> 'auth_method' AS auth_method,
       phrbac_project_role(2) AS staging, phrbac_can(1, 'feature_flag:create') AS create_production_flags,
       phrbac_can(1, 'feature_flag:delete') AS delete_production_flags;
SELECT key FROM feature_flags ORDER BY id;
COMMIT;
\echo '-- API keys are not affected: the BI project key still reads insights'
BEGIN;
\set ECHO none
SELECT phrbac_authenticate(:'bi_key') \gset
\set ECHO queries
SELECT phrbac_can(1, 'insight:view') AS bi_key_views_insights;
ROLLBACK;
\echo '-- Nina moves to product: her next login moves her roles with her'
SELECT phrbac_sso_login('nina@acme.io', 1, '{okta-product}') \gset
RESET ROLE;
SELECT u.email, m.role AS org_role, r.name AS role, rm.reason
FROM phrbac.users u JOIN phrbac.organization_members m ON m.user_id = u.id
LEFT JOIN phrbac.role_members rm ON rm.user_id = u.id LEFT JOIN phrbac.roles r ON r.id = rm.role_id
WHERE u.email = 'nina@acme.io';

\echo
\echo '== Approvals: the two-person rule for rollouts above 50% in Production'
\echo '-- Adam, an admin, writes the policy: plain SQL, checked like the rest of the catalog'
BEGIN;
SELECT phrbac_set_user(2, 'saml') \gset
INSERT INTO phrbac.approval_policies (organization_id, project_id, name, resource, action, condition, reason)
VALUES (1, 1, 'rollouts above 50% in Production', 'feature_flag', 'edit',
        '{"column": "rollout", "op": ">", "value": 50}', 'the seed''s require_rollout_review')
RETURNING id, name, condition, quorum, allow_self_approval;
COMMIT;
GRANT USAGE ON SCHEMA phrbac TO acme_app;   -- the application reads phrbac.pending_approvals
SET ROLE acme_app;
\set ON_ERROR_STOP 0
\echo '-- Erin pushes dark-mode to 80% in Production: refused, nothing written'
BEGIN;
SELECT phrbac_set_user(3, 'saml') \gset
UPDATE feature_flags SET rollout = 80 WHERE key = 'dark-mode';
ROLLBACK;
\set ON_ERROR_STOP 1
\echo '-- ... so the change becomes a request'
BEGIN;
SELECT phrbac_set_user(3, 'saml') \gset
SELECT phrbac_request_change('feature_flags', 'edit', '{"rollout": 80}', '{"id": 3}', 'dark mode for everyone') AS request_id \gset
COMMIT;
\set ON_ERROR_STOP 0
\echo '-- Erin cannot approve her own request'
BEGIN;
SELECT phrbac_set_user(3, 'saml') \gset
SELECT phrbac_approve(:request_id);
ROLLBACK;
\set ON_ERROR_STOP 1
\echo '-- Eli, another engineer, finds it waiting for him and approves: applied at once, as Erin'
BEGIN;
SELECT phrbac_set_user(4, 'saml') \gset
SELECT id, policy, action, before ->> 'rollout' AS rollout_before, after ->> 'rollout' AS rollout_after,
       requested_by_email, approvals, quorum
FROM phrbac.pending_approvals;
SELECT phrbac_approve(:request_id, 'load test passed') AS state;
COMMIT;
RESET ROLE;
SELECT key, rollout FROM feature_flags WHERE key = 'dark-mode';

\echo
\echo '== Access requests: Carl asks for a week as a member of Staging'
BEGIN;
SELECT phrbac_set_user(7, 'saml') \gset
SELECT phrbac_request_access(2, 'member', 'Q3 migration: staging dry run', '7 days') AS access_request \gset
COMMIT;
\echo '-- Adam, an admin, approves: a project row with Carl''s reason, ending in 7 days'
BEGIN;
SELECT phrbac_set_user(2, 'saml') \gset
SELECT phrbac_decide_access(:access_request, true, 'ticket OPS-7') \gset
COMMIT;
SELECT r.id, r.state, u.email AS decided_by, pm.role, p.name AS project, pm.reason,
       (pm.expires_at - r.decided_at) AS lasts
FROM phrbac.access_requests r JOIN phrbac.users u ON u.id = r.decided_by
JOIN phrbac.project_members pm ON pm.id = r.granted_row JOIN phrbac.projects p ON p.id = pm.project_id;
\echo '-- an approval adds access and never lifts an explicit deny: the "stay out of staging" rule still decides'
SELECT phrbac_explain(7, 2, 'insight:view') ->> 'reason' AS why;

\echo
\echo '== The audit trail of both (phrbac.audit_log)'
SELECT a.id, u.email AS who, a.scope, a.activity, a.item_id
FROM phrbac.audit_log a LEFT JOIN phrbac.users u ON u.id = a.user_id
WHERE a.scope IN ('ApprovalPolicy', 'ChangeRequest', 'AccessRequest')
   OR a.activity IN ('change_applied', 'access_approved')
   OR (a.scope = 'AccessControl' AND a.id > (SELECT min(id) FROM phrbac.audit_log WHERE scope = 'AccessRequest'))
ORDER BY a.id;

\echo
\echo '== The quarterly access review (phrbac.access_review)'
SELECT email, access, detail, finding, reason, expires_at::date AS expires
FROM phrbac.access_review
WHERE organization = 'Acme'
ORDER BY finding, email, access;

\echo
\echo '== Contractor access ends by itself: 31 days from now, Carl holds nothing'
UPDATE phrbac.organization_members SET expires_at = now() - interval '1 second' WHERE user_id = 7;
SELECT p.name AS project, phrbac_user_can(7, p.id, 'insight:view') AS carl_can_view
FROM phrbac.projects p ORDER BY p.id;

\echo
\echo '== Offboarding from the identity provider: Okta deactivates Carl (SCIM)'
\echo '-- Okta had provisioned Carl: SCIM links his identity to his user by email'
SELECT phrbac_scim_upsert_user(1, 'okta-00u7carl', 'carl@contractor.dev', 'Carl (contractor)', true) AS carl_id;
\echo '-- his contract ends: Okta sets active = false; the membership and what hung on it go, the user row stays'
SELECT phrbac_scim_upsert_user(1, 'okta-00u7carl', 'carl@contractor.dev', 'Carl (contractor)', false) AS carl_id;
SELECT u.email, u.is_active, i.active AS scim_active,
       (SELECT count(*) FROM phrbac.organization_members m WHERE m.user_id = u.id) AS memberships,
       (SELECT count(*) FROM phrbac.project_members m WHERE m.user_id = u.id) AS project_rows,
       (SELECT count(*) FROM phrbac.access_rules r WHERE r.user_id = u.id) AS rules
FROM phrbac.users u JOIN phrbac.scim_identities i ON i.user_id = u.id WHERE u.email = 'carl@contractor.dev';
SELECT a.scope, a.activity, a.item_id FROM phrbac.audit_log a
WHERE a.activity IN ('scim_provisioned', 'scim_deprovisioned') ORDER BY a.id;

\echo
\echo '== Project keys outlive their makers: Olivia offboards Adam, who made the BI key'
BEGIN;
SELECT phrbac_set_user(1, 'saml') \gset
SELECT phrbac_offboard(2, 1) - 'user_id' - 'organization_id' AS adam_offboarded;
COMMIT;
BEGIN;
\echo 'SELECT phrbac_authenticate(<the BI key>) AS key_id;   -- the BI dashboard, the morning after'
\set ECHO none
SELECT phrbac_authenticate(:'bi_key') AS key_id \gset
\set ECHO queries
SELECT phrbac_can(1, 'insight:view') AS bi_key_views_insights, phrbac_org_role(1) AS adam_gone_org_role;
ROLLBACK;
SELECT k.label, k.revoked_at IS NULL AS live, u.email AS made_by, m.role AS maker_in_acme
FROM phrbac.project_keys k JOIN phrbac.users u ON u.id = k.created_by
LEFT JOIN phrbac.organization_members m ON m.user_id = u.id AND m.organization_id = k.organization_id;

\echo
\echo '== The audit trail: who changed access, newest first (phrbac.audit_log)'
SELECT a.id, coalesce(u.email, a.db_user) AS who, a.scope, a.activity, a.item_id,
       left((SELECT coalesce(string_agg(c->>'field' || ': ' || coalesce(c->>'before', '-') || ' -> '
                                         || coalesce(c->>'after', '-'), '; ') FILTER (WHERE c->>'action' = 'changed'),
                             min(c->>'action') || coalesce(' ' || (a.detail->>'name'), ''))
             FROM jsonb_array_elements(a.detail->'changes') c), 60) AS changes
FROM phrbac.audit_log a LEFT JOIN phrbac.users u ON u.id = a.user_id
WHERE a.user_id IS NOT NULL OR a.activity NOT IN ('created', 'member_added')
ORDER BY a.id DESC LIMIT 20;

\echo
\echo '== Every chain verifies (phrbac_audit_verify)'
SELECT coalesce(o.name, '(no organization)') AS chain, v.rows_checked, v.first_bad_id
FROM phrbac_audit_verify() v LEFT JOIN phrbac.organizations o ON o.id = v.organization_id;

