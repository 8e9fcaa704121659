-- grant.sql: the type phrbac_grant: access to a resource.

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
COMMENT ON FUNCTION pg_catalog.phrbac_grant_contains(pg_catalog.phrbac_grant, pg_catalog.phrbac_grant) IS
'implementation of the @> operator';
CREATE FUNCTION pg_catalog.phrbac_grant_contained(pg_catalog.phrbac_grant, pg_catalog.phrbac_grant)
RETURNS boolean AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
COMMENT ON FUNCTION pg_catalog.phrbac_grant_contained(pg_catalog.phrbac_grant, pg_catalog.phrbac_grant) IS
'implementation of the <@ operator';

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
COMMENT ON OPERATOR pg_catalog.<@ (pg_catalog.phrbac_grant, pg_catalog.phrbac_grant) IS
'left is covered by right (the commutator of @>)';

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
