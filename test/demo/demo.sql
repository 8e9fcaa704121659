-- demo.sql: phrbac's types at work, as `make demo` shows them.

\pset footer off
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
