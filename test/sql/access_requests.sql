-- access_requests.sql: just-in-time, time-bound access (README, "Access
-- requests").
--
-- Covers, each refused with its SQLSTATE where refused:
--   * phrbac_request_access(): no principal or not a member of the
--     project's organization (42501); no reason, a duration that is not
--     positive or beyond the organization's maximum, an access that is no
--     project level or grant (22023, 22P02);
--   * phrbac_decide_access(): never one's own request; only someone who
--     may make that grant (a project or organization admin, never above
--     their own level) decides, to deny too (42501); a denial needs a
--     reason (22023); decided once (55000); a row in the way (23505);
--   * phrbac_cancel_access_request(): the requester's, while pending;
--   * approval creates the project_members or access_rules row with the
--     request's reason and expires_at = now() + duration;
--   * pending requests expire after 24 hours (55000), swept by the next
--     request; requests are never deleted, nor written with plain DML;
--   * the access review names the request; the audit log's activities.

\set SHOW_CONTEXT never
DROP EXTENSION phrbac;
CREATE EXTENSION phrbac;
\set QUIET on
\i test/fixture/acme.sql
\i test/fixture/try.sql
\set QUIET off
INSERT INTO phrbac.users (id, email) VALUES (8, 'stranger@elsewhere.io');

-- pg_temp.as_user(user, statement): the statement's outcome with that principal.
CREATE FUNCTION pg_temp.as_user(who bigint, statement text) RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
	outcome text;
BEGIN
	PERFORM phrbac_set_user(who);
	outcome := pg_temp.try(statement);
	PERFORM phrbac_reset();
	RETURN outcome;
END
$$;

--------------------------------------------------------------------------
-- Requests: bad input, nothing written
--------------------------------------------------------------------------

SELECT pg_temp.try($$SELECT phrbac_request_access(2, 'member', 'work')$$) AS no_principal;
SELECT pg_temp.as_user(8, $$SELECT phrbac_request_access(2, 'member', 'work')$$) AS not_a_member;
SELECT pg_temp.as_user(7, q) AS bad_request
FROM unnest(ARRAY[
	$$SELECT phrbac_request_access(99, 'member', 'work')$$,
	$$SELECT phrbac_request_access(2, 'member', NULL)$$,
	$$SELECT phrbac_request_access(2, 'member', '   ')$$,
	$$SELECT phrbac_request_access(2, 'member', 'work', '0 days')$$,
	$$SELECT phrbac_request_access(2, 'member', 'work', '-1 day')$$,
	$$SELECT phrbac_request_access(2, 'member', 'work', NULL)$$,
	$$SELECT phrbac_request_access(2, 'member', 'work', '91 days')$$,
	$$SELECT phrbac_request_access(2, 'owner', 'work')$$,
	$$SELECT phrbac_request_access(2, 'none', 'work')$$,
	$$SELECT phrbac_request_access(2, 'superuser', 'work')$$,
	$$SELECT phrbac_request_access(2, NULL, 'work')$$,
	$$SELECT phrbac_request_access(2, 'featureflag:editor', 'work')$$,
	$$SELECT phrbac_request_access(2, 'project:viewer', 'work')$$,
	$$SELECT phrbac_request_access(2, 'feature_flag:none', 'work')$$]) AS q;
-- the organization's maximum, set by its admins
SELECT pg_temp.as_user(3, $$UPDATE phrbac.organizations SET access_request_max_duration = '1 year' WHERE id = 1$$) AS member_sets_maximum;
SELECT pg_temp.as_user(2, $$UPDATE phrbac.organizations SET access_request_max_duration = '30 days' WHERE id = 1$$) AS admin_sets_maximum;
SELECT pg_temp.as_user(2, $$UPDATE phrbac.organizations SET access_request_max_duration = '0 days' WHERE id = 1$$) AS zero_maximum;
SELECT pg_temp.as_user(7, $$SELECT phrbac_request_access(2, 'member', 'work', '31 days')$$) AS beyond_maximum;
SELECT count(*) AS requests_after_refusals FROM phrbac.access_requests;

--------------------------------------------------------------------------
-- A project level, for a week: the contractor in Staging
--------------------------------------------------------------------------

SELECT pg_temp.as_user(7, $$SELECT phrbac_request_access(2, 'Member', 'Q3 migration: staging dry run')$$) AS carl_requests;
SELECT id, project_id, user_id, project_role, access, reason, duration, state,
       expires_at - requested_at AS open_for
FROM phrbac.access_requests;
SELECT pg_temp.as_user(7, $$SELECT phrbac_decide_access(1, true)$$) AS own_decision;
SELECT pg_temp.as_user(6, $$SELECT phrbac_decide_access(1, true)$$) AS viewer_decides;
SELECT pg_temp.as_user(5, $$SELECT phrbac_decide_access(1, false, 'no')$$) AS member_denies;
SELECT pg_temp.as_user(2, $$SELECT phrbac_decide_access(1, NULL)$$) AS null_decision;
SELECT pg_temp.as_user(2, $$SELECT phrbac_decide_access(99, true)$$) AS unknown_request;
SELECT pg_temp.as_user(2, $$SELECT phrbac_decide_access(1, true, 'ticket OPS-7')$$) AS admin_approves;
SELECT id, state, decided_by, decision_reason, granted_row FROM phrbac.access_requests;
SELECT pm.id, pm.project_id, pm.user_id, pm.role, pm.reason, pm.expires_at - r.decided_at AS lasts, pm.created_by
FROM phrbac.project_members AS pm JOIN phrbac.access_requests AS r ON r.granted_row = pm.id;
SELECT pg_temp.as_user(2, $$SELECT phrbac_decide_access(1, false, 'oops')$$) AS decide_twice;

--------------------------------------------------------------------------
-- A grant, decided by a project admin or not at all
--------------------------------------------------------------------------

-- Eli may create and edit Production's flags, not delete them
SELECT phrbac_user_can(4, 1, 'feature_flag:delete') AS eli_deletes_before;
SELECT pg_temp.as_user(4, $$SELECT phrbac_request_access(1, 'feature_flag:editor', 'flag cleanup week', '3 days')$$) AS eli_requests;
-- Erin is a member of Production, not its admin
SELECT pg_temp.as_user(3, $$SELECT phrbac_decide_access(2, true)$$) AS member_approves;
SELECT pg_temp.as_user(1, $$SELECT phrbac_decide_access(2, true)$$) AS owner_approves;
SELECT ar.project_id, ar.user_id, ar.access, ar.reason, ar.expires_at - r.decided_at AS lasts
FROM phrbac.access_rules AS ar JOIN phrbac.access_requests AS r ON r.granted_row = ar.id AND r.id = 2;
SELECT phrbac_user_can(4, 1, 'feature_flag:delete') AS eli_deletes_after;

-- Engineering runs Staging: Erin, its admin through the role, decides there
SELECT pg_temp.as_user(5, $$SELECT phrbac_request_access(2, 'admin', 'release manager this sprint', '14 days')$$) AS paula_requests;
SELECT pg_temp.as_user(5, $$SELECT phrbac_request_access(2, 'viewer', 'just looking', '1 day')$$) AS paula_again;
SELECT pg_temp.as_user(3, $$SELECT phrbac_decide_access(4, false)$$) AS deny_without_reason;
SELECT pg_temp.as_user(3, $$SELECT phrbac_decide_access(4, false, '  ')$$) AS deny_blank_reason;
SELECT pg_temp.as_user(3, $$SELECT phrbac_decide_access(4, false, 'ask for admin only')$$) AS erin_denies;
SELECT pg_temp.as_user(3, $$SELECT phrbac_decide_access(3, true, 'ok')$$) AS erin_approves_admin;
-- a row in the way: Victor already views Staging
SELECT pg_temp.as_user(6, $$SELECT phrbac_request_access(2, 'member', 'demo prep', '2 days')$$) AS victor_member;
SELECT pg_temp.as_user(2, $$SELECT phrbac_decide_access(5, true)$$) AS row_in_the_way;

-- the requester may withdraw a pending request, nobody else
SELECT pg_temp.as_user(5, $$SELECT phrbac_cancel_access_request(4)$$) AS cancel_decided;
SELECT pg_temp.as_user(6, $$SELECT phrbac_request_access(3, 'member', 'read the dev dashboards', '1 day')$$) AS victor_dev;
SELECT pg_temp.as_user(2, $$SELECT phrbac_cancel_access_request(6)$$) AS cancel_others;
SELECT pg_temp.as_user(6, $$SELECT phrbac_cancel_access_request(6)$$) AS cancel_own;
SELECT pg_temp.as_user(6, $$SELECT phrbac_cancel_access_request(6)$$) AS cancel_twice;
SELECT pg_temp.as_user(2, $$SELECT phrbac_decide_access(6, true)$$) AS decide_cancelled;

--------------------------------------------------------------------------
-- Pending requests expire after 24 hours
--------------------------------------------------------------------------

UPDATE phrbac.access_requests SET expires_at = now() - interval '1 second' WHERE id = 5;
SELECT regexp_replace(pg_temp.as_user(2, $$SELECT phrbac_decide_access(5, false, 'late')$$),
                      'open until .*', 'open until <its expiry>') AS decide_expired;
SELECT pg_temp.as_user(4, $$SELECT phrbac_request_access(3, 'admin', 'on call', '1 day')$$) AS next_request;
SELECT id, state FROM phrbac.access_requests WHERE id IN (5, 6, 7) ORDER BY id;

--------------------------------------------------------------------------
-- The history stays, written only by phrbac
--------------------------------------------------------------------------

CREATE ROLE regress_access_requests_app;
GRANT USAGE ON SCHEMA phrbac TO regress_access_requests_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON phrbac.access_requests TO regress_access_requests_app;
SET ROLE regress_access_requests_app;
SELECT pg_temp.try($$UPDATE phrbac.access_requests SET state = 'approved' WHERE id = 7$$) AS plain_update;
SELECT pg_temp.try($$INSERT INTO phrbac.access_requests (organization_id, project_id, user_id, project_role, reason, duration)
	VALUES (1, 1, 7, 'admin', 'x', '1 day')$$) AS plain_insert;
RESET ROLE;
SELECT pg_temp.try($$DELETE FROM phrbac.access_requests WHERE id = 4$$) AS dba_deletes_history;
DROP OWNED BY regress_access_requests_app;
DROP ROLE regress_access_requests_app;

--------------------------------------------------------------------------
-- The access review names the requests; the audit log tells it all
--------------------------------------------------------------------------

SELECT user_id, access, detail, reason, access_request_id
FROM phrbac.access_review WHERE finding = 'access_request' ORDER BY user_id;
SELECT scope, activity, user_id, item_id
FROM phrbac.audit_log
WHERE scope = 'AccessRequest' OR (scope = 'AccessControl' AND user_id IS NOT NULL)
ORDER BY id;
SELECT organization_id, first_bad_id FROM phrbac_audit_verify() ORDER BY 1;
