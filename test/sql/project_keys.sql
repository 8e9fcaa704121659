-- project_keys.sql: project tokens and project secret keys (README,
-- "Project keys and tokens", "Errors").
--
-- Every project has a token its members read and its admins reset; a
-- token's principal may only create events in its project, and an
-- ingestion table protected for event takes its rows and refuses the rest.
-- Project secret keys: made by project admins, shown once, hashed and
-- masked, scoped, limited to their project, rolled, revoked, expiring,
-- in the access review, alive after their creator is offboarded, named by
-- the audit log.  phrbac_whoami() says which credential a principal used.
-- Secrets are random, so they are captured with \gset and never printed.

DROP EXTENSION phrbac;
CREATE EXTENSION phrbac;
\set QUIET on
\i test/fixture/acme.sql
\i test/fixture/try.sql
-- try(), with a project key's random mask replaced by its label
CREATE FUNCTION pg_temp.try_key(statement text, count_rows boolean DEFAULT false) RETURNS text
LANGUAGE sql AS $$
	SELECT regexp_replace(coalesce(replace(t, k.mask_value, '<' || k.label || '>'), t),
	                      '(ph[sc])_\.\.\.[0-9a-f]{4}', '\1_...<old>')
	FROM pg_temp.try(statement, count_rows) AS t
	LEFT JOIN phrbac.project_keys AS k ON strpos(t, k.mask_value) > 0
$$;
CREATE ROLE regress_phrbac_ingest;
GRANT USAGE ON SCHEMA phrbac TO regress_phrbac_ingest;
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA phrbac TO regress_phrbac_ingest;
CREATE TABLE events (project_id bigint NOT NULL, name text NOT NULL);
INSERT INTO events VALUES (1, 'pageview'), (2, 'pageview'), (3, 'pageview');
CREATE TABLE insights (id int PRIMARY KEY, project_id bigint NOT NULL, name text NOT NULL);
INSERT INTO insights VALUES (1, 1, 'signups'), (2, 2, 'staging signups');
GRANT ALL ON events, insights TO regress_phrbac_ingest;
SELECT phrbac_protect('events', 'event');
SELECT phrbac_protect('insights', 'insight');
\set QUIET off

-- What the principal may do in a project, one row per request.
CREATE FUNCTION pg_temp.answers(project bigint, wants text[])
RETURNS TABLE (want text, can boolean)
LANGUAGE sql AS $$
	SELECT w, phrbac_can(project, w::phrbac_grant) FROM unnest(wants) AS w
$$;

--
-- Project tokens
--

-- Every project has one, made with it: phc_ and 64 hex digits.
SELECT project_id, token ~ '^phc_[0-9a-f]{64}$' AS well_formed
FROM phrbac.project_tokens ORDER BY project_id;
INSERT INTO phrbac.projects (organization_id, name) VALUES (1, 'Sandbox') RETURNING id AS sandbox \gset
SELECT count(*) AS sandbox_tokens FROM phrbac.project_tokens WHERE project_id = :sandbox;

-- Members read it; others may not; resetting is for admins.
BEGIN;
SELECT phrbac_set_user(3);		-- Erin, a member of Production through Engineering
SELECT phrbac_project_token(1) = (SELECT token FROM phrbac.project_tokens WHERE project_id = 1) AS erin_reads_it;
SELECT pg_temp.try_key($$SELECT phrbac_reset_project_token(1)$$);
SELECT pg_temp.try_key($$SELECT phrbac_project_token(424242)$$);
SELECT phrbac_set_user(7);		-- Carl, the contractor, not in Production
SELECT pg_temp.try_key($$SELECT phrbac_project_token(1)$$);
ROLLBACK;

SELECT phrbac_project_token(1) AS token_1 \gset
SELECT phrbac_project_token(2) AS token_2 \gset

-- A token authenticates, in a read-only transaction too, and says so.
BEGIN READ ONLY;
SELECT phrbac_authenticate(:'token_1') IS NULL AS no_key_id;
SELECT phrbac_whoami();
SELECT phrbac_principal_user_id() IS NULL AS no_user, phrbac_principal_project_id() AS project;
SELECT * FROM pg_temp.answers(1, '{event:create,event:view,event:edit,insight:view,project:view}');
SELECT * FROM pg_temp.answers(2, '{event:create}');
SELECT pg_temp.try_key($$SELECT phrbac_require(1, 'event:create')$$);
SELECT pg_temp.try_key($$SELECT phrbac_require(1, 'event:view')$$);
SELECT pg_temp.try_key($$SELECT phrbac_require(1, 'insight:edit')$$);
SELECT pg_temp.try_key($$SELECT phrbac_require(2, 'event:create')$$);
SELECT phrbac_projects('event:create') AS may_create_in, phrbac_projects('event:view') AS may_view_in;
SELECT pg_temp.try_key($$SELECT phrbac_user_can(3, 1, 'event:view')$$);
SELECT phrbac_project_role(1) AS project_role, phrbac_org_role(1) AS org_role;
COMMIT;

-- Ingestion: the application's role, through the token, inserts events into
-- the token's project and nothing else.
SET ROLE regress_phrbac_ingest;
BEGIN;
SELECT phrbac_authenticate(:'token_1') IS NULL AS no_key_id;
SELECT pg_temp.try_key($$INSERT INTO events VALUES (1, 'signup')$$, true);
SELECT pg_temp.try_key($$INSERT INTO events VALUES (2, 'signup')$$, true);
SELECT pg_temp.try_key($$SELECT * FROM events$$, true);
SELECT pg_temp.try_key($$UPDATE events SET name = 'x'$$, true);
SELECT pg_temp.try_key($$INSERT INTO insights VALUES (3, 1, 'mine')$$, true);
-- the catalog: nothing, even with the table privileges
SELECT pg_temp.try_key($$INSERT INTO phrbac.access_rules (organization_id, project_id, access) VALUES (1, 1, '*:manager')$$);
SELECT pg_temp.try_key($$UPDATE phrbac.project_tokens SET reset_at = now()$$);
SELECT pg_temp.try_key($$UPDATE phrbac.api_keys SET revoked_at = NULL$$);
SELECT pg_temp.try_key($$INSERT INTO phrbac.audit_log (scope, activity) VALUES ('User', 'created')$$);
SELECT pg_temp.try_key($$SELECT phrbac_reset_project_token(1)$$);
SELECT pg_temp.try_key($$SELECT phrbac_create_project_key(1, 'mine')$$);
SELECT pg_temp.try_key($$SELECT phrbac_user_can(3, 1, 'event:view')$$);
COMMIT;
RESET ROLE;
SELECT count(*) AS signups FROM events WHERE name = 'signup';

-- A reset refuses the old token, in a session authenticated with it too.
SELECT phrbac_authenticate(:'token_1', false) IS NULL AS session_authenticated;
SELECT phrbac_can(1, 'event:create') AS before_reset;
BEGIN;
SELECT phrbac_set_user(2);		-- Adam, an organization admin
SELECT phrbac_reset_project_token(1) AS new_token_1 \gset
COMMIT;
SELECT phrbac_can(1, 'event:create') AS after_reset;
SELECT pg_temp.try_key($$SELECT phrbac_require(1, 'event:create')$$);
SELECT phrbac_reset();
SELECT pg_temp.try_key(format('SELECT phrbac_authenticate(%L)', :'token_1'));
SELECT :'new_token_1' <> :'token_1' AS changed, phrbac_project_token(1) = :'new_token_1' AS stored;
BEGIN;
SELECT phrbac_authenticate(:'new_token_1') IS NULL AS new_token_works;
ROLLBACK;

-- Malformed tokens, whatever their prefix.
SELECT pg_temp.try_key($$SELECT phrbac_authenticate('phc_123')$$);
SELECT pg_temp.try_key($$SELECT phrbac_authenticate('phs_' || repeat('G', 64))$$);
SELECT pg_temp.try_key($$SELECT phrbac_authenticate('pht_' || repeat('a', 64))$$);
SELECT pg_temp.try_key($$SELECT phrbac_authenticate('phs_' || repeat('a', 64))$$);
-- a principal string cannot be forged into a project credential
SELECT pg_temp.try_key($$SET phrbac.principal = '0:project-key:1:0:1'$$);
SELECT pg_temp.try_key($$SELECT phrbac_set_user(3, 'project-token')$$);

--
-- Project secret keys
--

-- Project admins create them; members, keys and strangers may not.
BEGIN;
SELECT phrbac_set_user(3);		-- Erin: member of Production, admin of Staging (Engineering's row)
SELECT pg_temp.try_key($$SELECT phrbac_create_project_key(1, 'erin''s')$$);
SELECT pg_temp.try_key($$SELECT phrbac_create_project_key(424242, 'nowhere')$$);
SELECT pg_temp.try_key($$SELECT phrbac_create_project_key(2, '  ')$$);
SELECT pg_temp.try_key($$SELECT phrbac_create_project_key(2, 'none', '{}')$$);
SELECT pg_temp.try_key($$SELECT phrbac_create_project_key(2, 'null', '{NULL}')$$);
SELECT pg_temp.try_key($$SELECT phrbac_create_project_key(2, 'past', '{*}', now() - interval '1 day')$$);
SELECT pg_temp.try_key($$SELECT phrbac_create_project_key(NULL, 'no project')$$);
SELECT count(*) AS no_key_made FROM phrbac.project_keys;
ROLLBACK;
SELECT pg_temp.try_key($$SELECT phrbac_create_project_key(1, 'no principal')$$);

-- Eli makes staging's BI key (Engineering are Staging admins); Adam, an
-- organization admin, makes Production's.
BEGIN;
SELECT phrbac_set_user(4);
SELECT id AS staging_key, secret AS staging_secret
FROM phrbac_create_project_key(2, 'staging BI', '{insight:read,event:write}') \gset
SELECT phrbac_set_user(2);
SELECT id AS bi_key, secret AS bi_secret
FROM phrbac_create_project_key(1, 'BI dashboards', '{insight:read,dashboard:read,query:read}') \gset
SELECT id AS short_key, secret AS short_secret
FROM phrbac_create_project_key(1, 'short lived', '{*}', now() + interval '1 hour') \gset
COMMIT;

-- Only a hash and a mask are stored: the secret is in no column; their ids
-- come from the personal keys' sequence.
SELECT k.label, k.project_id, k.mask_value ~ '^phs_\.\.\.[0-9a-f]{4}$' AS masked,
       k.secure_value = 'sha256$' || encode(sha256(s.secret::bytea), 'hex') AS hashed,
       strpos(k::text, s.secret) = 0 AS secret_absent,
       length(s.secret) AS secret_length, k.scopes, u.email AS created_by
FROM phrbac.project_keys AS k
JOIN (VALUES (:staging_key, :'staging_secret'), (:bi_key, :'bi_secret'),
             (:short_key, :'short_secret')) AS s(id, secret) ON s.id = k.id
JOIN phrbac.users AS u ON u.id = k.created_by
ORDER BY k.id;
SELECT pg_get_expr(d.adbin, d.adrelid) AS project_key_ids FROM pg_attrdef AS d
WHERE d.adrelid = 'phrbac.project_keys'::regclass AND d.adnum = 1;

-- The BI key reads insights, dashboards and queries in Production, and
-- nothing else, nowhere else.
BEGIN;
SELECT phrbac_authenticate(:'bi_secret') = :bi_key AS authenticated;
SELECT phrbac_whoami() - 'api_key_id' - 'api_key_mask' AS whoami,
       phrbac_whoami()->>'api_key_mask' = (SELECT mask_value FROM phrbac.project_keys WHERE id = :bi_key) AS shows_mask;
SELECT * FROM pg_temp.answers(1, '{insight:view,dashboard:view,query:view,insight:edit,event:create,feature_flag:view}');
SELECT * FROM pg_temp.answers(2, '{insight:view}');
SELECT pg_temp.try_key($$SELECT phrbac_require(1, 'insight:view')$$);
SELECT pg_temp.try_key($$SELECT phrbac_require(1, 'insight:edit')$$);
SELECT pg_temp.try_key($$SELECT phrbac_require(2, 'insight:view')$$);
SELECT pg_temp.try_key($$SELECT phrbac_project_role(1)$$);
COMMIT;

-- Through the staging key the application's role reads staging's insights
-- and writes its events, and changes no catalog row.
SET ROLE regress_phrbac_ingest;
BEGIN;
SELECT phrbac_authenticate(:'staging_secret') = :staging_key AS authenticated;
SELECT pg_temp.try_key($$SELECT * FROM insights$$, true);
SELECT pg_temp.try_key($$INSERT INTO events VALUES (2, 'from the staging key')$$, true);
SELECT pg_temp.try_key($$INSERT INTO events VALUES (1, 'into production')$$, true);
SELECT pg_temp.try_key($$UPDATE phrbac.projects SET name = 'mine' WHERE id = 2$$, true);
SELECT pg_temp.try_key($$SELECT phrbac_roll_project_key($$ || :staging_key || $$)$$);
COMMIT;
RESET ROLE;
-- the audit log names the key, with no user
SELECT scope, activity, user_id, api_key_id = :staging_key AS names_the_key
FROM phrbac.audit_log WHERE scope = 'Event' ORDER BY id;

-- Rolling: the old secret stops working, in a session that used it too.
SELECT phrbac_authenticate(:'bi_secret', false) = :bi_key AS session_authenticated;
BEGIN;
SELECT phrbac_set_user(2);
SELECT phrbac_roll_project_key(:bi_key) AS bi_secret_2 \gset
COMMIT;
SELECT phrbac_can(1, 'insight:view') AS after_roll;
SELECT pg_temp.try_key($$SELECT phrbac_require(1, 'insight:view')$$);
SELECT phrbac_reset();
SELECT pg_temp.try_key(format('SELECT phrbac_authenticate(%L)', :'bi_secret'));
BEGIN;
SELECT phrbac_authenticate(:'bi_secret_2') = :bi_key AS rolled_secret_works;
ROLLBACK;

-- The creator offboarded: their key keeps working.
SELECT phrbac_offboard(4, 1) ? 'revoked_keys' AS reported;
SELECT u.is_active, (SELECT count(*) FROM phrbac.organization_members WHERE user_id = 4) AS memberships
FROM phrbac.users AS u WHERE u.id = 4;
BEGIN;
SELECT phrbac_authenticate(:'staging_secret') = :staging_key AS still_authenticates;
SELECT phrbac_can(2, 'insight:view') AS still_reads;
ROLLBACK;

-- Revoking: for project admins; the key stops at once; twice does nothing.
SELECT phrbac_authenticate(:'staging_secret', false) = :staging_key AS session_authenticated;
BEGIN;
SELECT phrbac_set_user(3);
SELECT pg_temp.try_key($$SELECT phrbac_revoke_project_key($$ || :bi_key || $$)$$);
SELECT pg_temp.try_key($$SELECT phrbac_revoke_project_key(424242)$$);
SELECT phrbac_revoke_project_key(:staging_key);
SELECT phrbac_revoke_project_key(:staging_key);
SELECT pg_temp.try_key($$SELECT phrbac_roll_project_key($$ || :staging_key || $$)$$);
COMMIT;
SELECT phrbac_can(2, 'insight:view') AS after_revoke;
SELECT phrbac_reset();
SELECT pg_temp.try_key(format('SELECT phrbac_authenticate(%L)', :'staging_secret'));

-- Through a personal key, project credentials are not managed.
BEGIN;
SELECT phrbac_set_user(2);
SELECT secret AS adam_secret FROM phrbac_create_api_key('adam''s', '{*}') \gset
SELECT phrbac_authenticate(:'adam_secret');
SELECT pg_temp.try_key($$SELECT phrbac_create_project_key(1, 'through a key')$$);
SELECT pg_temp.try_key($$SELECT phrbac_reset_project_token(1)$$);
SELECT phrbac_project_token(1) = :'new_token_1' AS key_reads_the_token;
ROLLBACK;

-- Expiry: an expired key is refused, and the review lists it before then.
SELECT access, detail ~ '^short lived \(phs_\.\.\.[0-9a-f]{4}\) in Production$' AS named, finding, user_id, email
FROM phrbac.access_review WHERE access = 'project_key' ORDER BY access_id, finding;
UPDATE phrbac.project_keys SET created_at = now() - interval '100 days' WHERE id = :short_key;
SELECT finding FROM phrbac.access_review WHERE access = 'project_key' AND access_id = :short_key ORDER BY finding;
UPDATE phrbac.project_keys SET expires_at = now() - interval '1 second' WHERE id = :short_key;
SELECT pg_temp.try_key(format('SELECT phrbac_authenticate(%L)', :'short_secret'));

-- The audit log's rows for the keys, named by label, secrets masked.
SELECT scope, activity, organization_id, detail->>'name' AS name,
       detail::text LIKE '%' || :'new_token_1' || '%' AS shows_token
FROM phrbac.audit_log WHERE scope IN ('ProjectSecretAPIKey', 'ProjectToken')
  AND (scope = 'ProjectSecretAPIKey' OR activity <> 'created')
ORDER BY id;

-- The ten-key limit.
BEGIN;
SELECT phrbac_set_user(1);
SELECT count(*) FROM generate_series(1, 10), phrbac_create_project_key(3, 'key ' || generate_series);
SELECT pg_temp.try_key($$SELECT phrbac_create_project_key(3, 'eleventh')$$);
ROLLBACK;

-- Clean up: the suite's tables and role, and the catalog with the extension.
\set QUIET on
DROP TABLE events, insights;
DROP OWNED BY regress_phrbac_ingest;
DROP ROLE regress_phrbac_ingest;
DROP EXTENSION phrbac;
CREATE EXTENSION phrbac;
\set QUIET off
