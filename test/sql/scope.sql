-- phrbac_scope: API key scope literals, ordering, @> over scope arrays, phrbac_scopes_allow, indexes and binary I/O
\set SHOW_CONTEXT never

--------------------------------------------------------------------------
-- Good literals and their canonical output
--------------------------------------------------------------------------

SELECT to_json(t.input) AS literal, t.input::phrbac_scope AS scope
FROM (VALUES ('*'), ('  *  '), ('feature_flag:read'), ('feature_flag:write'),
             ('FEATURE_FLAG:READ'), ('Feature_Flag:Write'), (E'\t event:read\n'),
             ('insight:read'), ('dashboard:read'), ('query:read'),
             ('session_recording_playlist:write'), ('organization:read'),
             ('access_control:write'), ('webhook:read')) AS t(input)
ORDER BY 2, t.input COLLATE "C";

-- Every built-in resource takes read and write; each output reads back equal
CREATE TABLE resources (name text);
INSERT INTO resources VALUES
  ('action'), ('access_control'), ('activity_log'), ('annotation'), ('batch_export'),
  ('batch_import'), ('cohort'), ('dashboard'), ('dashboard_template'),
  ('early_access_feature'), ('error_tracking'), ('event'), ('event_definition'),
  ('experiment'), ('export'), ('feature_flag'), ('file_system'), ('group'),
  ('hog_function'), ('insight'), ('link'), ('logs'), ('notebook'), ('organization'),
  ('organization_member'), ('person'), ('plugin'), ('project'), ('property_definition'),
  ('query'), ('session_recording'), ('session_recording_playlist'),
  ('sharing_configuration'), ('subscription'), ('survey'), ('user'),
  ('warehouse_table'), ('warehouse_view'), ('webhook');

SELECT r.s AS read, w.s AS write,
       r.s::text::phrbac_scope = r.s AND w.s::text::phrbac_scope = w.s AS round_trip,
       r.s < w.s AS read_before_write
FROM resources,
     LATERAL (SELECT (name || ':read')::phrbac_scope AS s) AS r,
     LATERAL (SELECT (upper(name) || ':WRITE')::phrbac_scope AS s) AS w
ORDER BY r.s;
SELECT '*'::phrbac_scope::text::phrbac_scope = '*' AS star_round_trip;

--------------------------------------------------------------------------
-- Bad literals: 22P02 with the literal in the message and a hint
--------------------------------------------------------------------------

\set VERBOSITY default
SELECT 'featureflag:read'::phrbac_scope;
\echo :LAST_ERROR_SQLSTATE
SELECT 'feature_flag:raed'::phrbac_scope;
SELECT 'feature_flag:view'::phrbac_scope;
SELECT 'feature_flag:editor'::phrbac_scope;
SELECT 'evnt:read'::phrbac_scope;
SELECT '*:read'::phrbac_scope;
SELECT 'feature_flag/1:read'::phrbac_scope;
SELECT ''::phrbac_scope;
SELECT 'feature_flag'::phrbac_scope;
SELECT 'feature_flag::read'::phrbac_scope;
SELECT 'feature_flag: read'::phrbac_scope;
SELECT repeat('feature_flag', 30)::phrbac_scope;

\set VERBOSITY terse
SELECT '   '::phrbac_scope;
SELECT 'feature flag:read'::phrbac_scope;
SELECT 'feature_flag :read'::phrbac_scope;
SELECT 'nonsense:read'::phrbac_scope;
SELECT 'feature_flag:delete'::phrbac_scope;
SELECT 'feature_flag:manager'::phrbac_scope;
SELECT 'feature_flag:viewer'::phrbac_scope;
SELECT 'feature_flag:none'::phrbac_scope;
SELECT 'feature_flag:admin'::phrbac_scope;
SELECT 'feature_flag:read+write'::phrbac_scope;
SELECT ':read'::phrbac_scope;
SELECT 'feature_flag:'::phrbac_scope;
SELECT ':'::phrbac_scope;
SELECT 'feature_flag:read:'::phrbac_scope;
SELECT 'feature_flag:read:write'::phrbac_scope;
SELECT 'feature_flag:readx'::phrbac_scope;
SELECT 'feature_flag:read;'::phrbac_scope;
SELECT '*:write'::phrbac_scope;
SELECT '*:'::phrbac_scope;
SELECT '**'::phrbac_scope;
SELECT '*/1:view'::phrbac_scope;
SELECT 'feature_flag/:read'::phrbac_scope;
SELECT E'feature_flag:read\x01'::phrbac_scope;
SELECT 'feature_flag:réad'::phrbac_scope;
SELECT 'é'::phrbac_scope;
SELECT ('feature_flag:read' || repeat(' ', 5) || 'x')::phrbac_scope;
SELECT ('event:' || repeat('r', 251))::phrbac_scope;
\set VERBOSITY default

--------------------------------------------------------------------------
-- Equality and ordering: "*" first, then by resource name, read before write
--------------------------------------------------------------------------

CREATE TABLE scopes (s phrbac_scope);
INSERT INTO scopes VALUES ('feature_flag:write'), ('insight:read'), ('*'),
  ('event:read'), ('feature_flag:read'), ('dashboard:read'), ('event:write');
SELECT s FROM scopes ORDER BY s;
SELECT s FROM scopes ORDER BY s DESC;
SELECT 'feature_flag:read'::phrbac_scope = 'FEATURE_FLAG:read' AS eq,
       'feature_flag:read'::phrbac_scope <> 'feature_flag:write' AS ne,
       'feature_flag:read'::phrbac_scope < 'feature_flag:write' AS lt,
       '*'::phrbac_scope < 'action:read' AS star_first,
       'event:write'::phrbac_scope < 'event_definition:read' AS by_name,
       'insight:read'::phrbac_scope >= 'insight:read' AS ge,
       'query:read'::phrbac_scope > 'person:write' AS gt,
       'query:read'::phrbac_scope <= 'query:write' AS le;

--------------------------------------------------------------------------
-- phrbac_scope[] @> phrbac_scope: write implies read, * allows everything
--------------------------------------------------------------------------

SELECT ARRAY['feature_flag:write']::phrbac_scope[] @> 'feature_flag:read' AS write_allows_read,
       ARRAY['feature_flag:read']::phrbac_scope[] @> 'feature_flag:write' AS read_allows_write,
       ARRAY['feature_flag:read']::phrbac_scope[] @> 'feature_flag:read' AS read_allows_read,
       ARRAY['feature_flag:write']::phrbac_scope[] @> 'insight:read' AS other_resource,
       '{*}'::phrbac_scope[] @> 'session_recording:write' AS star_allows_write,
       '{*}'::phrbac_scope[] @> '*' AS star_allows_star,
       '{feature_flag:write,insight:write}'::phrbac_scope[] @> '*' AS only_star_allows_star;
SELECT ARRAY[NULL, 'event:read']::phrbac_scope[] @> 'event:read' AS nulls_ignored,
       ARRAY[NULL]::phrbac_scope[] @> 'event:read' AS only_null,
       '{}'::phrbac_scope[] @> 'event:read' AS empty,
       '{event:read}'::phrbac_scope[] @> NULL::phrbac_scope AS null_scope,
       '{{event:read},{query:read}}'::phrbac_scope[] @> 'query:read' AS two_dimensions;

--------------------------------------------------------------------------
-- phrbac_scopes_allow(scopes, resource, action)
--------------------------------------------------------------------------

-- view needs read; create, edit, delete and manage need write
CREATE TABLE api_keys (label text, scopes phrbac_scope[]);
INSERT INTO api_keys VALUES
  ('bi', '{insight:read,dashboard:read,query:read}'),
  ('flag-service', '{feature_flag:read,feature_flag:write}'),
  ('flag-writer', '{feature_flag:write}'),
  ('events', '{event:read}'),
  ('all', '{*}'),
  ('nothing', '{}');
SELECT k.label, r.resource,
       phrbac_scopes_allow(k.scopes, r.resource, 'view') AS view,
       phrbac_scopes_allow(k.scopes, r.resource, 'create') AS "create",
       phrbac_scopes_allow(k.scopes, r.resource, 'edit') AS edit,
       phrbac_scopes_allow(k.scopes, r.resource, 'delete') AS "delete",
       phrbac_scopes_allow(k.scopes, r.resource, 'manage') AS manage,
       phrbac_scopes_allow(k.scopes, r.resource, 'read') AS read,
       phrbac_scopes_allow(k.scopes, r.resource, 'write') AS write
FROM api_keys k
CROSS JOIN (VALUES ('insight'), ('dashboard'), ('query'), ('feature_flag'), ('event')) AS r(resource)
ORDER BY k.label COLLATE "C", r.resource COLLATE "C";

-- Resource and action arguments are case-insensitive; NULLs give NULL
SELECT phrbac_scopes_allow('{feature_flag:write}', 'Feature_Flag', 'DELETE') AS mixed_case,
       phrbac_scopes_allow(NULL, 'feature_flag', 'view') IS NULL AS null_scopes,
       phrbac_scopes_allow('{*}', NULL, 'view') IS NULL AS null_resource,
       phrbac_scopes_allow('{*}', 'event', NULL) IS NULL AS null_action;

-- Unknown resources and actions: 22P02 with a hint
SELECT phrbac_scopes_allow('{*}', 'featureflag', 'view');
\echo :LAST_ERROR_SQLSTATE
SELECT phrbac_scopes_allow('{*}', 'feature_flag', 'veiw');
\echo :LAST_ERROR_SQLSTATE
SELECT phrbac_scopes_allow('{*}', 'feature_flag', 'writ');
SELECT phrbac_scopes_allow('{*}', 'feature_flag', 'publish');
\set VERBOSITY terse
SELECT phrbac_scopes_allow('{*}', '', 'view');
SELECT phrbac_scopes_allow('{*}', 'feature_flag', '');
SELECT phrbac_scopes_allow('{*}', 'feature_flag:read', 'view');
SELECT phrbac_scopes_allow('{*}', 'feature_flag', 'editor');
SELECT phrbac_scopes_allow('{*}', 'nonsense', 'nonsense');
\set VERBOSITY default

--------------------------------------------------------------------------
-- Arrays: literals, array_agg, unnest, =, DISTINCT, GROUP BY
--------------------------------------------------------------------------

SELECT '{ feature_flag:READ , *, "event:write", NULL}'::phrbac_scope[] AS arr;
SELECT '{feature_flag:read,query:read}'::phrbac_scope[] = ARRAY['FEATURE_FLAG:read', 'query:read']::phrbac_scope[] AS same,
       '{feature_flag:read}'::phrbac_scope[] = '{feature_flag:write}'::phrbac_scope[] AS differs;
SELECT array_agg(s ORDER BY s) FROM scopes;
SELECT unnest(scopes) AS s FROM api_keys WHERE label = 'bi' ORDER BY 1;
SELECT '{feature_flag:read,featureflag:write}'::phrbac_scope[];

CREATE TABLE key_scopes (key_id integer, s phrbac_scope);
INSERT INTO key_scopes
SELECT i, (ARRAY['*', 'feature_flag:read', 'feature_flag:write', 'insight:read', 'event:read'])[i % 5 + 1]::phrbac_scope
FROM generate_series(1, 100) AS i;
SELECT DISTINCT s FROM key_scopes ORDER BY s;
SELECT s, count(*) FROM key_scopes GROUP BY s ORDER BY s;
SELECT count(DISTINCT s) FROM key_scopes;
SET enable_hashagg = off;
SELECT DISTINCT s FROM key_scopes ORDER BY s;
SELECT s, count(*) FROM key_scopes GROUP BY s ORDER BY s;
RESET enable_hashagg;
SELECT key_id % 2 AS parity, array_agg(DISTINCT s) FROM key_scopes GROUP BY 1 ORDER BY 1;

--------------------------------------------------------------------------
-- Indexes: btree and hash
--------------------------------------------------------------------------

CREATE TABLE key_scope_index (id integer, b phrbac_scope, h phrbac_scope);
INSERT INTO key_scope_index
SELECT i, s, s
FROM (SELECT i, (r.name || (CASE WHEN i % 2 = 0 THEN ':read' ELSE ':write' END))::phrbac_scope AS s
      FROM generate_series(1, 4000) AS i
      JOIN (SELECT name, row_number() OVER (ORDER BY name) - 1 AS n FROM resources) AS r
        ON r.n = i % 39) AS g;
CREATE INDEX key_scope_index_b ON key_scope_index USING btree (b);
CREATE INDEX key_scope_index_h ON key_scope_index USING hash (h);
ANALYZE key_scope_index;

SET enable_seqscan = off;
SET enable_bitmapscan = off;
EXPLAIN (COSTS OFF) SELECT count(id) FROM key_scope_index WHERE b = 'feature_flag:read';
EXPLAIN (COSTS OFF) SELECT count(id) FROM key_scope_index WHERE b < 'batch_export:read';
EXPLAIN (COSTS OFF) SELECT count(id) FROM key_scope_index WHERE h = 'feature_flag:read';
SELECT count(id), sum(id) FROM key_scope_index WHERE b = 'feature_flag:read';
SELECT count(id), sum(id) FROM key_scope_index WHERE b < 'batch_export:read';
SELECT count(id), sum(id) FROM key_scope_index WHERE h = 'feature_flag:read';
RESET enable_seqscan;
RESET enable_bitmapscan;
-- The extended hash with seed 0 agrees with the standard hash in its low 32 bits
SELECT s, (phrbac_scope_hash_extended(s, 0) & 4294967295) = (phrbac_scope_hash(s)::bigint & 4294967295) AS hashes_agree,
       phrbac_scope_hash_extended(s, 0) <> phrbac_scope_hash_extended(s, 1) AS seed_matters
FROM scopes ORDER BY s;

SET enable_indexscan = off;
SET enable_bitmapscan = off;
EXPLAIN (COSTS OFF) SELECT count(id) FROM key_scope_index WHERE h = 'feature_flag:read';
SELECT count(id), sum(id) FROM key_scope_index WHERE b = 'feature_flag:read';
SELECT count(id), sum(id) FROM key_scope_index WHERE b < 'batch_export:read';
SELECT count(id), sum(id) FROM key_scope_index WHERE h = 'feature_flag:read';
RESET enable_indexscan;
RESET enable_bitmapscan;

--------------------------------------------------------------------------
-- Binary COPY round trip, and bad binary values (22P03)
--------------------------------------------------------------------------

\copy (SELECT s FROM scopes ORDER BY s) to 'results/scope.bin' with (format binary)
CREATE TABLE scopes_copy (s phrbac_scope);
\copy scopes_copy from 'results/scope.bin' with (format binary)
SELECT s FROM scopes_copy ORDER BY s;
SELECT count(*) AS copied, count(*) FILTER (WHERE s IN (SELECT s FROM scopes)) AS equal
FROM scopes_copy;
\copy (SELECT ARRAY(SELECT s FROM scopes ORDER BY s)) to 'results/scope_array.bin' with (format binary)
CREATE TABLE scope_arrays_copy (a phrbac_scope[]);
\copy scope_arrays_copy from 'results/scope_array.bin' with (format binary)
SELECT a, a = ARRAY(SELECT s FROM scopes ORDER BY s) AS equal FROM scope_arrays_copy;

-- Forged through a bytea column: version byte, resource name with its NUL,
-- access byte (read 1, write 2).
\set SHOW_CONTEXT errors
CREATE TABLE scope_forged (s phrbac_scope);
CREATE FUNCTION scope_forge(resource text, access integer, version integer DEFAULT 1) RETURNS bytea
LANGUAGE sql AS $$
  SELECT set_byte('\x00'::bytea, 0, version) || convert_to(resource, 'UTF8')
         || set_byte('\x0000'::bytea, 1, access)
$$;
\copy (SELECT scope_forge('FEATURE_FLAG', 1)) to 'results/scope_forged.bin' with (format binary)
\copy scope_forged from 'results/scope_forged.bin' with (format binary)
\copy (SELECT scope_forge('*', 2)) to 'results/scope_forged.bin' with (format binary)
\copy scope_forged from 'results/scope_forged.bin' with (format binary)
SELECT s FROM scope_forged ORDER BY s;
\copy (SELECT scope_forge('featureflag', 1)) to 'results/scope_forged.bin' with (format binary)
\copy scope_forged from 'results/scope_forged.bin' with (format binary)
\set VERBOSITY sqlstate
\copy scope_forged from 'results/scope_forged.bin' with (format binary)
\set VERBOSITY default
\copy (SELECT scope_forge('feature_flag', 3)) to 'results/scope_forged.bin' with (format binary)
\copy scope_forged from 'results/scope_forged.bin' with (format binary)
\copy (SELECT scope_forge('feature_flag', 0)) to 'results/scope_forged.bin' with (format binary)
\copy scope_forged from 'results/scope_forged.bin' with (format binary)
\copy (SELECT scope_forge('*', 1)) to 'results/scope_forged.bin' with (format binary)
\copy scope_forged from 'results/scope_forged.bin' with (format binary)
\copy (SELECT scope_forge('', 1)) to 'results/scope_forged.bin' with (format binary)
\copy scope_forged from 'results/scope_forged.bin' with (format binary)
\copy (SELECT scope_forge('feature_flag', 1, 2)) to 'results/scope_forged.bin' with (format binary)
\copy scope_forged from 'results/scope_forged.bin' with (format binary)
\set SHOW_CONTEXT never
SELECT s FROM scope_forged ORDER BY s;

-- Clean up: the tests share one database
DROP TABLE resources, scopes, api_keys, key_scopes, key_scope_index, scopes_copy,
  scope_arrays_copy, scope_forged;
DROP FUNCTION scope_forge(text, integer, integer);
