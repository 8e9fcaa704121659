-- approvals.sql: approval policies and change requests (README,
-- "Approvals").
--
-- Covers, each refused with its SQLSTATE where refused:
--   * policies: written by organization admins only (42501); bad resource
--     (22P02, 22023), action, quorum, bypass level, condition shape (22023),
--     a condition on a column a protected table lacks (42703) or a
--     change_above on a column that is no number (42804), a project or
--     approver of another organization (23514);
--   * a direct write a policy matches is refused (42501, with the hint),
--     nothing written; one it does not match passes; the bypass level;
--     conditions on the new row and on the size of the change;
--   * phrbac_request_change(): no principal, unknown and unprotected tables,
--     bad actions, keys and values, a change no policy holds back, a
--     requester not allowed the action;
--   * phrbac_approve(): never one's own unless the policy allows it, only
--     the policy's approvers, who must be allowed the action themselves,
--     once each; the quorum applies the change, as the requester; creates,
--     edits and deletes; the requester lost access meanwhile: nothing
--     applied;
--   * phrbac_reject() (a reason, one rejection ends it), phrbac_cancel()
--     (the requester, before any approval);
--   * stale (40001) and expired (55000) requests are never applied;
--   * phrbac.pending_approvals; the request tables refuse plain DML;
--   * through an API key, the key's scopes judge the request and the vote,
--     and a direct edit through a key still turns pending requests stale;
--   * the audit log's activities, the chain intact.

\set SHOW_CONTEXT never
DROP EXTENSION phrbac;
CREATE EXTENSION phrbac;
\set QUIET on
\i test/fixture/acme.sql
\i test/fixture/try.sql
\set QUIET off

-- Production's feature flags: Erin and Eli (Engineering) may create and
-- edit them, Paula (Product) may also delete, Victor only reads.
CREATE TABLE flags (
	id          bigint PRIMARY KEY,
	project_id  bigint NOT NULL,
	key         text NOT NULL,
	rollout     integer NOT NULL DEFAULT 0,
	created_by  bigint
);
CREATE TABLE notes (id bigint PRIMARY KEY, project_id bigint NOT NULL, body text);
SET client_min_messages = warning;
SELECT phrbac_protect('flags', 'feature_flag', object_column => 'key');
RESET client_min_messages;
INSERT INTO flags VALUES (1, 1, 'new-checkout', 10, 3), (2, 1, 'dark-mode', 0, 4), (3, 2, 'beta', 0, 3);
CREATE ROLE regress_approvals_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON flags TO regress_approvals_app;
GRANT USAGE ON SCHEMA phrbac TO regress_approvals_app;
GRANT EXECUTE ON FUNCTION phrbac_set_user(bigint, text, boolean) TO regress_approvals_app;
-- the DBA lets the application write policies; the guards decide who may
GRANT SELECT, INSERT, UPDATE, DELETE ON phrbac.approval_policies TO regress_approvals_app;

-- As whom: pg_temp.as(user, statement) runs the statement with that
-- principal, as the application's role, and says how it went.
CREATE FUNCTION pg_temp.as_user(who bigint, statement text) RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
	outcome text;
BEGIN
	PERFORM phrbac_set_user(who);
	SET LOCAL ROLE regress_approvals_app;
	outcome := pg_temp.try(statement);
	RESET ROLE;
	PERFORM phrbac_reset();
	RETURN outcome;
END
$$;

-- How many requests the user may vote on, by phrbac.pending_approvals.
CREATE FUNCTION pg_temp.pending_for(who bigint) RETURNS bigint
LANGUAGE plpgsql AS $$
DECLARE
	n bigint;
BEGIN
	PERFORM phrbac_set_user(who);
	SELECT count(*) INTO n FROM phrbac.pending_approvals;
	PERFORM phrbac_reset();
	RETURN n;
END
$$;

--------------------------------------------------------------------------
-- Policies: organization admins only, checked
--------------------------------------------------------------------------

SELECT pg_temp.as_user(3, $$INSERT INTO phrbac.approval_policies (organization_id, name, resource)
	VALUES (1, 'by a member', 'feature_flag')$$) AS member_writes_policy;
SELECT pg_temp.as_user(2, q) AS bad_policy
FROM unnest(ARRAY[
	$$INSERT INTO phrbac.approval_policies (organization_id, name, resource, quorum) VALUES (1, 'q0', 'feature_flag', 0)$$,
	$$INSERT INTO phrbac.approval_policies (organization_id, name, resource, quorum) VALUES (1, 'q-', 'feature_flag', -2)$$,
	$$INSERT INTO phrbac.approval_policies (organization_id, name, resource, action) VALUES (1, 'a', 'feature_flag', 'publish')$$,
	$$INSERT INTO phrbac.approval_policies (organization_id, name, resource) VALUES (1, 'r', 'featureflag')$$,
	$$INSERT INTO phrbac.approval_policies (organization_id, name, resource) VALUES (1, 'r', 'project')$$,
	$$INSERT INTO phrbac.approval_policies (organization_id, name, resource) VALUES (1, 'r', '*')$$,
	$$INSERT INTO phrbac.approval_policies (organization_id, name, resource, bypass_level) VALUES (1, 'b', 'feature_flag', 'member')$$,
	$$INSERT INTO phrbac.approval_policies (organization_id, name, resource, request_ttl) VALUES (1, 't', 'feature_flag', '-1 day')$$,
	$$INSERT INTO phrbac.approval_policies (organization_id, name, resource, condition) VALUES (1, 'c', 'feature_flag', '{"column": "rollout", "op": "~", "value": 50}')$$,
	$$INSERT INTO phrbac.approval_policies (organization_id, name, resource, condition) VALUES (1, 'c', 'feature_flag', '{"column": "rollout", "op": ">"}')$$,
	$$INSERT INTO phrbac.approval_policies (organization_id, name, resource, condition) VALUES (1, 'c', 'feature_flag', '{"column": "rollout", "change_above": -5}')$$,
	$$INSERT INTO phrbac.approval_policies (organization_id, name, resource, condition) VALUES (1, 'c', 'feature_flag', '[1]')$$,
	$$INSERT INTO phrbac.approval_policies (organization_id, name, resource, condition) VALUES (1, 'c', 'feature_flag', '{"column": "percent", "op": ">", "value": 50}')$$,
	$$INSERT INTO phrbac.approval_policies (organization_id, name, resource, condition) VALUES (1, 'c', 'feature_flag', '{"column": "key", "change_above": 5}')$$,
	$$INSERT INTO phrbac.approval_policies (organization_id, project_id, name, resource) VALUES (1, 99, 'p', 'feature_flag')$$,
	$$INSERT INTO phrbac.approval_policies (organization_id, name, resource, approver_role_ids) VALUES (1, 'ar', 'feature_flag', '{42}')$$,
	$$INSERT INTO phrbac.approval_policies (organization_id, name, resource, approver_user_ids) VALUES (1, 'au', 'feature_flag', '{42}')$$]) AS q;
SELECT count(*) AS policies_after_refusals FROM phrbac.approval_policies;

-- The seed's two-person rule, and more.
SELECT pg_temp.as_user(2, $$INSERT INTO phrbac.approval_policies
	(id, organization_id, project_id, name, resource, action, condition, bypass_level, reason) VALUES
	(1, 1, 1, 'rollouts above 50% in Production', 'feature_flag', 'edit',
	 '{"column": "rollout", "op": ">", "value": 50}', 'owner', 'two-person rule'),
	(2, 1, NULL, 'big jumps', 'feature_flag', '*', '{"column": "rollout", "change_above": 60}', NULL,
	 'anything that moves a rollout by more than 60 points'),
	(3, 1, 1, 'deletes in Production', 'feature_flag', 'delete', NULL, NULL, 'no flag vanishes unseen')$$) AS admin_writes_policies;
SELECT pg_temp.as_user(2, $$UPDATE phrbac.approval_policies SET approver_user_ids = '{2, 5}', quorum = 2 WHERE id = 2$$) AS two_approvers;
SELECT pg_temp.as_user(2, $$UPDATE phrbac.approval_policies SET approver_role_ids = '{2}' WHERE id = 3$$) AS product_approves_deletes;
SELECT pg_temp.as_user(3, $$DELETE FROM phrbac.approval_policies WHERE id = 3$$) AS member_deletes_policy;

--------------------------------------------------------------------------
-- Direct writes a policy matches are refused; nothing is written
--------------------------------------------------------------------------

SELECT pg_temp.as_user(3, $$UPDATE flags SET rollout = 80 WHERE id = 1$$) AS rollout_80;
SELECT pg_temp.as_user(3, $$UPDATE flags SET rollout = 40 WHERE id = 1$$) AS rollout_40;
SELECT pg_temp.as_user(3, $$INSERT INTO flags VALUES (4, 1, 'big-bang', 90, 3)$$) AS create_at_90;
SELECT pg_temp.as_user(3, $$INSERT INTO flags VALUES (4, 1, 'small', 5, 3)$$) AS create_at_5;
SELECT pg_temp.as_user(5, $$DELETE FROM flags WHERE id = 4$$) AS delete_in_production;
-- one row of many needs approval: the statement writes none
SELECT pg_temp.as_user(3, $$UPDATE flags SET rollout = rollout + 20$$) AS bulk_update;
-- the bypass level: owners write directly, admins do not
SELECT pg_temp.as_user(2, $$UPDATE flags SET rollout = 55 WHERE id = 2$$) AS admin_rollout_55;
SELECT pg_temp.as_user(1, $$UPDATE flags SET rollout = 55 WHERE id = 2$$) AS owner_rollout_55;
-- without a principal the DBA writes (and the policies wait for principals)
UPDATE flags SET rollout = 0 WHERE id = 2;
SELECT id, rollout FROM flags ORDER BY id;

--------------------------------------------------------------------------
-- Requests: bad input
--------------------------------------------------------------------------

SELECT pg_temp.try($$SELECT phrbac_request_change('flags', 'edit', '{"rollout": 80}', '{"id": 1}')$$) AS no_principal;
SELECT pg_temp.as_user(3, q) AS bad_request
FROM unnest(ARRAY[
	$$SELECT phrbac_request_change('nowhere', 'edit', '{"rollout": 80}', '{"id": 1}')$$,
	$$SELECT phrbac_request_change('notes', 'edit', '{"body": "x"}', '{"id": 1}')$$,
	$$SELECT phrbac_request_change('flags', 'publish', '{"rollout": 80}', '{"id": 1}')$$,
	$$SELECT phrbac_request_change('flags', NULL, '{"rollout": 80}', '{"id": 1}')$$,
	$$SELECT phrbac_request_change('flags', 'edit', '{"rollout": 80}')$$,
	$$SELECT phrbac_request_change('flags', 'edit', '{"rollout": 80}', '{"key": "new-checkout"}')$$,
	$$SELECT phrbac_request_change('flags', 'edit', '{"rollout": 80}', '{"id": 1, "key": "x"}')$$,
	$$SELECT phrbac_request_change('flags', 'edit', '{"rollout": 80}', '{"id": 99}')$$,
	$$SELECT phrbac_request_change('flags', 'edit', '{"rollout": 80}', '"1"')$$,
	$$SELECT phrbac_request_change('flags', 'edit', '{"percent": 80}', '{"id": 1}')$$,
	$$SELECT phrbac_request_change('flags', 'edit', '{"id": 7}', '{"id": 1}')$$,
	$$SELECT phrbac_request_change('flags', 'edit', '{"rollout": "lots"}', '{"id": 1}')$$,
	$$SELECT phrbac_request_change('flags', 'edit', '{}', '{"id": 1}')$$,
	$$SELECT phrbac_request_change('flags', 'create', NULL)$$,
	$$SELECT phrbac_request_change('flags', 'edit', '{"rollout": 45}', '{"id": 1}')$$]) AS q;
-- Victor only views Production's flags
SELECT pg_temp.as_user(6, $$SELECT phrbac_request_change('flags', 'edit', '{"rollout": 80}', '{"id": 1}')$$) AS viewer_requests;
SELECT count(*) AS requests_after_refusals FROM phrbac.change_requests;

--------------------------------------------------------------------------
-- An edit: two-person rule, approved by anyone else allowed to edit
--------------------------------------------------------------------------

SELECT pg_temp.as_user(3, $$SELECT phrbac_request_change('flags', 'edit', '{"rollout": 80}', '{"id": 1}', 'launch day')$$) AS erin_requests;
SELECT id, project_id, policy_id, tbl, action, item_id, key, before, after, reason, requested_by, state,
       expires_at - requested_at AS open_for
FROM phrbac.change_requests;
-- who sees it to vote on
SELECT u AS user_id, pg_temp.pending_for(u) AS pending FROM generate_series(1, 7) AS u;
SELECT pg_temp.as_user(3, $$SELECT phrbac_approve(1)$$) AS own_approval;
SELECT pg_temp.as_user(6, $$SELECT phrbac_approve(1)$$) AS viewer_approves;
SELECT pg_temp.as_user(7, $$SELECT phrbac_approve(1)$$) AS contractor_approves;
SELECT pg_temp.as_user(4, $$SELECT phrbac_approve(99)$$) AS unknown_request;
SELECT pg_temp.as_user(4, $$SELECT phrbac_approve(NULL)$$) AS null_request;
SELECT id, rollout FROM flags WHERE id = 1;
-- the change applies as Erin: had she left Engineering meanwhile, nothing
BEGIN;
DELETE FROM phrbac.role_members WHERE role_id = 1 AND user_id = 3;
SELECT pg_temp.as_user(4, $$SELECT phrbac_approve(1)$$) AS requester_lost_access;
SELECT id, rollout FROM flags WHERE id = 1;
ROLLBACK;
SELECT pg_temp.as_user(4, $$SELECT phrbac_approve(1, 'looks good')$$) AS eli_approves;
SELECT id, rollout FROM flags WHERE id = 1;
SELECT id, state, decided_at IS NOT NULL AS decided FROM phrbac.change_requests;
SELECT pg_temp.as_user(5, $$SELECT phrbac_approve(1)$$) AS approve_applied;
SELECT pg_temp.as_user(3, $$SELECT phrbac_cancel(1)$$) AS cancel_applied;

--------------------------------------------------------------------------
-- A create with a quorum of two named approvers
--------------------------------------------------------------------------

SELECT pg_temp.as_user(3, $$SELECT phrbac_request_change('flags', 'create',
	'{"id": 5, "project_id": 1, "key": "big-bang", "rollout": 90, "created_by": 3}')$$) AS create_request;
SELECT policy_id, item_id, after FROM phrbac.change_requests WHERE id = 2;
SELECT pg_temp.as_user(4, $$SELECT phrbac_approve(2)$$) AS not_an_approver;
SELECT pg_temp.as_user(2, $$SELECT phrbac_approve(2)$$) AS first_of_two;
SELECT pg_temp.as_user(2, $$SELECT phrbac_approve(2)$$) AS twice;
SELECT count(*) AS created_yet FROM flags WHERE id = 5;
SELECT pg_temp.as_user(3, $$SELECT phrbac_cancel(2)$$) AS cancel_after_approval;
SELECT pg_temp.as_user(5, $$SELECT phrbac_approve(2)$$) AS second_of_two;
SELECT id, project_id, key, rollout, created_by FROM flags WHERE id = 5;

--------------------------------------------------------------------------
-- A delete: approvers by role; self-approval where the policy allows it
--------------------------------------------------------------------------

SELECT pg_temp.as_user(3, $$SELECT phrbac_request_change('flags', 'delete', NULL, '{"id": 4}', 'unused')$$) AS engineer_deletes;
SELECT pg_temp.as_user(5, $$SELECT phrbac_request_change('flags', 'delete', NULL, '{"id": 4}', 'unused')$$) AS delete_request;
SELECT pg_temp.as_user(4, $$SELECT phrbac_approve(3)$$) AS engineer_approves_delete;
SELECT pg_temp.as_user(5, $$SELECT phrbac_approve(3)$$) AS own_delete;
-- Paula is the only Product member: the policy lets her approve her own
UPDATE phrbac.approval_policies SET allow_self_approval = true WHERE id = 3;
SELECT pg_temp.pending_for(5) AS pending_for_paula;
SELECT pg_temp.as_user(5, $$SELECT phrbac_approve(3)$$) AS self_approved;
SELECT count(*) AS deleted FROM flags WHERE id = 4;

--------------------------------------------------------------------------
-- Reject and cancel
--------------------------------------------------------------------------

SELECT pg_temp.as_user(4, $$SELECT phrbac_request_change('flags', 'edit', '{"rollout": 99}', '{"id": 2}')$$) AS eli_requests;
SELECT pg_temp.as_user(3, $$SELECT phrbac_reject(4, NULL)$$) AS reject_without_reason;
SELECT pg_temp.as_user(3, $$SELECT phrbac_reject(4, '  ')$$) AS reject_blank_reason;
SELECT pg_temp.as_user(4, $$SELECT phrbac_reject(4, 'changed my mind')$$) AS reject_own;
SELECT pg_temp.as_user(6, $$SELECT phrbac_reject(4, 'no')$$) AS viewer_rejects;
SELECT pg_temp.as_user(3, $$SELECT phrbac_reject(4, 'not before the load test')$$) AS erin_rejects;
SELECT pg_temp.as_user(5, $$SELECT phrbac_approve(4)$$) AS approve_rejected;
SELECT pg_temp.as_user(4, $$SELECT phrbac_request_change('flags', 'edit', '{"rollout": 98}', '{"id": 2}')$$) AS eli_asks_again;
SELECT pg_temp.as_user(3, $$SELECT phrbac_cancel(5)$$) AS cancel_others;
SELECT pg_temp.as_user(4, $$SELECT phrbac_cancel(5)$$) AS cancel_own;
SELECT pg_temp.as_user(4, $$SELECT phrbac_cancel(5)$$) AS cancel_twice;

--------------------------------------------------------------------------
-- Stale: the row changed after the request; never applied
--------------------------------------------------------------------------

SELECT pg_temp.as_user(4, $$SELECT phrbac_request_change('flags', 'edit', '{"rollout": 97}', '{"id": 2}')$$) AS stale_to_be;
SELECT pg_temp.as_user(4, $$UPDATE flags SET key = 'dark-mode-v2' WHERE id = 2$$) AS rename_meanwhile;
SELECT id, state FROM phrbac.change_requests WHERE id = 6;
SELECT pg_temp.as_user(3, $$SELECT phrbac_approve(6)$$) AS approve_stale;
SELECT id, key, rollout FROM flags WHERE id = 2;
-- an update that changes nothing leaves requests pending
SELECT pg_temp.as_user(4, $$SELECT phrbac_request_change('flags', 'edit', '{"rollout": 96}', '{"id": 2}')$$) AS another;
UPDATE flags SET rollout = rollout WHERE id = 2;
SELECT id, state FROM phrbac.change_requests WHERE id = 7;

--------------------------------------------------------------------------
-- Expired: past expires_at, never approved; swept by the next call
--------------------------------------------------------------------------

UPDATE phrbac.change_requests SET expires_at = now() - interval '1 second' WHERE id = 7;
SELECT pg_temp.pending_for(3) AS pending_for_erin;
SELECT regexp_replace(pg_temp.as_user(3, $$SELECT phrbac_approve(7)$$),
                      'open until .*', 'open until <its expiry>') AS approve_expired;
SELECT regexp_replace(pg_temp.as_user(3, $$SELECT phrbac_reject(7, 'late')$$),
                      'open until .*', 'open until <its expiry>') AS reject_expired;
SELECT pg_temp.as_user(4, $$SELECT phrbac_request_change('flags', 'edit', '{"rollout": 95}', '{"id": 2}')$$) AS next_request;
SELECT id, state FROM phrbac.change_requests WHERE id IN (7, 8) ORDER BY id;

--------------------------------------------------------------------------
-- The request tables take no plain DML from anyone but phrbac
--------------------------------------------------------------------------

GRANT SELECT, INSERT, UPDATE, DELETE ON phrbac.change_requests, phrbac.change_request_votes TO regress_approvals_app;
SELECT pg_temp.as_user(3, q) AS plain_dml
FROM unnest(ARRAY[
	$$UPDATE phrbac.change_requests SET state = 'applied' WHERE id = 8$$,
	$$INSERT INTO phrbac.change_request_votes (organization_id, request_id, user_id, vote) VALUES (1, 8, 3, 'approve')$$,
	$$DELETE FROM phrbac.change_requests WHERE id = 1$$]) AS q;
SET ROLE regress_approvals_app;
SELECT pg_temp.try($$UPDATE phrbac.change_requests SET state = 'applied' WHERE id = 8$$) AS no_principal_dml;
RESET ROLE;
SELECT pg_temp.try($$DELETE FROM phrbac.change_requests WHERE id = 1$$) AS dba_deletes_history;
REVOKE ALL ON phrbac.change_requests, phrbac.change_request_votes FROM regress_approvals_app;

--------------------------------------------------------------------------
-- Through an API key, the key's scopes judge what is asked
--------------------------------------------------------------------------

CREATE FUNCTION pg_temp.as_key(secret text, statement text) RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
	outcome text;
BEGIN
	PERFORM phrbac_authenticate(secret);
	SET LOCAL ROLE regress_approvals_app;
	outcome := pg_temp.try(statement);
	RESET ROLE;
	PERFORM phrbac_reset();
	RETURN outcome;
END
$$;
BEGIN;
SELECT phrbac_set_user(4) \gset
SELECT secret AS flag_key FROM phrbac_create_api_key('flag-service', '{feature_flag:write}') \gset
COMMIT;
BEGIN;
SELECT phrbac_set_user(3) \gset
SELECT secret AS bi_key FROM phrbac_create_api_key('bi', '{insight:read}') \gset
COMMIT;
-- Eli's flag key may ask for flag changes; Erin's BI key may neither ask nor approve
SELECT pg_temp.as_key(:'bi_key', $$SELECT phrbac_request_change('flags', 'edit', '{"rollout": 90}', '{"id": 2}')$$) AS bi_key_requests;
SELECT pg_temp.as_key(:'flag_key', $$SELECT phrbac_request_change('flags', 'edit', '{"rollout": 90}', '{"id": 2}')$$) AS flag_key_requests;
SELECT pg_temp.as_key(:'bi_key', $$SELECT phrbac_approve(8)$$) AS bi_key_approves;
-- a direct edit through the flag key turns the pending requests on the row stale
SELECT pg_temp.as_key(:'flag_key', $$UPDATE flags SET key = 'dark-mode-v3' WHERE id = 2$$) AS flag_key_edits;
SELECT id, state FROM phrbac.change_requests WHERE id >= 8 ORDER BY id;

--------------------------------------------------------------------------
-- The audit log tells it all; the chain holds
--------------------------------------------------------------------------

SELECT id, state, requested_by,
       (SELECT string_agg(v.user_id || ':' || v.vote, ' ' ORDER BY v.user_id) FROM phrbac.change_request_votes AS v
        WHERE v.request_id = r.id) AS votes
FROM phrbac.change_requests AS r ORDER BY id;
SELECT scope, activity, user_id, item_id
FROM phrbac.audit_log
WHERE scope IN ('ApprovalPolicy', 'ChangeRequest', 'FeatureFlag')
ORDER BY id;
SELECT organization_id, first_bad_id FROM phrbac_audit_verify() ORDER BY 1;

DROP TABLE flags, notes;
DROP OWNED BY regress_approvals_app;
DROP ROLE regress_approvals_app;
