/*
 * phrbac.sql: the install script of phrbac (built into phrbac--<version>.sql).
 *
 * Types, operators and functions live in pg_catalog, as pg_cron's do: no
 * search_path can shadow them, so an application's unqualified
 * phrbac_can(...) always reaches phrbac.  Every name below is
 * schema-qualified.
 *
 * Functions marked LEAKPROOF raise no error for any stored value and reveal
 * nothing but their result, so the planner may push them below the
 * row-level-security quals that phrbac writes.
 */

\echo Use "CREATE EXTENSION phrbac" to load this file. \quit

--------------------------------------------------------------------------
-- phrbac_role: none < viewer < member < admin < owner
--------------------------------------------------------------------------

CREATE TYPE pg_catalog.phrbac_role;

CREATE FUNCTION pg_catalog.phrbac_role_in(pg_catalog.cstring)
RETURNS pg_catalog.phrbac_role
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION pg_catalog.phrbac_role_out(pg_catalog.phrbac_role)
RETURNS pg_catalog.cstring
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION pg_catalog.phrbac_role_recv(pg_catalog.internal)
RETURNS pg_catalog.phrbac_role
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION pg_catalog.phrbac_role_send(pg_catalog.phrbac_role)
RETURNS pg_catalog.bytea
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE TYPE pg_catalog.phrbac_role (
	INPUT = pg_catalog.phrbac_role_in,
	OUTPUT = pg_catalog.phrbac_role_out,
	RECEIVE = pg_catalog.phrbac_role_recv,
	SEND = pg_catalog.phrbac_role_send,
	INTERNALLENGTH = 1,
	PASSEDBYVALUE,
	ALIGNMENT = char,
	STORAGE = plain
);

COMMENT ON TYPE pg_catalog.phrbac_role IS
'membership level: none < viewer < member < admin < owner (PostHog levels 0, 1, 8, 15)';

CREATE FUNCTION pg_catalog.phrbac_role_eq(pg_catalog.phrbac_role, pg_catalog.phrbac_role)
RETURNS boolean AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION pg_catalog.phrbac_role_ne(pg_catalog.phrbac_role, pg_catalog.phrbac_role)
RETURNS boolean AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION pg_catalog.phrbac_role_lt(pg_catalog.phrbac_role, pg_catalog.phrbac_role)
RETURNS boolean AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION pg_catalog.phrbac_role_le(pg_catalog.phrbac_role, pg_catalog.phrbac_role)
RETURNS boolean AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION pg_catalog.phrbac_role_gt(pg_catalog.phrbac_role, pg_catalog.phrbac_role)
RETURNS boolean AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION pg_catalog.phrbac_role_ge(pg_catalog.phrbac_role, pg_catalog.phrbac_role)
RETURNS boolean AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION pg_catalog.phrbac_role_cmp(pg_catalog.phrbac_role, pg_catalog.phrbac_role)
RETURNS integer AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION pg_catalog.phrbac_role_hash(pg_catalog.phrbac_role)
RETURNS integer AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION pg_catalog.phrbac_role_hash_extended(pg_catalog.phrbac_role, bigint)
RETURNS bigint AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE OPERATOR pg_catalog.= (
	LEFTARG = pg_catalog.phrbac_role, RIGHTARG = pg_catalog.phrbac_role,
	FUNCTION = pg_catalog.phrbac_role_eq,
	COMMUTATOR = OPERATOR(pg_catalog.=), NEGATOR = OPERATOR(pg_catalog.<>),
	RESTRICT = pg_catalog.eqsel, JOIN = pg_catalog.eqjoinsel, HASHES, MERGES
);
CREATE OPERATOR pg_catalog.<> (
	LEFTARG = pg_catalog.phrbac_role, RIGHTARG = pg_catalog.phrbac_role,
	FUNCTION = pg_catalog.phrbac_role_ne,
	COMMUTATOR = OPERATOR(pg_catalog.<>), NEGATOR = OPERATOR(pg_catalog.=),
	RESTRICT = pg_catalog.neqsel, JOIN = pg_catalog.neqjoinsel
);
CREATE OPERATOR pg_catalog.< (
	LEFTARG = pg_catalog.phrbac_role, RIGHTARG = pg_catalog.phrbac_role,
	FUNCTION = pg_catalog.phrbac_role_lt,
	COMMUTATOR = OPERATOR(pg_catalog.>), NEGATOR = OPERATOR(pg_catalog.>=),
	RESTRICT = pg_catalog.scalarltsel, JOIN = pg_catalog.scalarltjoinsel
);
CREATE OPERATOR pg_catalog.<= (
	LEFTARG = pg_catalog.phrbac_role, RIGHTARG = pg_catalog.phrbac_role,
	FUNCTION = pg_catalog.phrbac_role_le,
	COMMUTATOR = OPERATOR(pg_catalog.>=), NEGATOR = OPERATOR(pg_catalog.>),
	RESTRICT = pg_catalog.scalarlesel, JOIN = pg_catalog.scalarlejoinsel
);
CREATE OPERATOR pg_catalog.> (
	LEFTARG = pg_catalog.phrbac_role, RIGHTARG = pg_catalog.phrbac_role,
	FUNCTION = pg_catalog.phrbac_role_gt,
	COMMUTATOR = OPERATOR(pg_catalog.<), NEGATOR = OPERATOR(pg_catalog.<=),
	RESTRICT = pg_catalog.scalargtsel, JOIN = pg_catalog.scalargtjoinsel
);
CREATE OPERATOR pg_catalog.>= (
	LEFTARG = pg_catalog.phrbac_role, RIGHTARG = pg_catalog.phrbac_role,
	FUNCTION = pg_catalog.phrbac_role_ge,
	COMMUTATOR = OPERATOR(pg_catalog.<=), NEGATOR = OPERATOR(pg_catalog.<),
	RESTRICT = pg_catalog.scalargesel, JOIN = pg_catalog.scalargejoinsel
);

CREATE OPERATOR CLASS pg_catalog.phrbac_role_ops
DEFAULT FOR TYPE pg_catalog.phrbac_role USING btree AS
	OPERATOR 1 pg_catalog.<,
	OPERATOR 2 pg_catalog.<=,
	OPERATOR 3 pg_catalog.=,
	OPERATOR 4 pg_catalog.>=,
	OPERATOR 5 pg_catalog.>,
	FUNCTION 1 pg_catalog.phrbac_role_cmp(pg_catalog.phrbac_role, pg_catalog.phrbac_role);

CREATE OPERATOR CLASS pg_catalog.phrbac_role_hash_ops
DEFAULT FOR TYPE pg_catalog.phrbac_role USING hash AS
	OPERATOR 1 pg_catalog.=,
	FUNCTION 1 pg_catalog.phrbac_role_hash(pg_catalog.phrbac_role),
	FUNCTION 2 pg_catalog.phrbac_role_hash_extended(pg_catalog.phrbac_role, bigint);

CREATE FUNCTION pg_catalog.phrbac_role_larger(pg_catalog.phrbac_role, pg_catalog.phrbac_role)
RETURNS pg_catalog.phrbac_role AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION pg_catalog.phrbac_role_smaller(pg_catalog.phrbac_role, pg_catalog.phrbac_role)
RETURNS pg_catalog.phrbac_role AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE AGGREGATE pg_catalog.max(pg_catalog.phrbac_role) (
	SFUNC = pg_catalog.phrbac_role_larger, STYPE = pg_catalog.phrbac_role,
	COMBINEFUNC = pg_catalog.phrbac_role_larger,
	SORTOP = OPERATOR(pg_catalog.>), PARALLEL = SAFE
);
CREATE AGGREGATE pg_catalog.min(pg_catalog.phrbac_role) (
	SFUNC = pg_catalog.phrbac_role_smaller, STYPE = pg_catalog.phrbac_role,
	COMBINEFUNC = pg_catalog.phrbac_role_smaller,
	SORTOP = OPERATOR(pg_catalog.<), PARALLEL = SAFE
);

-- PostHog's integer levels: none 0, member 1, admin 8, owner 15.
CREATE FUNCTION pg_catalog.phrbac_role_from_int4(integer)
RETURNS pg_catalog.phrbac_role AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION pg_catalog.phrbac_role_to_int4(pg_catalog.phrbac_role)
RETURNS integer AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE CAST (integer AS pg_catalog.phrbac_role)
	WITH FUNCTION pg_catalog.phrbac_role_from_int4(integer);
CREATE CAST (pg_catalog.phrbac_role AS integer)
	WITH FUNCTION pg_catalog.phrbac_role_to_int4(pg_catalog.phrbac_role);

--------------------------------------------------------------------------
-- phrbac_scope: API key scopes, "object:read", "object:write" or "*"
--------------------------------------------------------------------------

CREATE TYPE pg_catalog.phrbac_scope;

CREATE FUNCTION pg_catalog.phrbac_scope_in(pg_catalog.cstring)
RETURNS pg_catalog.phrbac_scope
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION pg_catalog.phrbac_scope_out(pg_catalog.phrbac_scope)
RETURNS pg_catalog.cstring
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION pg_catalog.phrbac_scope_recv(pg_catalog.internal)
RETURNS pg_catalog.phrbac_scope
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION pg_catalog.phrbac_scope_send(pg_catalog.phrbac_scope)
RETURNS pg_catalog.bytea
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE TYPE pg_catalog.phrbac_scope (
	INPUT = pg_catalog.phrbac_scope_in,
	OUTPUT = pg_catalog.phrbac_scope_out,
	RECEIVE = pg_catalog.phrbac_scope_recv,
	SEND = pg_catalog.phrbac_scope_send,
	INTERNALLENGTH = 4,
	PASSEDBYVALUE,
	ALIGNMENT = int4,
	STORAGE = plain
);

COMMENT ON TYPE pg_catalog.phrbac_scope IS
'API key scope: object:read, object:write (implies read) or *';

CREATE FUNCTION pg_catalog.phrbac_scope_eq(pg_catalog.phrbac_scope, pg_catalog.phrbac_scope)
RETURNS boolean AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION pg_catalog.phrbac_scope_ne(pg_catalog.phrbac_scope, pg_catalog.phrbac_scope)
RETURNS boolean AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION pg_catalog.phrbac_scope_lt(pg_catalog.phrbac_scope, pg_catalog.phrbac_scope)
RETURNS boolean AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION pg_catalog.phrbac_scope_le(pg_catalog.phrbac_scope, pg_catalog.phrbac_scope)
RETURNS boolean AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION pg_catalog.phrbac_scope_gt(pg_catalog.phrbac_scope, pg_catalog.phrbac_scope)
RETURNS boolean AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION pg_catalog.phrbac_scope_ge(pg_catalog.phrbac_scope, pg_catalog.phrbac_scope)
RETURNS boolean AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION pg_catalog.phrbac_scope_cmp(pg_catalog.phrbac_scope, pg_catalog.phrbac_scope)
RETURNS integer AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION pg_catalog.phrbac_scope_hash(pg_catalog.phrbac_scope)
RETURNS integer AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION pg_catalog.phrbac_scope_hash_extended(pg_catalog.phrbac_scope, bigint)
RETURNS bigint AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE OPERATOR pg_catalog.= (
	LEFTARG = pg_catalog.phrbac_scope, RIGHTARG = pg_catalog.phrbac_scope,
	FUNCTION = pg_catalog.phrbac_scope_eq,
	COMMUTATOR = OPERATOR(pg_catalog.=), NEGATOR = OPERATOR(pg_catalog.<>),
	RESTRICT = pg_catalog.eqsel, JOIN = pg_catalog.eqjoinsel, HASHES, MERGES
);
CREATE OPERATOR pg_catalog.<> (
	LEFTARG = pg_catalog.phrbac_scope, RIGHTARG = pg_catalog.phrbac_scope,
	FUNCTION = pg_catalog.phrbac_scope_ne,
	COMMUTATOR = OPERATOR(pg_catalog.<>), NEGATOR = OPERATOR(pg_catalog.=),
	RESTRICT = pg_catalog.neqsel, JOIN = pg_catalog.neqjoinsel
);
CREATE OPERATOR pg_catalog.< (
	LEFTARG = pg_catalog.phrbac_scope, RIGHTARG = pg_catalog.phrbac_scope,
	FUNCTION = pg_catalog.phrbac_scope_lt,
	COMMUTATOR = OPERATOR(pg_catalog.>), NEGATOR = OPERATOR(pg_catalog.>=),
	RESTRICT = pg_catalog.scalarltsel, JOIN = pg_catalog.scalarltjoinsel
);
CREATE OPERATOR pg_catalog.<= (
	LEFTARG = pg_catalog.phrbac_scope, RIGHTARG = pg_catalog.phrbac_scope,
	FUNCTION = pg_catalog.phrbac_scope_le,
	COMMUTATOR = OPERATOR(pg_catalog.>=), NEGATOR = OPERATOR(pg_catalog.>),
	RESTRICT = pg_catalog.scalarlesel, JOIN = pg_catalog.scalarlejoinsel
);
CREATE OPERATOR pg_catalog.> (
	LEFTARG = pg_catalog.phrbac_scope, RIGHTARG = pg_catalog.phrbac_scope,
	FUNCTION = pg_catalog.phrbac_scope_gt,
	COMMUTATOR = OPERATOR(pg_catalog.<), NEGATOR = OPERATOR(pg_catalog.<=),
	RESTRICT = pg_catalog.scalargtsel, JOIN = pg_catalog.scalargtjoinsel
);
CREATE OPERATOR pg_catalog.>= (
	LEFTARG = pg_catalog.phrbac_scope, RIGHTARG = pg_catalog.phrbac_scope,
	FUNCTION = pg_catalog.phrbac_scope_ge,
	COMMUTATOR = OPERATOR(pg_catalog.<=), NEGATOR = OPERATOR(pg_catalog.<),
	RESTRICT = pg_catalog.scalargesel, JOIN = pg_catalog.scalargejoinsel
);

CREATE OPERATOR CLASS pg_catalog.phrbac_scope_ops
DEFAULT FOR TYPE pg_catalog.phrbac_scope USING btree AS
	OPERATOR 1 pg_catalog.<,
	OPERATOR 2 pg_catalog.<=,
	OPERATOR 3 pg_catalog.=,
	OPERATOR 4 pg_catalog.>=,
	OPERATOR 5 pg_catalog.>,
	FUNCTION 1 pg_catalog.phrbac_scope_cmp(pg_catalog.phrbac_scope, pg_catalog.phrbac_scope);

CREATE OPERATOR CLASS pg_catalog.phrbac_scope_hash_ops
DEFAULT FOR TYPE pg_catalog.phrbac_scope USING hash AS
	OPERATOR 1 pg_catalog.=,
	FUNCTION 1 pg_catalog.phrbac_scope_hash(pg_catalog.phrbac_scope),
	FUNCTION 2 pg_catalog.phrbac_scope_hash_extended(pg_catalog.phrbac_scope, bigint);

CREATE FUNCTION pg_catalog.phrbac_scopes_contain(pg_catalog.phrbac_scope[], pg_catalog.phrbac_scope)
RETURNS boolean AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE OPERATOR pg_catalog.@> (
	LEFTARG = pg_catalog.phrbac_scope[], RIGHTARG = pg_catalog.phrbac_scope,
	FUNCTION = pg_catalog.phrbac_scopes_contain,
	RESTRICT = pg_catalog.contsel, JOIN = pg_catalog.contjoinsel
);

COMMENT ON OPERATOR pg_catalog.@> (pg_catalog.phrbac_scope[], pg_catalog.phrbac_scope) IS
'the scopes allow this scope (write implies read, * allows everything)';

CREATE FUNCTION pg_catalog.phrbac_scopes_allow(scopes pg_catalog.phrbac_scope[], resource text, action text)
RETURNS boolean AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION pg_catalog.phrbac_scopes_allow(pg_catalog.phrbac_scope[], text, text) IS
'may a key with these scopes take this action (view needs read; create, edit, delete, manage need write)';

--------------------------------------------------------------------------
-- phrbac_grant: access to a resource, "resource[/object_id]:access"
--------------------------------------------------------------------------

CREATE TYPE pg_catalog.phrbac_grant;

CREATE FUNCTION pg_catalog.phrbac_grant_in(pg_catalog.cstring)
RETURNS pg_catalog.phrbac_grant
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION pg_catalog.phrbac_grant_out(pg_catalog.phrbac_grant)
RETURNS pg_catalog.cstring
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION pg_catalog.phrbac_grant_recv(pg_catalog.internal)
RETURNS pg_catalog.phrbac_grant
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION pg_catalog.phrbac_grant_send(pg_catalog.phrbac_grant)
RETURNS pg_catalog.bytea
AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE TYPE pg_catalog.phrbac_grant (
	INPUT = pg_catalog.phrbac_grant_in,
	OUTPUT = pg_catalog.phrbac_grant_out,
	RECEIVE = pg_catalog.phrbac_grant_recv,
	SEND = pg_catalog.phrbac_grant_send,
	INTERNALLENGTH = VARIABLE,
	ALIGNMENT = int4,
	STORAGE = plain
);

COMMENT ON TYPE pg_catalog.phrbac_grant IS
'access to a resource: resource[/object_id]:access, e.g. feature_flag/42:editor';

CREATE FUNCTION pg_catalog.phrbac_grant_eq(pg_catalog.phrbac_grant, pg_catalog.phrbac_grant)
RETURNS boolean AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION pg_catalog.phrbac_grant_ne(pg_catalog.phrbac_grant, pg_catalog.phrbac_grant)
RETURNS boolean AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION pg_catalog.phrbac_grant_lt(pg_catalog.phrbac_grant, pg_catalog.phrbac_grant)
RETURNS boolean AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION pg_catalog.phrbac_grant_le(pg_catalog.phrbac_grant, pg_catalog.phrbac_grant)
RETURNS boolean AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION pg_catalog.phrbac_grant_gt(pg_catalog.phrbac_grant, pg_catalog.phrbac_grant)
RETURNS boolean AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION pg_catalog.phrbac_grant_ge(pg_catalog.phrbac_grant, pg_catalog.phrbac_grant)
RETURNS boolean AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION pg_catalog.phrbac_grant_cmp(pg_catalog.phrbac_grant, pg_catalog.phrbac_grant)
RETURNS integer AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION pg_catalog.phrbac_grant_hash(pg_catalog.phrbac_grant)
RETURNS integer AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION pg_catalog.phrbac_grant_hash_extended(pg_catalog.phrbac_grant, bigint)
RETURNS bigint AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION pg_catalog.phrbac_grant_contains(pg_catalog.phrbac_grant, pg_catalog.phrbac_grant)
RETURNS boolean AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION pg_catalog.phrbac_grant_contained(pg_catalog.phrbac_grant, pg_catalog.phrbac_grant)
RETURNS boolean AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;

CREATE OPERATOR pg_catalog.= (
	LEFTARG = pg_catalog.phrbac_grant, RIGHTARG = pg_catalog.phrbac_grant,
	FUNCTION = pg_catalog.phrbac_grant_eq,
	COMMUTATOR = OPERATOR(pg_catalog.=), NEGATOR = OPERATOR(pg_catalog.<>),
	RESTRICT = pg_catalog.eqsel, JOIN = pg_catalog.eqjoinsel, HASHES, MERGES
);
CREATE OPERATOR pg_catalog.<> (
	LEFTARG = pg_catalog.phrbac_grant, RIGHTARG = pg_catalog.phrbac_grant,
	FUNCTION = pg_catalog.phrbac_grant_ne,
	COMMUTATOR = OPERATOR(pg_catalog.<>), NEGATOR = OPERATOR(pg_catalog.=),
	RESTRICT = pg_catalog.neqsel, JOIN = pg_catalog.neqjoinsel
);
CREATE OPERATOR pg_catalog.< (
	LEFTARG = pg_catalog.phrbac_grant, RIGHTARG = pg_catalog.phrbac_grant,
	FUNCTION = pg_catalog.phrbac_grant_lt,
	COMMUTATOR = OPERATOR(pg_catalog.>), NEGATOR = OPERATOR(pg_catalog.>=),
	RESTRICT = pg_catalog.scalarltsel, JOIN = pg_catalog.scalarltjoinsel
);
CREATE OPERATOR pg_catalog.<= (
	LEFTARG = pg_catalog.phrbac_grant, RIGHTARG = pg_catalog.phrbac_grant,
	FUNCTION = pg_catalog.phrbac_grant_le,
	COMMUTATOR = OPERATOR(pg_catalog.>=), NEGATOR = OPERATOR(pg_catalog.>),
	RESTRICT = pg_catalog.scalarlesel, JOIN = pg_catalog.scalarlejoinsel
);
CREATE OPERATOR pg_catalog.> (
	LEFTARG = pg_catalog.phrbac_grant, RIGHTARG = pg_catalog.phrbac_grant,
	FUNCTION = pg_catalog.phrbac_grant_gt,
	COMMUTATOR = OPERATOR(pg_catalog.<), NEGATOR = OPERATOR(pg_catalog.<=),
	RESTRICT = pg_catalog.scalargtsel, JOIN = pg_catalog.scalargtjoinsel
);
CREATE OPERATOR pg_catalog.>= (
	LEFTARG = pg_catalog.phrbac_grant, RIGHTARG = pg_catalog.phrbac_grant,
	FUNCTION = pg_catalog.phrbac_grant_ge,
	COMMUTATOR = OPERATOR(pg_catalog.<=), NEGATOR = OPERATOR(pg_catalog.<),
	RESTRICT = pg_catalog.scalargesel, JOIN = pg_catalog.scalargejoinsel
);
CREATE OPERATOR pg_catalog.@> (
	LEFTARG = pg_catalog.phrbac_grant, RIGHTARG = pg_catalog.phrbac_grant,
	FUNCTION = pg_catalog.phrbac_grant_contains,
	COMMUTATOR = OPERATOR(pg_catalog.<@),
	RESTRICT = pg_catalog.contsel, JOIN = pg_catalog.contjoinsel
);
CREATE OPERATOR pg_catalog.<@ (
	LEFTARG = pg_catalog.phrbac_grant, RIGHTARG = pg_catalog.phrbac_grant,
	FUNCTION = pg_catalog.phrbac_grant_contained,
	COMMUTATOR = OPERATOR(pg_catalog.@>),
	RESTRICT = pg_catalog.contsel, JOIN = pg_catalog.contjoinsel
);

COMMENT ON OPERATOR pg_catalog.@> (pg_catalog.phrbac_grant, pg_catalog.phrbac_grant) IS
'left covers right: same resource or left is *, left has no object or the same one, left''s actions include right''s';

CREATE OPERATOR CLASS pg_catalog.phrbac_grant_ops
DEFAULT FOR TYPE pg_catalog.phrbac_grant USING btree AS
	OPERATOR 1 pg_catalog.<,
	OPERATOR 2 pg_catalog.<=,
	OPERATOR 3 pg_catalog.=,
	OPERATOR 4 pg_catalog.>=,
	OPERATOR 5 pg_catalog.>,
	FUNCTION 1 pg_catalog.phrbac_grant_cmp(pg_catalog.phrbac_grant, pg_catalog.phrbac_grant);

CREATE OPERATOR CLASS pg_catalog.phrbac_grant_hash_ops
DEFAULT FOR TYPE pg_catalog.phrbac_grant USING hash AS
	OPERATOR 1 pg_catalog.=,
	FUNCTION 1 pg_catalog.phrbac_grant_hash(pg_catalog.phrbac_grant),
	FUNCTION 2 pg_catalog.phrbac_grant_hash_extended(pg_catalog.phrbac_grant, bigint);

CREATE FUNCTION pg_catalog.phrbac_grant_resource(pg_catalog.phrbac_grant)
RETURNS text AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION pg_catalog.phrbac_grant_object(pg_catalog.phrbac_grant)
RETURNS text AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION pg_catalog.phrbac_grant_actions(pg_catalog.phrbac_grant)
RETURNS text[] AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION pg_catalog.phrbac_grant_resource(pg_catalog.phrbac_grant) IS
'the resource a grant is on, or * for every resource';
COMMENT ON FUNCTION pg_catalog.phrbac_grant_object(pg_catalog.phrbac_grant) IS
'the object id a grant is limited to, or NULL for the whole resource';
COMMENT ON FUNCTION pg_catalog.phrbac_grant_actions(pg_catalog.phrbac_grant) IS
'the actions a grant allows, in the order view, create, edit, delete, manage';
