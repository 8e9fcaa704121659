-- consistency.sql: every way of asking phrbac gives one answer (README,
-- "Concepts").
--
-- Over the Acme fixture plus Globex (an organization that resolves rules
-- with max and enforces SSO), for every user x project x resource x level
-- x object, these must agree:
--   phrbac_user_can, phrbac_explain's allowed, phrbac_decision's allowed,
--   phrbac_can as that user, phrbac_projects as that user (resource-wide),
--   and the access phrbac_access_matrix lists (resource-wide);
--   phrbac_user_can, phrbac_explain (all of it) and phrbac_decision asked
--   by that user about themself, as a database role that is no superuser;
-- and each of them must be the same with phrbac.cache on and off.
-- A table of hand-computed answers pins what they agree on.  A member may
-- not ask about anyone else.

-- Every question asked every way, cache on and off, is one statement of
-- about a minute on a loaded 2-core machine: more than the bound test/run
-- puts on a statement that hangs.
SET statement_timeout = '5min';

-- A fresh catalog, so the fixture's ids are the ones it names.
DROP EXTENSION phrbac;
CREATE EXTENSION phrbac;
\set QUIET on
\i test/fixture/acme.sql
\i test/fixture/try.sql

\i test/fixture/globex.sql
\set QUIET off

-- Hand-computed answers (phrbac_user_can; the step of README, "Concepts",
-- in the comment).
SELECT u.email, e.project_id, e.want, e.object_id, e.creator_id, e.expected,
       phrbac_user_can(u.id, e.project_id::bigint, e.want::phrbac_grant,
                       e.object_id, e.creator_id::bigint) AS got
FROM (VALUES
	(1, 1, 'feature_flag:manager', NULL, NULL, true),		-- 5 org owner
	(2, 1, 'insight:delete', NULL, NULL, true),			-- 5 org admin
	(3, 1, 'feature_flag:edit', NULL, NULL, true),			-- 7 role rule
	(3, 1, 'feature_flag:delete', NULL, NULL, false),		-- 7 role rule lacks delete
	(3, 1, 'insight:delete', NULL, NULL, true),			-- 8 editor by default
	(3, 1, 'insight:manage', NULL, NULL, false),			-- 8 editor lacks manage
	(3, 2, 'feature_flag:manage', NULL, NULL, true),		-- 6 project admin by role
	(3, 1, 'feature_flag/top-secret:edit', NULL, NULL, false),	-- 7 object rule first
	(3, 1, 'feature_flag/top-secret:view', NULL, NULL, true),
	(4, 1, 'feature_flag/top-secret:delete', 'top-secret', 4, true),	-- 4 creator
	(5, 1, 'feature_flag/top-secret:edit', NULL, NULL, true),	-- 7 role's object rule
	(5, 1, 'feature_flag:delete', NULL, NULL, true),		-- 7 role rule editor
	(5, 2, 'feature_flag:edit', NULL, NULL, true),			-- 6 default member
	(6, 1, 'dashboard:view', NULL, NULL, true),			-- 6 viewer row
	(6, 1, 'dashboard:edit', NULL, NULL, false),			-- 6 viewer cap
	(6, 3, 'insight:view', NULL, NULL, true),
	(7, 3, 'insight:edit', NULL, NULL, true),			-- 6 own member row
	(7, 1, 'insight:view', NULL, NULL, false),			-- 6 private project
	(7, 2, 'insight:view', NULL, NULL, false),			-- 7 *:none
	(7, 2, 'project:view', NULL, NULL, true),			-- 8 membership only: no rules
	(3, 1, 'activity_log:view', NULL, NULL, true),			-- 8 viewer by default
	(3, 1, 'activity_log:edit', NULL, NULL, false),
	(8, 1, 'insight:view', NULL, NULL, false),			-- 2 not an Acme member
	(8, 4, 'insight:manage', NULL, NULL, true),			-- 5 Globex owner
	(9, 4, 'dashboard:edit', NULL, NULL, true),			-- 7 max: union of none and editor
	(9, 4, 'insight:delete', NULL, NULL, true),			-- 7 max: role editor
	(10, 4, 'insight:view', NULL, NULL, true),			-- 7 everyone viewer
	(10, 4, 'insight:edit', NULL, NULL, false),			-- 7 role membership expired
	(11, 4, 'insight:view', NULL, NULL, false),			-- 2 deactivated
	(3, 99, 'insight:view', NULL, NULL, false)			-- unknown project
) AS e(user_id, project_id, want, object_id, creator_id, expected)
JOIN phrbac.users AS u ON u.id = e.user_id
ORDER BY e.user_id, e.project_id, e.want;

-- Under enforced SSO a password login is refused, an SSO login is not.
BEGIN;
SELECT phrbac_set_user(9, 'password');
SELECT phrbac_can(4, 'insight:view') AS hal_by_password;
SELECT phrbac_set_user(9, 'saml');
SELECT phrbac_can(4, 'insight:view') AS hal_by_saml;
COMMIT;

-- Every question, asked every way.
CREATE TEMP TABLE question AS
SELECT row_number() OVER () AS question, u.id AS user_id, p.id AS project_id, r.resource, l.level, o.object_id,
       format('%s%s:%s', r.resource, '/' || o.object_id, l.level)::phrbac_grant AS want,
       format('%s:%s', r.resource, l.level)::phrbac_grant AS want_resource_wide
FROM phrbac.users AS u
CROSS JOIN phrbac.projects AS p
CROSS JOIN (SELECT phrbac_resources() UNION ALL VALUES ('project'), ('organization')) AS r(resource)
CROSS JOIN (VALUES ('viewer'), ('view+create'), ('editor'), ('manager')) AS l(level)
CROSS JOIN (VALUES (NULL), ('top-secret')) AS o(object_id)
WHERE phrbac_grant_takes_rules(format('%s:none', r.resource)::phrbac_grant)
   OR o.object_id IS NULL;

-- Each user asks as an application's database role would: no superuser,
-- granted EXECUTE on what it calls.
CREATE ROLE regress_consistency_app;
GRANT EXECUTE ON FUNCTION phrbac_set_user(bigint, text, boolean),
	phrbac_user_can(bigint, bigint, phrbac_grant, text, bigint),
	phrbac_explain(bigint, bigint, phrbac_grant, text, bigint),
	phrbac_decision(bigint, bigint, phrbac_grant, text, bigint)
	TO regress_consistency_app;
GRANT SELECT ON question TO regress_consistency_app;

CREATE FUNCTION pg_temp.ask_every_way()
RETURNS TABLE (question bigint, user_id bigint, project_id bigint, resource text, level text,
               object_id text, user_can boolean, explained boolean,
               decided boolean, can boolean, listed boolean, matrix boolean,
               explanation jsonb, self_user_can boolean, self_explanation jsonb,
               self_decided boolean)
LANGUAGE plpgsql AS $$
DECLARE
	u bigint;
BEGIN
	CREATE TEMP TABLE as_user (question bigint, can boolean, listed boolean,
	                           self_user_can boolean, self_explanation jsonb, self_decided boolean);
	GRANT INSERT ON as_user TO regress_consistency_app;
	SET ROLE regress_consistency_app;
	FOR u IN SELECT DISTINCT q.user_id FROM question AS q ORDER BY 1 LOOP
		PERFORM phrbac_set_user(u, 'saml');
		INSERT INTO as_user
		SELECT q.question,
		       phrbac_can(q.project_id, q.want, q.object_id),
		       q.project_id = ANY (phrbac_projects(q.want_resource_wide)),
		       phrbac_user_can(u, q.project_id, q.want, q.object_id),
		       phrbac_explain(u, q.project_id, q.want, q.object_id),
		       (SELECT d.allowed FROM phrbac_decision(u, q.project_id, q.want, q.object_id) AS d)
		FROM question AS q WHERE q.user_id = u;
	END LOOP;
	PERFORM phrbac_reset();
	RESET ROLE;

	RETURN QUERY
	WITH asked AS MATERIALIZED (
		SELECT q.*, phrbac_explain(q.user_id, q.project_id, q.want, q.object_id) AS explanation
		FROM question AS q)
	SELECT q.question, q.user_id, q.project_id, q.resource, q.level, q.object_id,
	       phrbac_user_can(q.user_id, q.project_id, q.want, q.object_id),
	       (q.explanation->>'allowed')::boolean,
	       (SELECT d.allowed FROM phrbac_decision(q.user_id, q.project_id, q.want, q.object_id) AS d),
	       a.can, a.listed,
	       m.access @> q.want_resource_wide,
	       q.explanation, a.self_user_can, a.self_explanation, a.self_decided
	FROM asked AS q
	JOIN as_user AS a USING (question)
	LEFT JOIN (SELECT * FROM phrbac_access_matrix(1)
	           UNION ALL SELECT * FROM phrbac_access_matrix(2)) AS m
	       ON m.user_id = q.user_id AND m.project_id = q.project_id
	      AND m.resource = q.resource;
	DROP TABLE as_user;
END
$$;

SET phrbac.cache = on;
CREATE TEMP TABLE cached AS SELECT * FROM pg_temp.ask_every_way();
SET phrbac.cache = off;
CREATE TEMP TABLE uncached AS SELECT * FROM pg_temp.ask_every_way();
RESET phrbac.cache;

-- How many questions, and how many of them are allowed.
SELECT count(*) AS questions, count(*) FILTER (WHERE user_can) AS allowed
FROM cached;

-- Disagreements between the ways of asking (none expected).  The list and
-- the matrix answer resource-wide questions; the matrix lists members and
-- the resources that take rules only, and a non-member is allowed nothing.
-- What users are told about themselves is what the DBA is told about them.
SELECT * FROM cached
WHERE user_can IS DISTINCT FROM explained
   OR user_can IS DISTINCT FROM decided
   OR user_can IS DISTINCT FROM can
   OR (object_id IS NULL AND user_can IS DISTINCT FROM listed)
   OR (object_id IS NULL AND resource IN (SELECT phrbac_resources())
       AND user_can IS DISTINCT FROM coalesce(matrix, false))
   OR user_can IS DISTINCT FROM self_user_can
   OR explanation IS DISTINCT FROM self_explanation
   OR user_can IS DISTINCT FROM self_decided
ORDER BY question
LIMIT 20;

-- Disagreements between the cache on and off (none expected).
(SELECT * FROM cached EXCEPT SELECT * FROM uncached)
UNION ALL
(SELECT * FROM uncached EXCEPT SELECT * FROM cached)
LIMIT 20;

-- A member asks about themself, even through a role granted EXECUTE on
-- phrbac_explain alone; never about someone else, however asked.  An admin
-- asks about the members of their organization.
CREATE ROLE regress_consistency_explainer;
GRANT EXECUTE ON FUNCTION phrbac_set_user(bigint, text, boolean),
	phrbac_explain(bigint, bigint, phrbac_grant, text, bigint)
	TO regress_consistency_explainer;
SET ROLE regress_consistency_explainer;
BEGIN;
SELECT phrbac_set_user(3);	-- Erin, a member
SELECT phrbac_explain(3, 1, 'feature_flag:delete')->>'reason' AS erin_on_herself;
SELECT pg_temp.try($$SELECT phrbac_explain(4, 1, 'feature_flag:delete')$$) AS erin_on_eli;
COMMIT;
RESET ROLE;
SET ROLE regress_consistency_app;
BEGIN;
SELECT phrbac_set_user(3);
SELECT pg_temp.try($$SELECT phrbac_user_can(4, 1, 'feature_flag:edit')$$) AS erin_on_eli_can,
       pg_temp.try($$SELECT phrbac_decision(4, 1, 'feature_flag:edit')$$) AS erin_on_eli_decision,
       pg_temp.try($$SELECT phrbac_user_can(8, 4, 'insight:view')$$) AS erin_on_gina;
SELECT phrbac_set_user(2);	-- Adam, an admin of Acme
SELECT phrbac_user_can(4, 1, 'feature_flag:edit') AS adam_on_eli,
       pg_temp.try($$SELECT phrbac_user_can(8, 4, 'insight:view')$$) AS adam_on_gina;
COMMIT;
RESET ROLE;

-- Leave an empty catalog for the suites that follow.
DROP TABLE question, cached, uncached;
DROP EXTENSION phrbac;
CREATE EXTENSION phrbac;
DROP ROLE regress_consistency_app, regress_consistency_explainer;
