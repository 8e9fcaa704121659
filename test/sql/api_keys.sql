-- api_keys.sql: personal API keys (README, "API keys", step 1 of "Concepts",
-- "Errors").
--
-- The seed's three keys allowed and refused what PostHog's guide says;
-- project- and organization-scoped keys; every way a key can be unusable;
-- the 10-key limit; organizations that keep keys to admins; who may roll
-- and revoke; and that no secret is ever stored.  Secrets and masks are
-- random, so they are captured with \gset and never printed.

DROP EXTENSION phrbac;
CREATE EXTENSION phrbac;
\set QUIET on
\i test/fixture/acme.sql
\i test/fixture/try.sql
-- Service accounts: users 8 to 10, members of Acme with a Production row.
INSERT INTO phrbac.users (email, name) VALUES
	('bi-bot@acme.io', 'BI service account'),
	('flags-bot@acme.io', 'Flag service account'),
	('export-bot@acme.io', 'Export service account');
INSERT INTO phrbac.organization_members (organization_id, user_id) VALUES (1, 8), (1, 9), (1, 10);
INSERT INTO phrbac.project_members (project_id, user_id, role) VALUES (1, 8, 'member'), (1, 9, 'member'), (1, 10, 'member');
\set QUIET off

-- What a key may do in a project, one row per request.
CREATE FUNCTION pg_temp.key_answers(project bigint, wants text[])
RETURNS TABLE (want text, can boolean)
LANGUAGE sql AS $$
	SELECT w, phrbac_can(project, w::phrbac_grant) FROM unnest(wants) AS w
$$;


--
-- The seed's three keys, each created by its service account.
--
BEGIN;
SELECT phrbac_set_user(8);
SELECT id AS bi_id, secret AS bi_secret
FROM phrbac_create_api_key('bi-dashboard-readonly', '{insight:read,dashboard:read,query:read}') \gset
SELECT phrbac_set_user(9);
SELECT id AS flags_id, secret AS flags_secret
FROM phrbac_create_api_key('flag-service', '{feature_flag:read,feature_flag:write}') \gset
SELECT phrbac_set_user(10);
SELECT id AS export_id, secret AS export_secret
FROM phrbac_create_api_key('data-export-readonly', '{event:read,query:read}') \gset
COMMIT;

-- Only a hash and a mask are stored: the secret is in no column.
SELECT k.label, k.mask_value ~ '^phx_\.\.\.[0-9a-f]{4}$' AS masked,
       k.secure_value = 'sha256$' || encode(sha256(s.secret::bytea), 'hex') AS hashed,
       strpos(k::text, s.secret) = 0 AS secret_absent,
       right(s.secret, 4) = right(k.mask_value, 4) AS mask_matches,
       length(s.secret) AS secret_length, k.scopes
FROM phrbac.api_keys AS k
JOIN (VALUES (:bi_id, :'bi_secret'), (:flags_id, :'flags_secret'),
             (:export_id, :'export_secret')) AS s(id, secret) ON s.id = k.id
ORDER BY k.id;

-- The BI key reads insights, dashboards and queries, and nothing else.
BEGIN;
SELECT phrbac_authenticate(:'bi_secret') = :bi_id AS authenticated;
SELECT * FROM pg_temp.key_answers(1, '{insight:view,dashboard:view,query:view,insight:edit,dashboard:create,feature_flag:view,event:view}');
SELECT pg_temp.try($$SELECT phrbac_require(1, 'feature_flag:view')$$);
SELECT pg_temp.try($$SELECT phrbac_require(1, 'insight:edit')$$);
SELECT phrbac_whoami() - 'api_key_id' - 'api_key_mask' AS whoami,
       phrbac_whoami()->>'api_key_mask' = (SELECT mask_value FROM phrbac.api_keys WHERE id = :bi_id) AS shows_mask;
COMMIT;

-- The flag service reads and writes flags (as far as its user may), and
-- nothing else.
BEGIN;
SELECT phrbac_authenticate(:'flags_secret') = :flags_id AS authenticated;
SELECT * FROM pg_temp.key_answers(1, '{feature_flag:view,feature_flag:create,feature_flag:edit,feature_flag:delete,feature_flag:manage,insight:view,experiment:view}');
COMMIT;

-- The export key reads events and queries.
BEGIN;
SELECT phrbac_authenticate(:'export_secret') = :export_id AS authenticated;
SELECT * FROM pg_temp.key_answers(1, '{event:view,query:view,event:edit,insight:view,person:view}');
COMMIT;

--
-- Scoped keys, and keys that never widen their user's access.
--
BEGIN;
SELECT phrbac_set_user(3);	-- Erin: Engineering; Staging admin, Production member
SELECT id AS staging_id, secret AS staging_secret
FROM phrbac_create_api_key('staging only', '{*}', scoped_projects => '{2}') \gset
SELECT id AS acme_id, secret AS acme_secret
FROM phrbac_create_api_key('acme', '{*}', scoped_organizations => '{1}') \gset
COMMIT;

BEGIN;
SELECT phrbac_authenticate(:'staging_secret') IS NOT NULL AS authenticated;
SELECT phrbac_can(2, 'feature_flag:manage') AS staging_manage,
       phrbac_can(3, 'insight:view') AS development_view,
       phrbac_projects('insight:view') AS projects;
SELECT pg_temp.try($$SELECT phrbac_require(3, 'insight:view')$$);
COMMIT;

BEGIN;
SELECT phrbac_authenticate(:'acme_secret') IS NOT NULL AS authenticated;
-- a '*' key holds only what Erin holds: production flags without delete
SELECT * FROM pg_temp.key_answers(1, '{feature_flag:edit,feature_flag:delete,insight:manage}');
SELECT phrbac_projects('insight:view') AS projects;
COMMIT;

--
-- Creating keys: who, what, and how many.
--
SELECT pg_temp.try($$SELECT phrbac_create_api_key('no principal')$$);
BEGIN;
SELECT phrbac_authenticate(:'acme_secret') IS NOT NULL AS authenticated;
SELECT pg_temp.try($$SELECT phrbac_create_api_key('key from a key')$$);
SELECT pg_temp.try(format('SELECT phrbac_revoke_api_key(%s)', :acme_id));
COMMIT;

BEGIN;
SELECT phrbac_set_user(7);	-- Carl: Development only
SELECT pg_temp.try($$SELECT phrbac_create_api_key('  ')$$);
SELECT pg_temp.try($$SELECT phrbac_create_api_key(NULL)$$);
SELECT pg_temp.try($$SELECT phrbac_create_api_key('none', '{}')$$);
SELECT pg_temp.try($$SELECT phrbac_create_api_key('null scope', ARRAY[NULL]::phrbac_scope[])$$);
SELECT pg_temp.try($$SELECT phrbac_create_api_key('no projects', '{*}', '{}')$$);
SELECT pg_temp.try($$SELECT phrbac_create_api_key('prod', '{*}', '{1}')$$);
SELECT pg_temp.try($$SELECT phrbac_create_api_key('elsewhere', '{*}', NULL, '{42}')$$);
SELECT pg_temp.try($$SELECT phrbac_create_api_key('past', '{*}', NULL, NULL, now() - interval '1 day')$$);
SELECT pg_temp.try($$SELECT phrbac_create_api_key('typo', '{featureflag:read}')$$);
SELECT pg_temp.try($$SELECT phrbac_create_api_key('dev', '{insight:read}', '{3}')$$);
COMMIT;

-- At most 10 live keys; revoked and expired ones do not count.
BEGIN;
SELECT phrbac_set_user(5);
SELECT count(*) AS created
FROM generate_series(1, 10) AS g, LATERAL phrbac_create_api_key('bulk ' || g);
SELECT pg_temp.try($$SELECT phrbac_create_api_key('eleventh')$$);
SELECT phrbac_revoke_api_key(min(id)) FROM phrbac.api_keys WHERE label = 'bulk 1';
SELECT pg_temp.try($$SELECT phrbac_create_api_key('eleventh')$$);
SELECT pg_temp.try($$SELECT phrbac_create_api_key('twelfth')$$);
COMMIT;
UPDATE phrbac.api_keys SET expires_at = now() - interval '1 minute' WHERE label = 'bulk 2';
BEGIN;
SELECT phrbac_set_user(5);
SELECT pg_temp.try($$SELECT phrbac_create_api_key('twelfth')$$);
COMMIT;

--
-- Every unusable key gets 28000 and is named by its mask only.
--
SELECT pg_temp.try($$SELECT phrbac_authenticate(NULL)$$);
SELECT pg_temp.try($$SELECT phrbac_authenticate('phx_not-a-key')$$);
SELECT pg_temp.try($$SELECT phrbac_authenticate('phx_' || repeat('0', 64))$$);

-- rolled: the old secret is dead, the new one works
BEGIN;
SELECT phrbac_set_user(8);
SELECT phrbac_roll_api_key(:bi_id) AS bi_rolled \gset
COMMIT;
SELECT pg_temp.try(format('SELECT phrbac_authenticate(%L)', :'bi_secret')) AS old_secret;
SELECT pg_temp.try(format('SELECT phrbac_authenticate(%L)', :'bi_rolled')) AS new_secret;

-- expired (the DBA shortens it), then deactivated, then revoked
UPDATE phrbac.api_keys SET expires_at = now() - interval '1 second' WHERE id = :export_id;
SELECT pg_temp.try(format('SELECT phrbac_authenticate(%L)', :'export_secret')) AS expired;
UPDATE phrbac.users SET is_active = false WHERE id = 9;
SELECT pg_temp.try(format('SELECT phrbac_authenticate(%L)', :'flags_secret')) AS deactivated;
UPDATE phrbac.users SET is_active = true WHERE id = 9;
BEGIN;
SELECT phrbac_set_user(2);	-- Adam, an Acme admin, revokes the flag service's key
SELECT phrbac_revoke_api_key(:flags_id);
SELECT phrbac_revoke_api_key(:flags_id);	-- again: nothing to do
COMMIT;
SELECT pg_temp.try(format('SELECT phrbac_authenticate(%L)', :'flags_secret')) AS revoked;

-- A key cannot be set as an auth method by hand.
SELECT pg_temp.try($$SELECT phrbac_set_user(3, 'api-key')$$);

--
-- Rolling and revoking: the owner; for revoking, the organization's admins.
--
BEGIN;
SELECT phrbac_set_user(4);	-- Eli, a member
SELECT pg_temp.try(format('SELECT phrbac_roll_api_key(%s)', :staging_id));
SELECT pg_temp.try(format('SELECT phrbac_revoke_api_key(%s)', :staging_id));
SELECT pg_temp.try('SELECT phrbac_revoke_api_key(424242)');
SELECT phrbac_set_user(2);	-- Adam may revoke, not roll
SELECT pg_temp.try(format('SELECT phrbac_roll_api_key(%s)', :staging_id));
SELECT pg_temp.try(format('SELECT phrbac_roll_api_key(%s)', :flags_id));
COMMIT;

-- With a principal, the table changes only through the functions.
BEGIN;
SELECT phrbac_set_user(1);
SELECT pg_temp.try(format('UPDATE phrbac.api_keys SET scopes = %L WHERE id = %s', '{*}', :bi_id));
SELECT pg_temp.try($$INSERT INTO phrbac.api_keys (user_id, label, mask_value, secure_value)
	VALUES (1, 'forged', 'phx_...0000', 'sha256$' || repeat('0', 64))$$);
COMMIT;

--
-- Organizations that keep keys to their admins.
--
UPDATE phrbac.organizations SET members_can_use_api_keys = false WHERE id = 1;
BEGIN;
SELECT phrbac_authenticate(:'bi_rolled') IS NOT NULL AS authenticated;
SELECT phrbac_can(1, 'insight:view') AS member_key_can;
SELECT pg_temp.try($$SELECT phrbac_require(1, 'insight:view')$$);
SELECT phrbac_set_user(3);
SELECT pg_temp.try($$SELECT phrbac_create_api_key('member key')$$);
SELECT pg_temp.try($$SELECT phrbac_create_api_key('member key', '{*}', '{2}')$$);
SELECT phrbac_set_user(2);
SELECT secret AS admin_secret FROM phrbac_create_api_key('admin key', '{insight:read}') \gset
COMMIT;
BEGIN;
SELECT phrbac_authenticate(:'admin_secret') IS NOT NULL AS authenticated;
SELECT phrbac_can(1, 'insight:view') AS admin_key_can, phrbac_can(1, 'insight:edit') AS admin_key_edits;
COMMIT;
UPDATE phrbac.organizations SET members_can_use_api_keys = true WHERE id = 1;

-- Keys narrow catalog changes too: Adam's read key changes nothing, his
-- organization_member:write key changes memberships and nothing else.
BEGIN;
SELECT phrbac_set_user(2);
SELECT secret AS members_secret FROM phrbac_create_api_key('member admin', '{organization_member:write}') \gset
COMMIT;
BEGIN;
SELECT phrbac_authenticate(:'admin_secret') IS NOT NULL AS authenticated;
SELECT pg_temp.try($$UPDATE phrbac.organization_members SET reason = 'on call' WHERE user_id = 4$$) AS read_key_member;
SELECT phrbac_authenticate(:'members_secret') IS NOT NULL AS authenticated;
SELECT pg_temp.try($$UPDATE phrbac.organization_members SET reason = 'on call' WHERE user_id = 4$$) AS member_key_member;
SELECT pg_temp.try($$DELETE FROM phrbac.access_rules WHERE user_id = 7$$) AS member_key_rule;
ROLLBACK;

-- Authentication works in a read-only transaction, and leaves
-- last_used_at alone there.
UPDATE phrbac.api_keys SET last_used_at = NULL WHERE id = :bi_id;
BEGIN READ ONLY;
SELECT phrbac_authenticate(:'bi_rolled') = :bi_id AS authenticated;
SELECT phrbac_can(1, 'insight:view') AS can;
COMMIT;
SELECT last_used_at IS NULL AS untouched FROM phrbac.api_keys WHERE id = :bi_id;
SELECT phrbac_authenticate(:'bi_rolled') = :bi_id AS authenticated;
SELECT last_used_at IS NOT NULL AS recorded FROM phrbac.api_keys WHERE id = :bi_id;

--
-- A key aimed at a project outside its user's organizations is refused as
-- its user would be: another organization's project, ids no project has,
-- the largest bigint; a member's key and an admin's, through a session and
-- a transaction principal, with Acme's keys open to members and kept to
-- admins.  (This took the server down: the refusal named the organization
-- of a project the user's facts do not hold.)
--
INSERT INTO phrbac.organizations (id, name, members_can_use_api_keys) VALUES (2, 'Initech', false);
INSERT INTO phrbac.projects (id, organization_id, name) VALUES (4, 2, 'Payments');
BEGIN;
SELECT phrbac_set_user(3);
SELECT secret AS erin_secret FROM phrbac_create_api_key('erin everything', '{*}') \gset
SELECT phrbac_set_user(2);
SELECT secret AS adam_secret FROM phrbac_create_api_key('adam everything', '{*}') \gset
COMMIT;

-- Each principal's answers for Acme's Production and the outside projects.
CREATE FUNCTION pg_temp.outside_answers()
RETURNS TABLE (project bigint, can boolean, require text, require_object text)
LANGUAGE sql AS $$
	SELECT p, phrbac_can(p, 'insight:view'),
	       pg_temp.try(format('SELECT phrbac_require(%s, %L)', p, 'insight:view')),
	       pg_temp.try(format('SELECT phrbac_require(%s, %L, %L, 3)', p, 'feature_flag:edit', '42'))
	FROM unnest('{1,4,0,-1,57,9223372036854775807}'::bigint[]) WITH ORDINALITY AS u(p, n)
	ORDER BY n
$$;

SELECT phrbac_authenticate(:'erin_secret', false) IS NOT NULL AS erin_session;
SELECT * FROM pg_temp.outside_answers();
SELECT phrbac_reset();
BEGIN;
SELECT phrbac_authenticate(:'adam_secret') IS NOT NULL AS adam_transaction;
SELECT * FROM pg_temp.outside_answers();
COMMIT;
UPDATE phrbac.organizations SET members_can_use_api_keys = false WHERE id = 1;
BEGIN;
SELECT phrbac_authenticate(:'erin_secret') IS NOT NULL AS erin_kept_to_admins;
SELECT * FROM pg_temp.outside_answers();
SELECT phrbac_authenticate(:'adam_secret') IS NOT NULL AS adam_kept_to_admins;
SELECT * FROM pg_temp.outside_answers();
COMMIT;
UPDATE phrbac.organizations SET members_can_use_api_keys = true WHERE id = 1;

-- Leave an empty catalog for the suites that follow.
DROP EXTENSION phrbac;
CREATE EXTENSION phrbac;
