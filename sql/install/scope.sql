-- scope.sql: the type phrbac_scope: API key scopes.

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
COMMENT ON FUNCTION pg_catalog.phrbac_scopes_contain(pg_catalog.phrbac_scope[], pg_catalog.phrbac_scope) IS
'implementation of the @> operator';

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
