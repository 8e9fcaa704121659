-- phrbac_grant: grant literals and canonical text, =, @>, <@, ordering, accessors, arrays, indexes and binary I/O
\set SHOW_CONTEXT never

--------------------------------------------------------------------------
-- Good literals and their canonical output
--------------------------------------------------------------------------

-- Levels are named sets of actions; any non-empty set includes view; the
-- output is a level name when the set is one, else actions in the order
-- view, create, edit, delete, manage.  Resources are case-insensitive,
-- object ids keep their case.
SELECT to_json(t.input) AS literal, t.input::phrbac_grant AS "grant"
FROM (VALUES (1, 'feature_flag:none'), (2, 'feature_flag:viewer'), (3, 'feature_flag:view'),
             (4, 'feature_flag:editor'), (5, 'feature_flag:manager'),
             (6, 'feature_flag:view+create+edit'), (7, 'feature_flag:create'),
             (8, 'feature_flag:edit+view+delete+create'), (9, 'feature_flag:manage'),
             (10, 'feature_flag:delete+create+edit+manage'), (11, 'feature_flag:Edit+DELETE'),
             (12, 'FEATURE_FLAG/42:EDITOR'), (13, 'Feature_Flag/42:Viewer'),
             (14, 'insight/AbC-12_x.y~z:viewer'),
             (15, 'dashboard/6F9619FF-8B86-D011-B42D-00C04FC964FF:editor'),
             (16, 'dashboard/6f9619ff-8b86-d011-b42d-00c04fc964ff:view+edit'),
             (17, '*:manager'), (18, '*:viewer'), (19, '*:none'), (20, '*:view+create+edit+delete'),
             (21, E'  notebook/7:view\t'), (22, E'\n session_recording_playlist:create+manage '),
             (23, 'event:viewer'), (24, 'query/0:view')) AS t(n, input)
ORDER BY t.n;

-- All 32 sets of the five actions: 17 canonical values (empty, or with view)
SELECT m AS bits, literal, literal::phrbac_grant AS "grant",
       literal::phrbac_grant::text::phrbac_grant = literal::phrbac_grant AS round_trip
FROM (SELECT m, 'insight:' || coalesce(nullif(array_to_string(ARRAY(
               SELECT (ARRAY['view', 'create', 'edit', 'delete', 'manage'])[k + 1]
               FROM generate_series(0, 4) AS k WHERE m & (1 << k) <> 0 ORDER BY k DESC), '+'), ''), 'none') AS literal
      FROM generate_series(0, 31) AS m) AS t
ORDER BY m;

-- An object id is 1 to 128 characters from [A-Za-z0-9._~-]
SELECT length(phrbac_grant_object(('cohort/' || repeat('a', 128) || ':viewer')::phrbac_grant)) AS longest_object;

--------------------------------------------------------------------------
-- Bad literals: 22P02 with the literal in the message and a hint
--------------------------------------------------------------------------

\set VERBOSITY default
SELECT 'featureflag:viewer'::phrbac_grant;
\echo :LAST_ERROR_SQLSTATE
SELECT 'feature_flag:veiw'::phrbac_grant;
SELECT 'feature_flag:view+craete'::phrbac_grant;
SELECT 'feature_flag:read'::phrbac_grant;
SELECT 'feature_flag:write'::phrbac_grant;
SELECT 'feature_flag:viewer+create'::phrbac_grant;
SELECT 'feature_flag:view+view'::phrbac_grant;
SELECT '*/1:view'::phrbac_grant;
SELECT 'feature_flag/:viewer'::phrbac_grant;
SELECT 'feature_flag/4@2:viewer'::phrbac_grant;
SELECT ''::phrbac_grant;
SELECT 'feature_flag/42'::phrbac_grant;
SELECT 'feature_flag:view++edit'::phrbac_grant;
SELECT repeat('feature_flag', 30)::phrbac_grant;
SELECT ('cohort/' || repeat('a', 129) || ':viewer')::phrbac_grant;

\set VERBOSITY terse
SELECT '   '::phrbac_grant;
SELECT 'feature_flag :viewer'::phrbac_grant;
SELECT 'feature_flag: viewer'::phrbac_grant;
SELECT 'feature_flag:view + create'::phrbac_grant;
SELECT 'feature flag:viewer'::phrbac_grant;
SELECT 'nonsense:viewer'::phrbac_grant;
SELECT 'feature_flag:admin'::phrbac_grant;
SELECT 'feature_flag:owner'::phrbac_grant;
SELECT 'feature_flag:publish'::phrbac_grant;
SELECT 'feature_flag:view+read'::phrbac_grant;
SELECT 'feature_flag:none+view'::phrbac_grant;
SELECT 'feature_flag:editor+manage'::phrbac_grant;
SELECT 'feature_flag:create+create'::phrbac_grant;
SELECT 'feature_flag'::phrbac_grant;
SELECT 'feature_flag:'::phrbac_grant;
SELECT ':viewer'::phrbac_grant;
SELECT '/42:viewer'::phrbac_grant;
SELECT '*/:viewer'::phrbac_grant;
SELECT 'feature_flag//42:viewer'::phrbac_grant;
SELECT 'feature_flag/42/7:viewer'::phrbac_grant;
SELECT 'feature_flag::viewer'::phrbac_grant;
SELECT 'feature_flag:+view'::phrbac_grant;
SELECT 'feature_flag:view+'::phrbac_grant;
SELECT 'feature_flag:+'::phrbac_grant;
SELECT 'feature_flag:viewer:'::phrbac_grant;
SELECT 'feature_flag:viewer:editor'::phrbac_grant;
SELECT 'feature_flag:viewerx'::phrbac_grant;
SELECT 'feature_flag:viewer;'::phrbac_grant;
SELECT 'feature_flag/{42}:viewer'::phrbac_grant;
SELECT 'feature_flag/42!:viewer'::phrbac_grant;
SELECT E'feature_flag:viewer\x01'::phrbac_grant;
SELECT 'feature_flag/é:viewer'::phrbac_grant;
SELECT 'é'::phrbac_grant;
SELECT ('feature_flag:viewer' || repeat(' ', 5) || 'x')::phrbac_grant;
SELECT ('feature_flag/' || repeat('9', 300) || ':viewer')::phrbac_grant;
\set VERBOSITY default

--------------------------------------------------------------------------
-- Accessors
--------------------------------------------------------------------------

SELECT g, phrbac_grant_resource(g) AS resource, phrbac_grant_object(g) AS object,
       phrbac_grant_object(g) IS NULL AS no_object, phrbac_grant_actions(g) AS actions
FROM (VALUES (1, 'feature_flag:none'::phrbac_grant), (2, 'feature_flag:viewer'),
             (3, 'feature_flag/42:editor'), (4, 'insight/AbC-12:manage+create'),
             (5, '*:manager'), (6, '*:none'), (7, 'feature_flag:delete')) AS t(n, g)
ORDER BY t.n;
SELECT phrbac_grant_actions('feature_flag:none') = '{}'::text[] AS none_is_empty,
       phrbac_grant_resource(NULL) IS NULL AS strict;

--------------------------------------------------------------------------
-- =, <>, @> and <@
--------------------------------------------------------------------------

-- Equality is canonical: spellings of one set of actions are equal
SELECT 'feature_flag/42:editor'::phrbac_grant = 'Feature_Flag/42:delete+edit+create+view' AS same_editor,
       'feature_flag:create'::phrbac_grant = 'feature_flag:view+create' AS create_implies_view,
       'feature_flag:view'::phrbac_grant = 'feature_flag:viewer' AS view_is_viewer,
       'feature_flag/abc:viewer'::phrbac_grant = 'feature_flag/ABC:viewer' AS object_case,
       'feature_flag:viewer'::phrbac_grant <> 'feature_flag/1:viewer' AS object_differs,
       '*:viewer'::phrbac_grant <> 'feature_flag:viewer' AS star_differs;

-- left @> right: same resource or left is *; left has no object or the same
-- one; left's actions include right's.  <@ is the same test reversed.
SELECT a, b, a @> b AS covers, b <@ a AS covered_by, a <@ b AS reverse, a = b AS equal
FROM (VALUES
  (1, '*:manager'::phrbac_grant, 'feature_flag/42:editor'::phrbac_grant),
  (2, '*:viewer', 'feature_flag:viewer'),
  (3, '*:viewer', 'feature_flag:editor'),
  (4, '*:manager', '*:editor'),
  (5, 'feature_flag:editor', '*:viewer'),
  (6, 'feature_flag:editor', 'feature_flag/42:editor'),
  (7, 'feature_flag/42:editor', 'feature_flag:editor'),
  (8, 'feature_flag/42:editor', 'feature_flag/43:viewer'),
  (9, 'feature_flag/42:editor', 'feature_flag/42:view+create+edit'),
  (10, 'feature_flag/42:view+create+edit', 'feature_flag/42:editor'),
  (11, 'feature_flag:view+create+edit', 'feature_flag:view+delete'),
  (12, 'feature_flag:manager', 'feature_flag:manage'),
  (13, 'feature_flag:editor', 'feature_flag:manage'),
  (14, 'feature_flag:editor', 'insight:viewer'),
  (15, 'feature_flag:viewer', 'feature_flag:none'),
  (16, 'feature_flag:none', 'feature_flag:viewer'),
  (17, 'feature_flag:none', 'feature_flag:none'),
  (18, 'feature_flag/abc:viewer', 'feature_flag/ABC:viewer'),
  (19, 'feature_flag/4:viewer', 'feature_flag/42:viewer'),
  (20, 'feature_flag/42:editor', 'FEATURE_FLAG/42:edit+delete+create')) AS t(n, a, b)
ORDER BY t.n;

--------------------------------------------------------------------------
-- Ordering: resource (* first, then by name), object (none first), actions
--------------------------------------------------------------------------

CREATE TABLE grants (g phrbac_grant);
INSERT INTO grants VALUES
  ('insight:viewer'), ('feature_flag/42:editor'), ('*:manager'), ('feature_flag:viewer'),
  ('feature_flag/5:viewer'), ('feature_flag:none'), ('feature_flag:view+create+edit'),
  ('feature_flag/42:viewer'), ('*:viewer'), ('feature_flag:manager'), ('feature_flag:manage'),
  ('dashboard/B:editor'), ('dashboard/a:editor'), ('dashboard/A:editor'),
  ('feature_flag/420:viewer'), ('event:viewer');
SELECT g FROM grants ORDER BY g;
SELECT count(*) FILTER (WHERE g < 'feature_flag:none') AS lt,
       count(*) FILTER (WHERE g <= 'feature_flag:none') AS le,
       count(*) FILTER (WHERE g > 'feature_flag/42:viewer') AS gt,
       count(*) FILTER (WHERE g >= 'FEATURE_FLAG/42:VIEW') AS ge
FROM grants;

--------------------------------------------------------------------------
-- Arrays: literals, array_agg, unnest, =, DISTINCT, GROUP BY
--------------------------------------------------------------------------

SELECT '{"feature_flag/42:view+create+edit+delete", *:MANAGER, insight:view, NULL}'::phrbac_grant[] AS arr;
SELECT '{feature_flag:create}'::phrbac_grant[] = ARRAY['feature_flag:view+create']::phrbac_grant[] AS same,
       '{feature_flag:create}'::phrbac_grant[] = '{feature_flag:edit}'::phrbac_grant[] AS differs;
SELECT array_agg(g ORDER BY g) FROM grants WHERE phrbac_grant_resource(g) = 'dashboard';
SELECT unnest('{insight:viewer,*:manager,feature_flag/1:edit}'::phrbac_grant[]) AS g ORDER BY 1;
SELECT '{feature_flag:viewer,feature_flag:read}'::phrbac_grant[];

-- Five spellings of each of three grants group as three values
CREATE TABLE spellings (g phrbac_grant);
INSERT INTO spellings
SELECT (ARRAY['feature_flag/42:editor', 'FEATURE_FLAG/42:view+create+edit+delete',
              'feature_flag/42:delete+edit+create', ' Feature_Flag/42:create+delete+edit+view ',
              'feature_flag/42:edit+create+delete',
              '*:manager', '*:view+create+edit+delete+manage', '*:manage+delete+edit+create',
              '*:MANAGER', '*:manage+view+create+edit+delete',
              'insight:view', 'insight:viewer', 'INSIGHT:VIEW', ' insight:Viewer', 'Insight:view '])[i % 15 + 1]::phrbac_grant
FROM generate_series(1, 150) AS i;
SELECT DISTINCT g FROM spellings ORDER BY g;
SELECT g, count(*) FROM spellings GROUP BY g ORDER BY g;
SELECT array_agg(DISTINCT g) FROM spellings;
SET enable_hashagg = off;
SELECT DISTINCT g FROM spellings ORDER BY g;
SELECT g, count(*) FROM spellings GROUP BY g ORDER BY g;
RESET enable_hashagg;

--------------------------------------------------------------------------
-- Indexes: btree and hash; a UNIQUE index compares canonically
--------------------------------------------------------------------------

CREATE TABLE grant_index (id integer, b phrbac_grant, h phrbac_grant);
INSERT INTO grant_index
SELECT i, g, g
FROM (SELECT i, ((ARRAY['feature_flag', 'insight', 'dashboard', 'cohort'])[i % 4 + 1]
                 || '/' || (i % 250) || ':'
                 || (ARRAY['none', 'viewer', 'editor', 'manager', 'view+create+edit'])[i / 1000 % 5 + 1])::phrbac_grant AS g
      FROM generate_series(1, 5000) AS i) AS s;
CREATE INDEX grant_index_b ON grant_index USING btree (b);
CREATE INDEX grant_index_h ON grant_index USING hash (h);
ANALYZE grant_index;

SET enable_seqscan = off;
SET enable_bitmapscan = off;
EXPLAIN (COSTS OFF) SELECT count(id) FROM grant_index WHERE b = 'feature_flag/42:view+create+edit';
EXPLAIN (COSTS OFF) SELECT count(id) FROM grant_index WHERE b >= 'dashboard:none' AND b < 'feature_flag:none';
EXPLAIN (COSTS OFF) SELECT count(id) FROM grant_index WHERE h = 'feature_flag/42:view+create+edit';
SELECT count(id), sum(id) FROM grant_index WHERE b = 'FEATURE_FLAG/42:edit+create';
SELECT count(id), sum(id) FROM grant_index WHERE b >= 'dashboard:none' AND b < 'feature_flag:none';
SELECT count(id), sum(id) FROM grant_index WHERE h = 'FEATURE_FLAG/42:edit+create';
RESET enable_seqscan;
RESET enable_bitmapscan;
-- The extended hash with seed 0 agrees with the standard hash in its low 32 bits
SELECT count(*) AS grants,
       count(*) FILTER (WHERE (phrbac_grant_hash_extended(b, 0) & 4294967295)
                              = (phrbac_grant_hash(b)::bigint & 4294967295)) AS hashes_agree,
       count(DISTINCT phrbac_grant_hash(b)) AS distinct_hashes, count(DISTINCT b) AS distinct_grants
FROM grant_index;

SET enable_indexscan = off;
SET enable_bitmapscan = off;
EXPLAIN (COSTS OFF) SELECT count(id) FROM grant_index WHERE b = 'feature_flag/42:view+create+edit';
SELECT count(id), sum(id) FROM grant_index WHERE b = 'FEATURE_FLAG/42:edit+create';
SELECT count(id), sum(id) FROM grant_index WHERE b >= 'dashboard:none' AND b < 'feature_flag:none';
SELECT count(id), sum(id) FROM grant_index WHERE h = 'FEATURE_FLAG/42:edit+create';
RESET enable_indexscan;
RESET enable_bitmapscan;

CREATE TABLE access_grants (g phrbac_grant, note text);
CREATE UNIQUE INDEX access_grants_g ON access_grants (g);
INSERT INTO access_grants VALUES ('feature_flag/42:editor', 'first');
INSERT INTO access_grants VALUES ('feature_flag/42:view+create+edit+delete', 'same grant');
\echo :LAST_ERROR_SQLSTATE
INSERT INTO access_grants VALUES ('feature_flag/42:view+create+edit', 'no delete'),
  ('feature_flag/43:editor', 'another flag'), ('feature_flag:editor', 'every flag');
SELECT g, note FROM access_grants ORDER BY g;

--------------------------------------------------------------------------
-- Text round trip: every canonical output reads back as an equal value
--------------------------------------------------------------------------

SELECT count(*) AS grants,
       count(*) FILTER (WHERE g::text::phrbac_grant = g) AS round_trips,
       count(*) FILTER (WHERE g::text::phrbac_grant::text = g::text) AS stable_text
FROM (SELECT g FROM grants UNION ALL SELECT g FROM spellings
      UNION ALL SELECT b FROM grant_index UNION ALL SELECT g FROM access_grants) AS t;

--------------------------------------------------------------------------
-- Binary COPY round trip, and bad binary values (22P03)
--------------------------------------------------------------------------

\copy (SELECT g FROM grants ORDER BY g) to 'results/grant.bin' with (format binary)
CREATE TABLE grants_copy (g phrbac_grant);
\copy grants_copy from 'results/grant.bin' with (format binary)
SELECT c.g, c.g IN (SELECT g FROM grants) AS equal FROM grants_copy c ORDER BY c.g;
\copy (SELECT array_agg(g ORDER BY g) FROM grants) to 'results/grant_array.bin' with (format binary)
CREATE TABLE grant_arrays_copy (a phrbac_grant[]);
\copy grant_arrays_copy from 'results/grant_array.bin' with (format binary)
SELECT a = (SELECT array_agg(g ORDER BY g) FROM grants) AS equal FROM grant_arrays_copy;

-- Forged through a bytea column: version byte, resource name with its NUL,
-- action set byte (view 1, create 2, edit 4, delete 8, manage 16), object
-- id with its NUL ("" for none).
\set SHOW_CONTEXT errors
CREATE TABLE grant_forged (g phrbac_grant);
CREATE FUNCTION grant_forge(resource text, actions integer, object text, version integer DEFAULT 1)
RETURNS bytea LANGUAGE sql AS $$
  SELECT set_byte('\x00'::bytea, 0, version) || convert_to(resource, 'UTF8')
         || set_byte('\x0000'::bytea, 1, actions) || convert_to(object, 'UTF8') || '\x00'::bytea
$$;
\copy (SELECT grant_forge('feature_flag', 15, '42')) to 'results/grant_forged.bin' with (format binary)
\copy grant_forged from 'results/grant_forged.bin' with (format binary)
\copy (SELECT grant_forge('*', 31, '')) to 'results/grant_forged.bin' with (format binary)
\copy grant_forged from 'results/grant_forged.bin' with (format binary)
\copy (SELECT grant_forge('INSIGHT', 3, 'AbC')) to 'results/grant_forged.bin' with (format binary)
\copy grant_forged from 'results/grant_forged.bin' with (format binary)
SELECT g FROM grant_forged ORDER BY g;
-- create without view
\copy (SELECT grant_forge('feature_flag', 2, '')) to 'results/grant_forged.bin' with (format binary)
\copy grant_forged from 'results/grant_forged.bin' with (format binary)
\set VERBOSITY sqlstate
\copy grant_forged from 'results/grant_forged.bin' with (format binary)
\set VERBOSITY default
-- a sixth action bit
\copy (SELECT grant_forge('feature_flag', 33, '')) to 'results/grant_forged.bin' with (format binary)
\copy grant_forged from 'results/grant_forged.bin' with (format binary)
\copy (SELECT grant_forge('featureflag', 1, '')) to 'results/grant_forged.bin' with (format binary)
\copy grant_forged from 'results/grant_forged.bin' with (format binary)
\copy (SELECT grant_forge('*', 1, '42')) to 'results/grant_forged.bin' with (format binary)
\copy grant_forged from 'results/grant_forged.bin' with (format binary)
\copy (SELECT grant_forge('feature_flag', 1, '4 2')) to 'results/grant_forged.bin' with (format binary)
\copy grant_forged from 'results/grant_forged.bin' with (format binary)
\copy (SELECT grant_forge('feature_flag', 1, repeat('x', 129))) to 'results/grant_forged.bin' with (format binary)
\copy grant_forged from 'results/grant_forged.bin' with (format binary)
\copy (SELECT grant_forge('feature_flag', 1, '', 0)) to 'results/grant_forged.bin' with (format binary)
\copy grant_forged from 'results/grant_forged.bin' with (format binary)
\set SHOW_CONTEXT never
SELECT g FROM grant_forged ORDER BY g;

-- Clean up: the tests share one database
DROP TABLE grants, spellings, grant_index, access_grants, grants_copy, grant_arrays_copy,
  grant_forged;
DROP FUNCTION grant_forge(text, integer, text, integer);
