-- role.sql: the type phrbac_role: organization and project levels.

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
COMMENT ON FUNCTION pg_catalog.phrbac_role_larger(pg_catalog.phrbac_role, pg_catalog.phrbac_role) IS
'the higher of two levels (the max aggregate''s step)';
CREATE FUNCTION pg_catalog.phrbac_role_smaller(pg_catalog.phrbac_role, pg_catalog.phrbac_role)
RETURNS pg_catalog.phrbac_role AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION pg_catalog.phrbac_role_smaller(pg_catalog.phrbac_role, pg_catalog.phrbac_role) IS
'the lower of two levels (the min aggregate''s step)';

CREATE AGGREGATE pg_catalog.max(pg_catalog.phrbac_role) (
	SFUNC = pg_catalog.phrbac_role_larger, STYPE = pg_catalog.phrbac_role,
	COMBINEFUNC = pg_catalog.phrbac_role_larger,
	SORTOP = OPERATOR(pg_catalog.>), PARALLEL = SAFE
);
COMMENT ON AGGREGATE pg_catalog.max(pg_catalog.phrbac_role) IS 'the highest level';
CREATE AGGREGATE pg_catalog.min(pg_catalog.phrbac_role) (
	SFUNC = pg_catalog.phrbac_role_smaller, STYPE = pg_catalog.phrbac_role,
	COMBINEFUNC = pg_catalog.phrbac_role_smaller,
	SORTOP = OPERATOR(pg_catalog.<), PARALLEL = SAFE
);
COMMENT ON AGGREGATE pg_catalog.min(pg_catalog.phrbac_role) IS 'the lowest level';

-- PostHog's integer levels: none 0, member 1, admin 8, owner 15.
CREATE FUNCTION pg_catalog.phrbac_role_from_int4(integer)
RETURNS pg_catalog.phrbac_role AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION pg_catalog.phrbac_role_from_int4(integer) IS
'the level of a PostHog integer level (0, 1, 8 or 15)';
CREATE FUNCTION pg_catalog.phrbac_role_to_int4(pg_catalog.phrbac_role)
RETURNS integer AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION pg_catalog.phrbac_role_to_int4(pg_catalog.phrbac_role) IS
'the PostHog integer level of a level (viewer has none and is refused)';

CREATE CAST (integer AS pg_catalog.phrbac_role)
	WITH FUNCTION pg_catalog.phrbac_role_from_int4(integer);
COMMENT ON CAST (integer AS pg_catalog.phrbac_role) IS 'from PostHog''s integer levels';
CREATE CAST (pg_catalog.phrbac_role AS integer)
	WITH FUNCTION pg_catalog.phrbac_role_to_int4(pg_catalog.phrbac_role);
COMMENT ON CAST (pg_catalog.phrbac_role AS integer) IS 'to PostHog''s integer levels';
