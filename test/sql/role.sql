-- phrbac_role: literals, ordering, aggregates, integer casts, arrays, indexes and binary I/O
\set SHOW_CONTEXT never

--------------------------------------------------------------------------
-- Good literals and their canonical output
--------------------------------------------------------------------------

-- Names are case-insensitive; surrounding whitespace is trimmed; PostHog's
-- numbers 0, 1, 8 and 15 name none, member, admin and owner.
SELECT to_json(t.input) AS literal, t.input::phrbac_role AS role
FROM (VALUES ('none'), ('viewer'), ('member'), ('admin'), ('owner'),
             ('NONE'), ('Viewer'), ('mEmBeR'), ('ADMIN'), ('Owner'),
             ('  owner'), (E'admin\t\n'), (E' \r\fviewer' || chr(11) || ' '),
             ('0'), ('1'), ('8'), ('15'), (' 15 ')) AS t(input)
ORDER BY 2, t.input COLLATE "C";

--------------------------------------------------------------------------
-- Bad literals: 22P02 with the literal in the message
--------------------------------------------------------------------------

\set VERBOSITY default
SELECT 'onwer'::phrbac_role;
SELECT 'viewr'::phrbac_role;
SELECT ''::phrbac_role;
\echo :LAST_ERROR_SQLSTATE
SELECT '   '::phrbac_role;
SELECT 'vie wer'::phrbac_role;
SELECT 'superuser'::phrbac_role;
SELECT repeat('x', 300)::phrbac_role;
\echo :LAST_ERROR_SQLSTATE

\set VERBOSITY terse
SELECT 'editor'::phrbac_role;
SELECT 'manager'::phrbac_role;
SELECT 'member,'::phrbac_role;
SELECT 'member admin'::phrbac_role;
SELECT 'ownerx'::phrbac_role;
SELECT '2'::phrbac_role;
SELECT '01'::phrbac_role;
SELECT '+1'::phrbac_role;
SELECT '-1'::phrbac_role;
SELECT '16'::phrbac_role;
SELECT E'member\x01'::phrbac_role;
SELECT 'mémber'::phrbac_role;
SELECT 'é'::phrbac_role;
SELECT ('admin' || repeat(' ', 10) || 'x')::phrbac_role;
-- Over-long: the message shows the first 64 bytes and "..."
SELECT ('owner' || repeat('z', 252))::phrbac_role;
-- ... cut on a character boundary (63 bytes when the 64th splits a character)
SELECT repeat('é', 200)::phrbac_role;
SELECT ('x' || repeat('é', 200))::phrbac_role;
-- 256 bytes of surrounding whitespace are trimmed before the length check
SELECT (repeat(' ', 300) || 'owner' || repeat(' ', 300))::phrbac_role AS trimmed;
\set VERBOSITY default

--------------------------------------------------------------------------
-- Comparison operators over all five levels
--------------------------------------------------------------------------

CREATE TABLE levels (r phrbac_role);
INSERT INTO levels VALUES ('owner'), ('none'), ('admin'), ('viewer'), ('member');

SELECT a.r AS a, b.r AS b,
       a.r = b.r AS eq, a.r <> b.r AS ne, a.r < b.r AS lt,
       a.r <= b.r AS le, a.r > b.r AS gt, a.r >= b.r AS ge
FROM levels a CROSS JOIN levels b
ORDER BY a.r, b.r;

SELECT r FROM levels ORDER BY r;
SELECT r FROM levels ORDER BY r DESC;
SELECT 'viewer'::phrbac_role BETWEEN 'none' AND 'member' AS between_none_member,
       'owner'::phrbac_role > 'admin' AS owner_above_admin,
       '8'::phrbac_role = 'admin' AS eight_is_admin;

--------------------------------------------------------------------------
-- max() and min()
--------------------------------------------------------------------------

SELECT max(r), min(r) FROM levels;
SELECT max(r), min(r) FROM levels WHERE r < 'admin';
SELECT max(r) IS NULL AS max_null, min(r) IS NULL AS min_null FROM levels WHERE false;
SELECT max(r), min(r)
FROM (VALUES (NULL::phrbac_role), ('member'), (NULL)) AS t(r);

-- Per group: the highest level of each user over their memberships
SELECT u, max(r) AS highest, min(r) AS lowest, count(*)
FROM (VALUES ('ann', 'member'::phrbac_role), ('ann', 'owner'),
             ('bob', 'viewer'), ('bob', 'none'), ('cy', 'admin')) AS m(u, r)
GROUP BY u
ORDER BY u;

--------------------------------------------------------------------------
-- Casts to and from integer (PostHog's levels)
--------------------------------------------------------------------------

SELECT i, i::phrbac_role AS role, i::phrbac_role::integer AS back
FROM (VALUES (0), (1), (8), (15)) AS t(i)
ORDER BY i;
SELECT r, r::integer AS level FROM levels WHERE r <> 'viewer' ORDER BY r;

SELECT 'viewer'::phrbac_role::integer;
\echo :LAST_ERROR_SQLSTATE
SELECT 5::phrbac_role;
\echo :LAST_ERROR_SQLSTATE
\set VERBOSITY terse
SELECT 2::phrbac_role;
SELECT (-1)::phrbac_role;
SELECT 16::phrbac_role;
\set VERBOSITY default

--------------------------------------------------------------------------
-- Arrays
--------------------------------------------------------------------------

SELECT '{owner, Viewer, 8, NULL}'::phrbac_role[] AS arr;
SELECT '{member,admin}'::phrbac_role[] = ARRAY['1', 'ADMIN']::phrbac_role[] AS same,
       '{member,admin}'::phrbac_role[] = '{admin,member}'::phrbac_role[] AS reordered;
SELECT array_agg(r ORDER BY r) FROM levels;
SELECT unnest('{owner,none,member}'::phrbac_role[]) AS r ORDER BY 1;
SELECT '{bogus}'::phrbac_role[];

CREATE TABLE memberships (u text, r phrbac_role);
INSERT INTO memberships
SELECT 'user' || (i % 7), (ARRAY['none', 'viewer', 'member', 'admin', 'owner'])[i % 5 + 1]::phrbac_role
FROM generate_series(1, 100) AS i;

SELECT DISTINCT r FROM memberships ORDER BY r;
SELECT r, count(*) FROM memberships GROUP BY r ORDER BY r;
SELECT array_agg(DISTINCT r) FROM memberships;
SET enable_hashagg = off;
SELECT DISTINCT r FROM memberships ORDER BY r;
SELECT r, count(*) FROM memberships GROUP BY r ORDER BY r;
RESET enable_hashagg;

--------------------------------------------------------------------------
-- Indexes: btree (= and ranges) and hash (=)
--------------------------------------------------------------------------

CREATE TABLE members (id integer, b phrbac_role, h phrbac_role);
INSERT INTO members
SELECT i, r, r
FROM (SELECT i, (ARRAY['none', 'viewer', 'member', 'admin', 'owner'])[i % 5 + 1]::phrbac_role AS r
      FROM generate_series(1, 5000) AS i) AS s;
CREATE INDEX members_b ON members USING btree (b);
CREATE INDEX members_h ON members USING hash (h);
ANALYZE members;

SET enable_seqscan = off;
SET enable_bitmapscan = off;
EXPLAIN (COSTS OFF) SELECT count(id) FROM members WHERE b = 'admin';
EXPLAIN (COSTS OFF) SELECT count(id) FROM members WHERE b >= 'admin';
EXPLAIN (COSTS OFF) SELECT count(id) FROM members WHERE b > 'none' AND b < 'owner';
EXPLAIN (COSTS OFF) SELECT count(id) FROM members WHERE h = 'admin';
SELECT count(id), sum(id) FROM members WHERE b = 'admin';
SELECT count(id), sum(id) FROM members WHERE b >= 'admin';
SELECT count(id), sum(id) FROM members WHERE b > 'none' AND b < 'owner';
SELECT count(id), sum(id) FROM members WHERE h = 'admin';
SELECT min(b), max(b) FROM members;
-- The extended hash with seed 0 agrees with the standard hash in its low 32 bits
SELECT r, (phrbac_role_hash_extended(r, 0) & 4294967295) = (phrbac_role_hash(r)::bigint & 4294967295) AS hashes_agree,
       phrbac_role_hash_extended(r, 0) <> phrbac_role_hash_extended(r, 1) AS seed_matters
FROM levels ORDER BY r;
RESET enable_seqscan;
RESET enable_bitmapscan;

-- The same queries by sequential scan give the same answers
SET enable_indexscan = off;
SET enable_bitmapscan = off;
EXPLAIN (COSTS OFF) SELECT count(id) FROM members WHERE b >= 'admin';
SELECT count(id), sum(id) FROM members WHERE b = 'admin';
SELECT count(id), sum(id) FROM members WHERE b >= 'admin';
SELECT count(id), sum(id) FROM members WHERE b > 'none' AND b < 'owner';
SELECT count(id), sum(id) FROM members WHERE h = 'admin';
RESET enable_indexscan;
RESET enable_bitmapscan;

-- Hash and merge joins on phrbac_role
SET enable_nestloop = off;
SET enable_mergejoin = off;
SELECT l.r, count(*) FROM levels l JOIN members m ON m.h = l.r GROUP BY l.r ORDER BY l.r;
SET enable_mergejoin = on;
SET enable_hashjoin = off;
SELECT l.r, count(*) FROM levels l JOIN members m ON m.h = l.r GROUP BY l.r ORDER BY l.r;
RESET enable_nestloop;
RESET enable_mergejoin;
RESET enable_hashjoin;

--------------------------------------------------------------------------
-- Text round trip: every canonical output reads back as an equal value
--------------------------------------------------------------------------

SELECT r, r::text AS text, r::text::phrbac_role = r AS round_trip FROM levels ORDER BY 1;

--------------------------------------------------------------------------
-- Binary COPY round trip, and bad binary values (22P03)
--------------------------------------------------------------------------

\copy (SELECT id, b FROM members WHERE id <= 10 ORDER BY id) to 'results/role.bin' with (format binary)
CREATE TABLE members_copy (id integer, b phrbac_role);
\copy members_copy from 'results/role.bin' with (format binary)
SELECT c.id, c.b, c.b = m.b AS equal
FROM members_copy c JOIN members m USING (id)
ORDER BY c.id;

-- A bytea's binary form is its bytes, so a bytea column can forge a value:
-- a version byte (1) then the rank (0 .. 4).  psql's \copy does not set
-- LAST_ERROR_SQLSTATE, so VERBOSITY sqlstate shows the code of a repeat.
\set SHOW_CONTEXT errors
CREATE TABLE role_forged (r phrbac_role);
\copy (SELECT '\x0104'::bytea) to 'results/role_forged.bin' with (format binary)
\copy role_forged from 'results/role_forged.bin' with (format binary)
SELECT r FROM role_forged;
-- rank 5
\copy (SELECT '\x0105'::bytea) to 'results/role_forged.bin' with (format binary)
\copy role_forged from 'results/role_forged.bin' with (format binary)
\set VERBOSITY sqlstate
\copy role_forged from 'results/role_forged.bin' with (format binary)
\set VERBOSITY default
-- rank 255
\copy (SELECT '\x01ff'::bytea) to 'results/role_forged.bin' with (format binary)
\copy role_forged from 'results/role_forged.bin' with (format binary)
-- format version 2
\copy (SELECT '\x0202'::bytea) to 'results/role_forged.bin' with (format binary)
\copy role_forged from 'results/role_forged.bin' with (format binary)
\set VERBOSITY sqlstate
\copy role_forged from 'results/role_forged.bin' with (format binary)
\set VERBOSITY default
-- too short, too long
\copy (SELECT '\x01'::bytea) to 'results/role_forged.bin' with (format binary)
\copy role_forged from 'results/role_forged.bin' with (format binary)
\copy (SELECT '\x010200'::bytea) to 'results/role_forged.bin' with (format binary)
\copy role_forged from 'results/role_forged.bin' with (format binary)
\set SHOW_CONTEXT never
SELECT r FROM role_forged ORDER BY r;

-- Clean up: the tests share one database
DROP TABLE levels, memberships, members, members_copy, role_forged;
