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

--------------------------------------------------------------------------
-- The catalog: schema phrbac
--------------------------------------------------------------------------
--
-- Every table that references a project, role or member also carries the
-- organization_id, filled in by a trigger when left out, so composite
-- foreign keys keep every reference inside one organization and removing
-- an organization membership removes what hung on it.

CREATE SCHEMA phrbac;
COMMENT ON SCHEMA phrbac IS 'phrbac''s catalog: who may do what, where';

CREATE FUNCTION pg_catalog.phrbac_principal_user_id()
RETURNS bigint AS 'MODULE_PATHNAME' LANGUAGE C STABLE PARALLEL SAFE;
COMMENT ON FUNCTION pg_catalog.phrbac_principal_user_id() IS
'the user the current principal is, or NULL when none is set';

CREATE TABLE phrbac.users (
	id          bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
	email       text NOT NULL CHECK (email OPERATOR(pg_catalog.~) '^[^@[:space:]]+@[^@[:space:]]+$'),
	name        text,
	db_role     name UNIQUE,
	is_active   boolean NOT NULL DEFAULT true,
	created_at  timestamptz NOT NULL DEFAULT pg_catalog.now(),
	created_by  bigint DEFAULT pg_catalog.phrbac_principal_user_id()
	            REFERENCES phrbac.users (id) ON DELETE SET NULL
);
CREATE UNIQUE INDEX users_email_key ON phrbac.users (pg_catalog.lower(email));

CREATE TABLE phrbac.organizations (
	id                        bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
	name                      text NOT NULL,
	enforce_sso               boolean NOT NULL DEFAULT false,
	members_can_use_api_keys  boolean NOT NULL DEFAULT true,
	resolution                text NOT NULL DEFAULT 'most_specific'
	                          CHECK (resolution OPERATOR(pg_catalog.=) ANY (ARRAY['most_specific', 'max'])),
	created_at                timestamptz NOT NULL DEFAULT pg_catalog.now(),
	created_by                bigint DEFAULT pg_catalog.phrbac_principal_user_id()
	                          REFERENCES phrbac.users (id) ON DELETE SET NULL
);

CREATE TABLE phrbac.projects (
	id               bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
	organization_id  bigint NOT NULL REFERENCES phrbac.organizations (id) ON DELETE CASCADE,
	name             text NOT NULL,
	default_role     pg_catalog.phrbac_role NOT NULL DEFAULT 'member'
	                 CHECK (default_role OPERATOR(pg_catalog.<=) 'admin'),
	created_at       timestamptz NOT NULL DEFAULT pg_catalog.now(),
	created_by       bigint DEFAULT pg_catalog.phrbac_principal_user_id()
	                 REFERENCES phrbac.users (id) ON DELETE SET NULL,
	UNIQUE (organization_id, id)
);
COMMENT ON COLUMN phrbac.projects.default_role IS
'the level of organization members with no project row of their own or their roles''; none makes the project private';

CREATE TABLE phrbac.organization_members (
	id               bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
	organization_id  bigint NOT NULL REFERENCES phrbac.organizations (id) ON DELETE CASCADE,
	user_id          bigint NOT NULL REFERENCES phrbac.users (id) ON DELETE CASCADE,
	role             pg_catalog.phrbac_role NOT NULL DEFAULT 'member'
	                 CHECK (role OPERATOR(pg_catalog.>=) 'member'),
	expires_at       timestamptz,
	reason           text,
	created_at       timestamptz NOT NULL DEFAULT pg_catalog.now(),
	created_by       bigint DEFAULT pg_catalog.phrbac_principal_user_id()
	                 REFERENCES phrbac.users (id) ON DELETE SET NULL,
	UNIQUE (organization_id, user_id)
);
CREATE INDEX ON phrbac.organization_members (user_id);

CREATE TABLE phrbac.roles (
	id               bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
	organization_id  bigint NOT NULL REFERENCES phrbac.organizations (id) ON DELETE CASCADE,
	name             text NOT NULL,
	created_at       timestamptz NOT NULL DEFAULT pg_catalog.now(),
	created_by       bigint DEFAULT pg_catalog.phrbac_principal_user_id()
	                 REFERENCES phrbac.users (id) ON DELETE SET NULL,
	UNIQUE (organization_id, name),
	UNIQUE (organization_id, id)
);

CREATE TABLE phrbac.role_members (
	id               bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
	organization_id  bigint NOT NULL,
	role_id          bigint NOT NULL,
	user_id          bigint NOT NULL,
	expires_at       timestamptz,
	reason           text,
	created_at       timestamptz NOT NULL DEFAULT pg_catalog.now(),
	created_by       bigint DEFAULT pg_catalog.phrbac_principal_user_id()
	                 REFERENCES phrbac.users (id) ON DELETE SET NULL,
	UNIQUE (role_id, user_id),
	FOREIGN KEY (organization_id, role_id)
		REFERENCES phrbac.roles (organization_id, id) ON DELETE CASCADE,
	FOREIGN KEY (organization_id, user_id)
		REFERENCES phrbac.organization_members (organization_id, user_id) ON DELETE CASCADE
);
CREATE INDEX ON phrbac.role_members (user_id);

CREATE TABLE phrbac.project_members (
	id               bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
	organization_id  bigint NOT NULL,
	project_id       bigint NOT NULL,
	user_id          bigint,
	role_id          bigint,
	role             pg_catalog.phrbac_role NOT NULL DEFAULT 'member'
	                 CHECK (role OPERATOR(pg_catalog.<=) 'admin'),
	expires_at       timestamptz,
	reason           text,
	created_at       timestamptz NOT NULL DEFAULT pg_catalog.now(),
	created_by       bigint DEFAULT pg_catalog.phrbac_principal_user_id()
	                 REFERENCES phrbac.users (id) ON DELETE SET NULL,
	CHECK (pg_catalog.num_nonnulls(user_id, role_id) OPERATOR(pg_catalog.=) 1),
	UNIQUE (project_id, user_id),
	UNIQUE (project_id, role_id),
	FOREIGN KEY (organization_id, project_id)
		REFERENCES phrbac.projects (organization_id, id) ON DELETE CASCADE,
	FOREIGN KEY (organization_id, role_id)
		REFERENCES phrbac.roles (organization_id, id) ON DELETE CASCADE,
	FOREIGN KEY (organization_id, user_id)
		REFERENCES phrbac.organization_members (organization_id, user_id) ON DELETE CASCADE
);
CREATE INDEX ON phrbac.project_members (user_id);
CREATE INDEX ON phrbac.project_members (role_id);

CREATE TABLE phrbac.access_rules (
	id               bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
	organization_id  bigint NOT NULL REFERENCES phrbac.organizations (id) ON DELETE CASCADE,
	project_id       bigint,
	user_id          bigint,
	role_id          bigint,
	access           pg_catalog.phrbac_grant NOT NULL,
	expires_at       timestamptz,
	reason           text,
	created_at       timestamptz NOT NULL DEFAULT pg_catalog.now(),
	created_by       bigint DEFAULT pg_catalog.phrbac_principal_user_id()
	                 REFERENCES phrbac.users (id) ON DELETE SET NULL,
	CHECK (pg_catalog.num_nonnulls(user_id, role_id) OPERATOR(pg_catalog.<=) 1),
	FOREIGN KEY (organization_id, project_id)
		REFERENCES phrbac.projects (organization_id, id) ON DELETE CASCADE,
	FOREIGN KEY (organization_id, role_id)
		REFERENCES phrbac.roles (organization_id, id) ON DELETE CASCADE,
	FOREIGN KEY (organization_id, user_id)
		REFERENCES phrbac.organization_members (organization_id, user_id) ON DELETE CASCADE
);
CREATE INDEX ON phrbac.access_rules (organization_id, project_id);
CREATE INDEX ON phrbac.access_rules (project_id);
CREATE INDEX ON phrbac.access_rules (user_id);
CREATE INDEX ON phrbac.access_rules (role_id);
COMMENT ON TABLE phrbac.access_rules IS
'access to resources: for everyone, a user or a role; in one project or the whole organization; down to one object';

CREATE TABLE phrbac.sso_group_mappings (
	id               bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
	organization_id  bigint NOT NULL REFERENCES phrbac.organizations (id) ON DELETE CASCADE,
	idp_group        text NOT NULL,
	org_role         pg_catalog.phrbac_role
	                 CHECK (org_role OPERATOR(pg_catalog.>=) 'member'),
	role_id          bigint,
	created_at       timestamptz NOT NULL DEFAULT pg_catalog.now(),
	created_by       bigint DEFAULT pg_catalog.phrbac_principal_user_id()
	                 REFERENCES phrbac.users (id) ON DELETE SET NULL,
	CHECK (pg_catalog.num_nonnulls(org_role, role_id) OPERATOR(pg_catalog.>=) 1),
	UNIQUE (organization_id, idp_group, role_id),
	FOREIGN KEY (organization_id, role_id)
		REFERENCES phrbac.roles (organization_id, id) ON DELETE CASCADE
);

CREATE TABLE phrbac.api_keys (
	id                    bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
	user_id               bigint NOT NULL REFERENCES phrbac.users (id) ON DELETE CASCADE,
	label                 text NOT NULL,
	mask_value            text NOT NULL,
	secure_value          text NOT NULL UNIQUE
	                      CHECK (secure_value OPERATOR(pg_catalog.~) '^sha256\$[0-9a-f]{64}$'),
	scopes                pg_catalog.phrbac_scope[] NOT NULL DEFAULT '{*}'
	                      CHECK (pg_catalog.cardinality(scopes) OPERATOR(pg_catalog.>) 0
	                             AND pg_catalog.array_position(scopes, NULL) IS NULL),
	scoped_projects       bigint[]
	                      CHECK (pg_catalog.cardinality(scoped_projects) OPERATOR(pg_catalog.>) 0
	                             AND pg_catalog.array_position(scoped_projects, NULL) IS NULL),
	scoped_organizations  bigint[]
	                      CHECK (pg_catalog.cardinality(scoped_organizations) OPERATOR(pg_catalog.>) 0
	                             AND pg_catalog.array_position(scoped_organizations, NULL) IS NULL),
	last_used_at          timestamptz,
	last_rolled_at        timestamptz,
	expires_at            timestamptz,
	revoked_at            timestamptz,
	created_at            timestamptz NOT NULL DEFAULT pg_catalog.now(),
	created_by            bigint DEFAULT pg_catalog.phrbac_principal_user_id()
	                      REFERENCES phrbac.users (id) ON DELETE SET NULL
);
CREATE INDEX ON phrbac.api_keys (user_id);
COMMENT ON TABLE phrbac.api_keys IS
'personal API keys: a SHA-256 hash of the secret and its mask, never the secret itself';

CREATE FUNCTION pg_catalog.phrbac_grant_takes_rules(pg_catalog.phrbac_grant)
RETURNS boolean AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION pg_catalog.phrbac_grant_takes_rules(pg_catalog.phrbac_grant) IS
'false for resources whose access comes from membership alone (organization, organization_member, project, user)';

CREATE FUNCTION pg_catalog.phrbac_resources()
RETURNS SETOF text AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE ROWS 40;
COMMENT ON FUNCTION pg_catalog.phrbac_resources() IS
'the built-in resources that take access rules';

--------------------------------------------------------------------------
-- The principal
--------------------------------------------------------------------------

CREATE FUNCTION pg_catalog.phrbac_set_user(user_id bigint, auth_method text DEFAULT 'password', is_local boolean DEFAULT true)
RETURNS void AS 'MODULE_PATHNAME' LANGUAGE C VOLATILE PARALLEL UNSAFE;
REVOKE EXECUTE ON FUNCTION pg_catalog.phrbac_set_user(bigint, text, boolean) FROM PUBLIC;
COMMENT ON FUNCTION pg_catalog.phrbac_set_user(bigint, text, boolean) IS
'sets the principal for the transaction (is_local) or the session; for trusted back ends only';

CREATE FUNCTION pg_catalog.phrbac_reset()
RETURNS void AS 'MODULE_PATHNAME' LANGUAGE C VOLATILE PARALLEL UNSAFE;
COMMENT ON FUNCTION pg_catalog.phrbac_reset() IS 'clears the principal';

CREATE FUNCTION pg_catalog.phrbac_principal_auth_method()
RETURNS text AS 'MODULE_PATHNAME' LANGUAGE C STABLE PARALLEL SAFE;
CREATE FUNCTION pg_catalog.phrbac_principal_api_key_id()
RETURNS bigint AS 'MODULE_PATHNAME' LANGUAGE C STABLE PARALLEL SAFE;

CREATE FUNCTION pg_catalog.phrbac_authenticate(token text, is_local boolean DEFAULT true)
RETURNS bigint AS 'MODULE_PATHNAME' LANGUAGE C VOLATILE PARALLEL UNSAFE;
COMMENT ON FUNCTION pg_catalog.phrbac_authenticate(text, boolean) IS
'makes the user of a personal API key the principal, restricted by the key; returns the key id';

CREATE FUNCTION pg_catalog.phrbac_create_api_key(label text,
	scopes pg_catalog.phrbac_scope[] DEFAULT '{*}',
	scoped_projects bigint[] DEFAULT NULL,
	scoped_organizations bigint[] DEFAULT NULL,
	expires_at timestamptz DEFAULT NULL)
RETURNS TABLE (id bigint, secret text)
AS 'MODULE_PATHNAME' LANGUAGE C VOLATILE PARALLEL UNSAFE;
COMMENT ON FUNCTION pg_catalog.phrbac_create_api_key(text, pg_catalog.phrbac_scope[], bigint[], bigint[], timestamptz) IS
'a personal API key for the logged-in user; the secret is shown once and never stored';

CREATE FUNCTION pg_catalog.phrbac_roll_api_key(id bigint)
RETURNS text AS 'MODULE_PATHNAME' LANGUAGE C VOLATILE PARALLEL UNSAFE;
COMMENT ON FUNCTION pg_catalog.phrbac_roll_api_key(bigint) IS
'a new secret for one of the user''s keys; the old secret stops working at once';

CREATE FUNCTION pg_catalog.phrbac_revoke_api_key(id bigint)
RETURNS void AS 'MODULE_PATHNAME' LANGUAGE C VOLATILE PARALLEL UNSAFE;
COMMENT ON FUNCTION pg_catalog.phrbac_revoke_api_key(bigint) IS
'revokes a key, for its owner or an admin of an organization it reaches';

CREATE FUNCTION pg_catalog.phrbac_whoami()
RETURNS jsonb
LANGUAGE sql STABLE PARALLEL SAFE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
	SELECT pg_catalog.jsonb_build_object(
		'user_id', u.id,
		'email', u.email,
		'auth_method', pg_catalog.phrbac_principal_auth_method(),
		'api_key_id', p.api_key_id,
		'api_key_mask', k.mask_value,
		'scopes', k.scopes::text[])
	FROM (SELECT pg_catalog.phrbac_principal_user_id() AS id,
	             pg_catalog.phrbac_principal_api_key_id() AS api_key_id) AS p
	LEFT JOIN phrbac.users AS u ON u.id OPERATOR(pg_catalog.=) p.id
	LEFT JOIN phrbac.api_keys AS k ON k.id OPERATOR(pg_catalog.=) p.api_key_id
	WHERE p.id IS NOT NULL
$$;
COMMENT ON FUNCTION pg_catalog.phrbac_whoami() IS
'the current principal (NULL when none): user, auth method and API key, never a secret';

--------------------------------------------------------------------------
-- Deciding access
--------------------------------------------------------------------------

-- COST 10: a check costs more than an operator, so the planner evaluates a
-- policy's cheap conditions (the project lists) before it.
CREATE FUNCTION pg_catalog.phrbac_can(project_id bigint, want pg_catalog.phrbac_grant)
RETURNS boolean AS 'MODULE_PATHNAME' LANGUAGE C STABLE PARALLEL SAFE COST 10;
CREATE FUNCTION pg_catalog.phrbac_can(project_id bigint, want pg_catalog.phrbac_grant, object_id text, creator_id bigint DEFAULT NULL)
RETURNS boolean AS 'MODULE_PATHNAME' LANGUAGE C STABLE PARALLEL SAFE COST 10;
COMMENT ON FUNCTION pg_catalog.phrbac_can(bigint, pg_catalog.phrbac_grant) IS
'does the principal hold want in the project (false without a principal)';
COMMENT ON FUNCTION pg_catalog.phrbac_can(bigint, pg_catalog.phrbac_grant, text, bigint) IS
'does the principal hold want on one object of the project; creator_id gives the creator bypass';

CREATE FUNCTION pg_catalog.phrbac_user_can(user_id bigint, project_id bigint, want pg_catalog.phrbac_grant, object_id text DEFAULT NULL, creator_id bigint DEFAULT NULL)
RETURNS boolean AS 'MODULE_PATHNAME' LANGUAGE C STABLE PARALLEL SAFE;
REVOKE EXECUTE ON FUNCTION pg_catalog.phrbac_user_can(bigint, bigint, pg_catalog.phrbac_grant, text, bigint) FROM PUBLIC;
COMMENT ON FUNCTION pg_catalog.phrbac_user_can(bigint, bigint, pg_catalog.phrbac_grant, text, bigint) IS
'does a user hold want in the project; for database roles granted it and for organization admins';

CREATE FUNCTION pg_catalog.phrbac_require(project_id bigint, want pg_catalog.phrbac_grant, object_id text DEFAULT NULL, creator_id bigint DEFAULT NULL)
RETURNS void AS 'MODULE_PATHNAME' LANGUAGE C STABLE PARALLEL SAFE;
COMMENT ON FUNCTION pg_catalog.phrbac_require(bigint, pg_catalog.phrbac_grant, text, bigint) IS
'raises insufficient_privilege unless the principal holds want';

CREATE FUNCTION pg_catalog.phrbac_project_role(project_id bigint)
RETURNS pg_catalog.phrbac_role AS 'MODULE_PATHNAME' LANGUAGE C STABLE PARALLEL SAFE;
CREATE FUNCTION pg_catalog.phrbac_org_role(organization_id bigint)
RETURNS pg_catalog.phrbac_role AS 'MODULE_PATHNAME' LANGUAGE C STABLE PARALLEL SAFE;
COMMENT ON FUNCTION pg_catalog.phrbac_project_role(bigint) IS
'the principal''s level in the project (admin for organization admins)';
COMMENT ON FUNCTION pg_catalog.phrbac_org_role(bigint) IS
'the principal''s level in the organization';

CREATE FUNCTION pg_catalog.phrbac_projects(want pg_catalog.phrbac_grant)
RETURNS bigint[] AS 'MODULE_PATHNAME' LANGUAGE C STABLE PARALLEL SAFE;
COMMENT ON FUNCTION pg_catalog.phrbac_projects(pg_catalog.phrbac_grant) IS
'the projects where the principal holds want resource-wide, in id order';

CREATE FUNCTION pg_catalog.phrbac_decision(user_id bigint, project_id bigint, want pg_catalog.phrbac_grant, object_id text DEFAULT NULL, creator_id bigint DEFAULT NULL,
	OUT allowed boolean, OUT access pg_catalog.phrbac_grant, OUT source text, OUT subject text, OUT row_id bigint)
RETURNS record AS 'MODULE_PATHNAME' LANGUAGE C STABLE PARALLEL SAFE;
REVOKE EXECUTE ON FUNCTION pg_catalog.phrbac_decision(bigint, bigint, pg_catalog.phrbac_grant, text, bigint) FROM PUBLIC;
COMMENT ON FUNCTION pg_catalog.phrbac_decision(bigint, bigint, pg_catalog.phrbac_grant, text, bigint) IS
'the whole decision for a user: allowed, effective access, deciding step, subject and row';

CREATE FUNCTION pg_catalog.phrbac_explain(user_id bigint, project_id bigint, want pg_catalog.phrbac_grant, object_id text DEFAULT NULL, creator_id bigint DEFAULT NULL)
RETURNS jsonb
LANGUAGE sql STABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
	SELECT pg_catalog.jsonb_build_object(
		'allowed', d.allowed,
		'access', d.access::text,
		'source', d.source,
		'subject', d.subject,
		'row_id', d.row_id,
		'reason', CASE d.source
			WHEN 'api_key' THEN 'the API key does not allow it'
			WHEN 'org_membership' THEN 'the user is not an active member of the project''s organization'
			WHEN 'sso' THEN 'the organization requires SSO login'
			WHEN 'creator' THEN 'the user created this object'
			WHEN 'org_admin' THEN 'organization admins and owners have full access'
			WHEN 'project' THEN 'the user has no access to the project (' OPERATOR(pg_catalog.||) d.subject OPERATOR(pg_catalog.||) ')'
			WHEN 'project_admin' THEN 'project admins have full access to the project (' OPERATOR(pg_catalog.||) d.subject OPERATOR(pg_catalog.||) ')'
			WHEN 'object' THEN 'an access rule on this object for ' OPERATOR(pg_catalog.||) d.subject OPERATOR(pg_catalog.||) ' gives ' OPERATOR(pg_catalog.||) d.access::text
			WHEN 'resource' THEN 'a project-wide access rule for ' OPERATOR(pg_catalog.||) d.subject OPERATOR(pg_catalog.||) ' gives ' OPERATOR(pg_catalog.||) d.access::text
			WHEN 'organization' THEN 'an organization-wide access rule for ' OPERATOR(pg_catalog.||) d.subject OPERATOR(pg_catalog.||) ' gives ' OPERATOR(pg_catalog.||) d.access::text
			ELSE 'no access rule applies, so project members get ' OPERATOR(pg_catalog.||) d.access::text
		END)
	FROM pg_catalog.phrbac_decision(user_id, project_id, want, object_id, creator_id) AS d
$$;
REVOKE EXECUTE ON FUNCTION pg_catalog.phrbac_explain(bigint, bigint, pg_catalog.phrbac_grant, text, bigint) FROM PUBLIC;
COMMENT ON FUNCTION pg_catalog.phrbac_explain(bigint, bigint, pg_catalog.phrbac_grant, text, bigint) IS
'why a user is allowed or denied: the deciding step, subject and row, and a sentence';

CREATE FUNCTION pg_catalog.phrbac_access_matrix(organization_id bigint)
RETURNS TABLE (user_id bigint, email text, project_id bigint, project text, resource text,
               access pg_catalog.phrbac_grant, source text)
LANGUAGE sql STABLE PARALLEL SAFE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
	SELECT m.user_id, u.email, p.id, p.name, r.resource, d.access, d.source
	FROM phrbac.organization_members AS m
	JOIN phrbac.users AS u ON u.id OPERATOR(pg_catalog.=) m.user_id
	JOIN phrbac.projects AS p ON p.organization_id OPERATOR(pg_catalog.=) m.organization_id
	CROSS JOIN pg_catalog.phrbac_resources() AS r(resource)
	CROSS JOIN LATERAL pg_catalog.phrbac_decision(
		m.user_id, p.id,
		(r.resource OPERATOR(pg_catalog.||) ':viewer')::pg_catalog.phrbac_grant) AS d
	WHERE m.organization_id OPERATOR(pg_catalog.=) $1
	ORDER BY m.user_id, p.id, r.resource
$$;
REVOKE EXECUTE ON FUNCTION pg_catalog.phrbac_access_matrix(bigint) FROM PUBLIC;
COMMENT ON FUNCTION pg_catalog.phrbac_access_matrix(bigint) IS
'every member x project x resource of an organization with the effective access and its source';

--------------------------------------------------------------------------
-- Who may change access (SPEC 4.1), enforced on plain DML
--------------------------------------------------------------------------
--
-- With a principal set, changes follow PostHog's rules; without one, only
-- the table privileges a database role holds apply (DBA maintenance).  The
-- same-organization checks and the last-owner invariant hold always.

CREATE FUNCTION phrbac.organization_name(organization bigint)
RETURNS text
LANGUAGE sql STABLE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
	SELECT name FROM phrbac.organizations WHERE id OPERATOR(pg_catalog.=) organization
$$;

-- Raises 42501 unless there is no principal or it is an admin or owner of
-- the organization.  A row whose organization is already gone is being
-- removed by a cascade from that deletion, which was checked itself.
CREATE FUNCTION phrbac.require_org_admin(organization bigint, what text)
RETURNS void
LANGUAGE plpgsql STABLE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
	IF pg_catalog.phrbac_principal_user_id() IS NOT NULL
	   AND EXISTS (SELECT 1 FROM phrbac.organizations AS o WHERE o.id OPERATOR(pg_catalog.=) organization)
	   AND pg_catalog.phrbac_org_role(organization) OPERATOR(pg_catalog.<) 'admin' THEN
		RAISE EXCEPTION 'only organization admins can change % in organization "%"',
			what, phrbac.organization_name(organization)
			USING ERRCODE = 'insufficient_privilege';
	END IF;
END
$$;

-- Raises 42501 unless there is no principal, or it is an admin of the
-- project or of its organization.  A row whose project is already gone is
-- being removed by a cascade from that deletion, which was checked itself.
CREATE FUNCTION phrbac.require_project_admin(project bigint, what text)
RETURNS void
LANGUAGE plpgsql STABLE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
	IF pg_catalog.phrbac_principal_user_id() IS NOT NULL
	   AND EXISTS (SELECT 1 FROM phrbac.projects AS p WHERE p.id OPERATOR(pg_catalog.=) project)
	   AND pg_catalog.phrbac_project_role(project) OPERATOR(pg_catalog.<) 'admin' THEN
		RAISE EXCEPTION 'only organization admins and project admins can change % in project "%"',
			what, (SELECT p.name FROM phrbac.projects AS p WHERE p.id OPERATOR(pg_catalog.=) project)
			USING ERRCODE = 'insufficient_privilege';
	END IF;
END
$$;

-- Raises 23514 when a referenced project, role or user is not of the row's
-- organization (the composite foreign keys back this up).
CREATE FUNCTION phrbac.require_same_organization(organization bigint, project bigint, role bigint, member bigint)
RETURNS void
LANGUAGE plpgsql STABLE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
	IF project IS NOT NULL AND NOT EXISTS (
		SELECT 1 FROM phrbac.projects AS p
		WHERE p.id OPERATOR(pg_catalog.=) project
		  AND p.organization_id OPERATOR(pg_catalog.=) organization) THEN
		RAISE EXCEPTION 'project % is not in organization "%"',
			project, phrbac.organization_name(organization)
			USING ERRCODE = 'check_violation';
	END IF;
	IF role IS NOT NULL AND NOT EXISTS (
		SELECT 1 FROM phrbac.roles AS r
		WHERE r.id OPERATOR(pg_catalog.=) role
		  AND r.organization_id OPERATOR(pg_catalog.=) organization) THEN
		RAISE EXCEPTION 'role % is not in organization "%"',
			role, phrbac.organization_name(organization)
			USING ERRCODE = 'check_violation';
	END IF;
	IF member IS NOT NULL AND NOT EXISTS (
		SELECT 1 FROM phrbac.organization_members AS m
		WHERE m.user_id OPERATOR(pg_catalog.=) member
		  AND m.organization_id OPERATOR(pg_catalog.=) organization) THEN
		RAISE EXCEPTION 'user % is not a member of organization "%"',
			member, phrbac.organization_name(organization)
			USING ERRCODE = 'check_violation';
	END IF;
END
$$;

CREATE FUNCTION phrbac.guard_users()
RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	principal bigint := pg_catalog.phrbac_principal_user_id();
BEGIN
	IF principal IS NULL THEN
		RETURN CASE WHEN TG_OP OPERATOR(pg_catalog.=) 'DELETE' THEN OLD ELSE NEW END;
	END IF;
	IF TG_OP OPERATOR(pg_catalog.=) 'UPDATE'
	   AND OLD.id OPERATOR(pg_catalog.=) principal
	   AND NEW.id OPERATOR(pg_catalog.=) OLD.id
	   AND NEW.is_active OPERATOR(pg_catalog.=) OLD.is_active
	   AND NEW.db_role IS NOT DISTINCT FROM OLD.db_role THEN
		RETURN NEW;				-- users edit their own name and email
	END IF;
	RAISE EXCEPTION 'users are created, deactivated and removed by the database administrator or SSO provisioning'
		USING ERRCODE = 'insufficient_privilege';
END
$$;

CREATE FUNCTION phrbac.guard_organizations()
RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
	IF TG_OP OPERATOR(pg_catalog.=) 'INSERT' THEN
		RETURN NEW;				-- anyone may found an organization
	END IF;
	IF TG_OP OPERATOR(pg_catalog.=) 'DELETE' THEN
		IF pg_catalog.phrbac_principal_user_id() IS NOT NULL
		   AND pg_catalog.phrbac_org_role(OLD.id) OPERATOR(pg_catalog.<) 'owner' THEN
			RAISE EXCEPTION 'only owners can delete organization "%"', OLD.name
				USING ERRCODE = 'insufficient_privilege';
		END IF;
		RETURN OLD;
	END IF;
	PERFORM phrbac.require_org_admin(OLD.id, 'the settings');
	RETURN NEW;
END
$$;

CREATE FUNCTION phrbac.guard_organization_members()
RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	principal bigint := pg_catalog.phrbac_principal_user_id();
	org bigint := CASE WHEN TG_OP OPERATOR(pg_catalog.=) 'DELETE' THEN OLD.organization_id ELSE NEW.organization_id END;
	own_level pg_catalog.phrbac_role := pg_catalog.phrbac_org_role(org);
	founding boolean;
BEGIN
	IF principal IS NOT NULL THEN
		-- The founder (creator) of an organization with no members yet makes
		-- themself its owner.
		founding := TG_OP OPERATOR(pg_catalog.=) 'INSERT'
			AND NEW.user_id OPERATOR(pg_catalog.=) principal
			AND EXISTS (SELECT 1 FROM phrbac.organizations
			            WHERE id OPERATOR(pg_catalog.=) org
			              AND created_by OPERATOR(pg_catalog.=) principal)
			AND NOT EXISTS (SELECT 1 FROM phrbac.organization_members
			                WHERE organization_id OPERATOR(pg_catalog.=) org);
		IF TG_OP OPERATOR(pg_catalog.=) 'DELETE' AND OLD.user_id OPERATOR(pg_catalog.=) principal THEN
			NULL;				-- anyone may leave (the last owner check below still holds)
		ELSIF NOT founding THEN
			PERFORM phrbac.require_org_admin(org, 'members');
			IF TG_OP OPERATOR(pg_catalog.=) 'UPDATE'
			   AND OLD.user_id OPERATOR(pg_catalog.=) principal
			   AND NEW.role OPERATOR(pg_catalog.<>) OLD.role THEN
				RAISE EXCEPTION 'you cannot change your own organization role'
					USING ERRCODE = 'insufficient_privilege';
			END IF;
			IF TG_OP OPERATOR(pg_catalog.<>) 'INSERT' AND OLD.role OPERATOR(pg_catalog.=) 'owner'
			   AND own_level OPERATOR(pg_catalog.<) 'owner' THEN
				RAISE EXCEPTION 'only owners can change or remove an owner of organization "%"',
					phrbac.organization_name(org)
					USING ERRCODE = 'insufficient_privilege';
			END IF;
			IF TG_OP OPERATOR(pg_catalog.<>) 'DELETE' AND NEW.role OPERATOR(pg_catalog.>) own_level THEN
				RAISE EXCEPTION 'you cannot grant a level above your own (%)', own_level
					USING ERRCODE = 'insufficient_privilege',
					      HINT = 'Only owners can make an owner.';
			END IF;
		END IF;
	END IF;

	-- The last owner stays, unless the organization itself is going.
	IF TG_OP OPERATOR(pg_catalog.<>) 'INSERT'
	   AND OLD.role OPERATOR(pg_catalog.=) 'owner'
	   AND (TG_OP OPERATOR(pg_catalog.=) 'DELETE'
	        OR NEW.role OPERATOR(pg_catalog.<>) 'owner'
	        OR NEW.organization_id OPERATOR(pg_catalog.<>) OLD.organization_id)
	   AND EXISTS (SELECT 1 FROM phrbac.organizations WHERE id OPERATOR(pg_catalog.=) OLD.organization_id)
	   AND NOT EXISTS (
		SELECT 1 FROM phrbac.organization_members AS m
		WHERE m.organization_id OPERATOR(pg_catalog.=) OLD.organization_id
		  AND m.id OPERATOR(pg_catalog.<>) OLD.id
		  AND m.role OPERATOR(pg_catalog.=) 'owner'
		  AND (m.expires_at IS NULL OR m.expires_at OPERATOR(pg_catalog.>) pg_catalog.now())
		FOR UPDATE) THEN
		RAISE EXCEPTION 'organization "%" must keep at least one owner',
			phrbac.organization_name(OLD.organization_id)
			USING ERRCODE = 'check_violation';
	END IF;
	RETURN CASE WHEN TG_OP OPERATOR(pg_catalog.=) 'DELETE' THEN OLD ELSE NEW END;
END
$$;

CREATE FUNCTION phrbac.guard_organization_rows()
RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	what text := pg_catalog.replace(TG_TABLE_NAME, '_', ' ');
BEGIN
	IF TG_OP OPERATOR(pg_catalog.<>) 'INSERT' THEN
		PERFORM phrbac.require_org_admin(OLD.organization_id, what);
	END IF;
	IF TG_OP OPERATOR(pg_catalog.<>) 'DELETE' THEN
		PERFORM phrbac.require_org_admin(NEW.organization_id, what);
		RETURN NEW;
	END IF;
	RETURN OLD;
END
$$;

CREATE FUNCTION phrbac.guard_role_members()
RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
	IF TG_OP OPERATOR(pg_catalog.<>) 'DELETE' THEN
		IF NEW.organization_id IS NULL THEN
			NEW.organization_id := (SELECT organization_id FROM phrbac.roles WHERE id OPERATOR(pg_catalog.=) NEW.role_id);
		END IF;
		PERFORM phrbac.require_same_organization(NEW.organization_id, NULL, NEW.role_id, NEW.user_id);
		PERFORM phrbac.require_org_admin(NEW.organization_id, 'role members');
	END IF;
	IF TG_OP OPERATOR(pg_catalog.<>) 'INSERT' THEN
		PERFORM phrbac.require_org_admin(OLD.organization_id, 'role members');
	END IF;
	RETURN CASE WHEN TG_OP OPERATOR(pg_catalog.=) 'DELETE' THEN OLD ELSE NEW END;
END
$$;

CREATE FUNCTION phrbac.guard_project_members()
RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	own_level pg_catalog.phrbac_role;
BEGIN
	IF TG_OP OPERATOR(pg_catalog.<>) 'DELETE' THEN
		IF NEW.organization_id IS NULL THEN
			NEW.organization_id := (SELECT organization_id FROM phrbac.projects WHERE id OPERATOR(pg_catalog.=) NEW.project_id);
		END IF;
		PERFORM phrbac.require_same_organization(NEW.organization_id, NEW.project_id, NEW.role_id, NEW.user_id);
		PERFORM phrbac.require_project_admin(NEW.project_id, 'members');
		own_level := pg_catalog.phrbac_project_role(NEW.project_id);
		IF pg_catalog.phrbac_principal_user_id() IS NOT NULL AND NEW.role OPERATOR(pg_catalog.>) own_level THEN
			RAISE EXCEPTION 'you cannot grant a level above your own (%)', own_level
				USING ERRCODE = 'insufficient_privilege';
		END IF;
	END IF;
	IF TG_OP OPERATOR(pg_catalog.<>) 'INSERT' THEN
		PERFORM phrbac.require_project_admin(OLD.project_id, 'members');
	END IF;
	RETURN CASE WHEN TG_OP OPERATOR(pg_catalog.=) 'DELETE' THEN OLD ELSE NEW END;
END
$$;

CREATE FUNCTION phrbac.guard_access_rules()
RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
	IF TG_OP OPERATOR(pg_catalog.<>) 'DELETE' THEN
		IF NEW.organization_id IS NULL THEN
			NEW.organization_id := (SELECT organization_id FROM phrbac.projects WHERE id OPERATOR(pg_catalog.=) NEW.project_id);
		END IF;
		IF NOT pg_catalog.phrbac_grant_takes_rules(NEW.access) THEN
			RAISE EXCEPTION 'resource "%" takes no access rules', pg_catalog.phrbac_grant_resource(NEW.access)
				USING ERRCODE = 'check_violation',
				      HINT = 'Its access comes from organization and project membership levels.';
		END IF;
		PERFORM phrbac.require_same_organization(NEW.organization_id, NEW.project_id, NEW.role_id, NEW.user_id);
		IF NEW.project_id IS NULL THEN
			PERFORM phrbac.require_org_admin(NEW.organization_id, 'organization-wide access rules');
		ELSE
			PERFORM phrbac.require_project_admin(NEW.project_id, 'access rules');
		END IF;
	END IF;
	IF TG_OP OPERATOR(pg_catalog.<>) 'INSERT' THEN
		IF OLD.project_id IS NULL THEN
			PERFORM phrbac.require_org_admin(OLD.organization_id, 'organization-wide access rules');
		ELSE
			PERFORM phrbac.require_project_admin(OLD.project_id, 'access rules');
		END IF;
	END IF;
	RETURN CASE WHEN TG_OP OPERATOR(pg_catalog.=) 'DELETE' THEN OLD ELSE NEW END;
END
$$;

CREATE FUNCTION phrbac.guard_sso_group_mappings()
RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
	IF TG_OP OPERATOR(pg_catalog.<>) 'DELETE' THEN
		PERFORM phrbac.require_same_organization(NEW.organization_id, NULL, NEW.role_id, NULL);
		-- a mapping makes owners at login: only an owner may write one
		IF NEW.org_role OPERATOR(pg_catalog.=) 'owner'
		   AND pg_catalog.phrbac_principal_user_id() IS NOT NULL
		   AND pg_catalog.phrbac_org_role(NEW.organization_id) OPERATOR(pg_catalog.<) 'owner' THEN
			RAISE EXCEPTION 'only owners can map an identity provider group to owner'
				USING ERRCODE = 'insufficient_privilege';
		END IF;
	END IF;
	RETURN CASE WHEN TG_OP OPERATOR(pg_catalog.=) 'DELETE' THEN OLD ELSE NEW END;
END
$$;

CREATE TRIGGER guard BEFORE INSERT OR UPDATE OR DELETE ON phrbac.users
	FOR EACH ROW EXECUTE FUNCTION phrbac.guard_users();
CREATE TRIGGER guard BEFORE UPDATE OR DELETE OR INSERT ON phrbac.organizations
	FOR EACH ROW EXECUTE FUNCTION phrbac.guard_organizations();
CREATE TRIGGER guard BEFORE INSERT OR UPDATE OR DELETE ON phrbac.projects
	FOR EACH ROW EXECUTE FUNCTION phrbac.guard_organization_rows();
CREATE TRIGGER guard BEFORE INSERT OR UPDATE OR DELETE ON phrbac.organization_members
	FOR EACH ROW EXECUTE FUNCTION phrbac.guard_organization_members();
CREATE TRIGGER guard BEFORE INSERT OR UPDATE OR DELETE ON phrbac.roles
	FOR EACH ROW EXECUTE FUNCTION phrbac.guard_organization_rows();
CREATE TRIGGER guard BEFORE INSERT OR UPDATE OR DELETE ON phrbac.role_members
	FOR EACH ROW EXECUTE FUNCTION phrbac.guard_role_members();
CREATE TRIGGER guard BEFORE INSERT OR UPDATE OR DELETE ON phrbac.project_members
	FOR EACH ROW EXECUTE FUNCTION phrbac.guard_project_members();
CREATE TRIGGER guard BEFORE INSERT OR UPDATE OR DELETE ON phrbac.access_rules
	FOR EACH ROW EXECUTE FUNCTION phrbac.guard_access_rules();
CREATE TRIGGER guard BEFORE INSERT OR UPDATE OR DELETE ON phrbac.sso_group_mappings
	FOR EACH ROW EXECUTE FUNCTION phrbac.guard_organization_rows();
CREATE TRIGGER same_organization BEFORE INSERT OR UPDATE ON phrbac.sso_group_mappings
	FOR EACH ROW EXECUTE FUNCTION phrbac.guard_sso_group_mappings();

-- While a principal is set, keys change only through phrbac's functions.
CREATE FUNCTION phrbac.guard_api_keys()
RETURNS trigger AS 'MODULE_PATHNAME', 'phrbac_guard_api_keys' LANGUAGE C;
CREATE TRIGGER guard BEFORE INSERT OR UPDATE ON phrbac.api_keys
	FOR EACH ROW EXECUTE FUNCTION phrbac.guard_api_keys();

--------------------------------------------------------------------------
-- Cache invalidation and pg_dump
--------------------------------------------------------------------------

CREATE FUNCTION phrbac.catalog_changed()
RETURNS trigger AS 'MODULE_PATHNAME', 'phrbac_catalog_changed' LANGUAGE C;

-- The audit trigger of the catalog and of protected tables (audit.c).
CREATE FUNCTION pg_catalog.phrbac_audit_trigger()
RETURNS trigger AS 'MODULE_PATHNAME', 'phrbac_audit_trigger' LANGUAGE C;

-- Through an API key, a change to the catalog also needs the key's write
-- scope on what the table holds.
CREATE FUNCTION phrbac.guard_key_writes()
RETURNS trigger AS 'MODULE_PATHNAME', 'phrbac_guard_key_writes' LANGUAGE C;

DO $$
DECLARE
	t text;
BEGIN
	FOR t IN SELECT c.relname FROM pg_catalog.pg_class AS c
	         WHERE c.relnamespace OPERATOR(pg_catalog.=) 'phrbac'::pg_catalog.regnamespace
	           AND c.relkind OPERATOR(pg_catalog.=) 'r'
	LOOP
		-- an authentication's last_used_at stamp is no news to any cache
		EXECUTE pg_catalog.format(
			'CREATE TRIGGER catalog_changed AFTER INSERT OR UPDATE %s OR DELETE OR TRUNCATE ON phrbac.%I'
			' FOR EACH STATEMENT EXECUTE FUNCTION phrbac.catalog_changed()',
			CASE t WHEN 'api_keys' THEN
				'OF user_id, mask_value, secure_value, scopes, scoped_projects,'
				'   scoped_organizations, last_rolled_at, expires_at, revoked_at'
			ELSE '' END, t);
		IF t OPERATOR(pg_catalog.<>) 'api_keys' THEN
			EXECUTE pg_catalog.format(
				'CREATE TRIGGER key_scope BEFORE INSERT OR UPDATE OR DELETE OR TRUNCATE ON phrbac.%I'
				' FOR EACH STATEMENT EXECUTE FUNCTION phrbac.guard_key_writes()', t);
		END IF;
		EXECUTE pg_catalog.format(
			'CREATE TRIGGER audit AFTER INSERT OR UPDATE OR DELETE ON phrbac.%I'
			' FOR EACH ROW EXECUTE FUNCTION pg_catalog.phrbac_audit_trigger(%L)', t,
			CASE t WHEN 'users' THEN 'User'
			       WHEN 'organizations' THEN 'Organization'
			       WHEN 'organization_members' THEN 'OrganizationMembership'
			       WHEN 'projects' THEN 'Project'
			       WHEN 'roles' THEN 'Role'
			       WHEN 'role_members' THEN 'Role'
			       WHEN 'api_keys' THEN 'PersonalAPIKey'
			       WHEN 'sso_group_mappings' THEN 'Organization'
			       ELSE 'AccessControl' END);
		PERFORM pg_catalog.pg_extension_config_dump(pg_catalog.format('phrbac.%I', t)::pg_catalog.regclass, '');
		PERFORM pg_catalog.pg_extension_config_dump(
			pg_catalog.pg_get_serial_sequence(pg_catalog.format('phrbac.%I', t), 'id')::pg_catalog.regclass, '');
	END LOOP;
END
$$;

--------------------------------------------------------------------------
-- The audit log (SPEC 6)
--------------------------------------------------------------------------

CREATE TABLE phrbac.audit_log (
	id               bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
	created_at       timestamptz NOT NULL,
	organization_id  bigint,
	project_id       bigint,
	user_id          bigint,
	api_key_id       bigint,
	db_user          name NOT NULL,
	scope            text NOT NULL,
	activity         text NOT NULL,
	item_id          text,
	detail           jsonb NOT NULL,
	prev_hash        text NOT NULL,
	hash             text NOT NULL
);
COMMENT ON TABLE phrbac.audit_log IS
'every change to access, append-only; each organization''s rows form a SHA-256 hash chain';
-- the head of each chain, for the writer, and an organization's recent
-- changes (ids grow with time); one item's history; one person's actions
CREATE INDEX audit_log_chain ON phrbac.audit_log (organization_id, id);
CREATE INDEX ON phrbac.audit_log (scope, item_id, created_at);
CREATE INDEX ON phrbac.audit_log (user_id, created_at);
SELECT pg_catalog.pg_extension_config_dump('phrbac.audit_log', '');
SELECT pg_catalog.pg_extension_config_dump('phrbac.audit_log_id_seq', '');

CREATE FUNCTION phrbac.audit_guard()
RETURNS trigger AS 'MODULE_PATHNAME', 'phrbac_audit_guard' LANGUAGE C;
CREATE TRIGGER append_only BEFORE INSERT OR UPDATE OR DELETE OR TRUNCATE ON phrbac.audit_log
	FOR EACH STATEMENT EXECUTE FUNCTION phrbac.audit_guard();

CREATE FUNCTION pg_catalog.phrbac_audit_verify(organization_id bigint DEFAULT NULL)
RETURNS TABLE (organization_id bigint, rows_checked bigint, first_bad_id bigint)
AS 'MODULE_PATHNAME' LANGUAGE C STABLE PARALLEL RESTRICTED;
COMMENT ON FUNCTION pg_catalog.phrbac_audit_verify(bigint) IS
'walks each audit chain (NULL organization: the chain of rows with none) and names the first row whose hash does not match';

CREATE FUNCTION pg_catalog.phrbac_audit_prune(before timestamptz)
RETURNS bigint AS 'MODULE_PATHNAME' LANGUAGE C VOLATILE PARALLEL UNSAFE;
REVOKE EXECUTE ON FUNCTION pg_catalog.phrbac_audit_prune(timestamptz) FROM PUBLIC;
COMMENT ON FUNCTION pg_catalog.phrbac_audit_prune(timestamptz) IS
'removes audit rows older than before and leaves a checkpoint per chain, so the rest still verifies';

--------------------------------------------------------------------------
-- Protecting application tables (SPEC 5)
--------------------------------------------------------------------------

CREATE FUNCTION pg_catalog.phrbac_projects_reachable(want pg_catalog.phrbac_grant)
RETURNS bigint[] AS 'MODULE_PATHNAME' LANGUAGE C STABLE PARALLEL SAFE;
COMMENT ON FUNCTION pg_catalog.phrbac_projects_reachable(pg_catalog.phrbac_grant) IS
'the projects where the principal may hold want on some object: resource-wide, or through an object rule';

-- What phrbac_protect() did to a table is kept in the comments of the
-- policies it wrote (jsonb), so it lives and dies with them: pg_dump keeps
-- it, DROP TABLE removes it, and only the table's owner can change it.
CREATE VIEW phrbac.protected_tables AS
	SELECT p.polrelid::pg_catalog.regclass AS tbl,
	       m.resource, m.project_column, m.object_column, m.creator_column, m.audit, m.form,
	       m.rls_was_enabled, m.rls_was_forced
	FROM pg_catalog.pg_policy AS p
	JOIN pg_catalog.pg_description AS d
	  ON d.objoid OPERATOR(pg_catalog.=) p.oid
	 AND d.classoid OPERATOR(pg_catalog.=) 'pg_catalog.pg_policy'::pg_catalog.regclass
	CROSS JOIN LATERAL pg_catalog.jsonb_to_record(d.description::pg_catalog.jsonb OPERATOR(pg_catalog.->) 'protection')
		AS m(resource text, project_column name, object_column name, creator_column name,
		     audit boolean, form text, rls_was_enabled boolean, rls_was_forced boolean)
	WHERE p.polname OPERATOR(pg_catalog.=) 'phrbac_select';
COMMENT ON VIEW phrbac.protected_tables IS
'tables whose rows phrbac''s policies guard, and the row-level security state unprotect restores';
-- Nothing here that pg_policy does not already show everyone.
GRANT SELECT ON phrbac.protected_tables TO PUBLIC;

-- phrbac_protect() and phrbac_unprotect() run with the caller's privileges:
-- only a table's owner may change its policies.  They read no phrbac table,
-- so the owner needs no privilege on schema phrbac.
--
-- The predicate of each policy, in the standard form: the projects the
-- principal may reach come from a sub-select, which PostgreSQL evaluates
-- once per statement (an InitPlan; the cast makes it an array rather than a
-- sub-query for ANY) and uses as an index key.  With an object column, rows
-- of those projects are also asked of phrbac_can(), which remembers each
-- project's answer and decides again only for objects an object rule
-- names; the creator arm is an index key on the creator column.  The citus form has no sub-query (Citus
-- refuses them in policies on distributed tables): phrbac_can() for every
-- row.  INSERT gets no creator bypass: a new row's creator is whatever the
-- inserter writes.  Moving a row to another project is creating it there:
-- the trigger phrbac_moves asks for create in the new project, so a creator
-- cannot carry their objects into a project closed to them.
-- The trigger phrbac_protect() puts on a table's project column: while a
-- principal is set, moving a row to another project needs create there.
-- Arguments: the project column, and the grant to create in the resource.
CREATE FUNCTION pg_catalog.phrbac_guard_moves()
RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	moved_to text := pg_catalog.to_jsonb(NEW) OPERATOR(pg_catalog.->>) TG_ARGV[0];
BEGIN
	IF pg_catalog.phrbac_principal_user_id() IS NOT NULL
	   AND moved_to IS DISTINCT FROM (pg_catalog.to_jsonb(OLD) OPERATOR(pg_catalog.->>) TG_ARGV[0])
	   AND NOT pg_catalog.phrbac_can(moved_to::bigint, TG_ARGV[1]::pg_catalog.phrbac_grant) THEN
		RAISE EXCEPTION 'you cannot move a row of "%" into project %', TG_TABLE_NAME, moved_to
			USING ERRCODE = 'insufficient_privilege',
			      DETAIL = pg_catalog.format('Moving a row needs %s in the project it moves to.', TG_ARGV[1]);
	END IF;
	RETURN NEW;
END
$$;

CREATE FUNCTION pg_catalog.phrbac_protect(tbl pg_catalog.regclass, resource text,
	project_column name DEFAULT 'project_id', object_column name DEFAULT NULL,
	creator_column name DEFAULT NULL, audit boolean DEFAULT true, form text DEFAULT 'standard')
RETURNS void
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	table_name name;
	kind "char";
	rls_enabled boolean;
	rls_forced boolean;
	previous jsonb;
	protection jsonb;
	col record;
	command text;
	want text;
	object_text text;
	exact text;
	predicate text;
BEGIN
	SELECT c.relname, c.relkind, c.relrowsecurity, c.relforcerowsecurity
	INTO table_name, kind, rls_enabled, rls_forced
	FROM pg_catalog.pg_class AS c WHERE c.oid OPERATOR(pg_catalog.=) tbl;
	IF kind OPERATOR(pg_catalog.<>) ALL (ARRAY['r', 'p']::"char"[]) THEN
		RAISE EXCEPTION '"%" is not a table', table_name
			USING ERRCODE = 'wrong_object_type',
			      HINT = 'Protect the tables it reads; a view made WITH (security_invoker = true) then applies their policies.';
	END IF;
	IF form IS NULL OR form OPERATOR(pg_catalog.<>) ALL (ARRAY['standard', 'citus']) THEN
		RAISE EXCEPTION 'invalid policy form: "%"', form
			USING ERRCODE = 'invalid_parameter_value',
			      HINT = 'Use "standard", or "citus" for Citus distributed tables.';
	END IF;
	resource := pg_catalog.phrbac_grant_resource((resource OPERATOR(pg_catalog.||) ':view')::pg_catalog.phrbac_grant);
	IF resource OPERATOR(pg_catalog.=) '*' THEN
		RAISE EXCEPTION 'a table holds one resource, not "*"'
			USING ERRCODE = 'invalid_parameter_value';
	END IF;
	FOR col IN SELECT * FROM (VALUES (project_column, 'project', true),
	                                 (object_column, 'object', false),
	                                 (creator_column, 'creator', true)) AS v(name, what, ids)
	           WHERE v.name IS NOT NULL LOOP
		IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_attribute AS a
		               WHERE a.attrelid OPERATOR(pg_catalog.=) tbl AND a.attname OPERATOR(pg_catalog.=) col.name
		                 AND a.attnum OPERATOR(pg_catalog.>) 0 AND NOT a.attisdropped) THEN
			RAISE EXCEPTION 'column "%" does not exist in table "%"', col.name, table_name
				USING ERRCODE = 'undefined_column',
				      HINT = pg_catalog.format('Name the table''s %s column with %s_column => ...', col.what, col.what);
		END IF;
		IF col.ids AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_attribute AS a
		                           WHERE a.attrelid OPERATOR(pg_catalog.=) tbl AND a.attname OPERATOR(pg_catalog.=) col.name
		                             AND a.atttypid OPERATOR(pg_catalog.=) ANY (ARRAY['int2', 'int4', 'int8']::pg_catalog.regtype[])) THEN
			RAISE EXCEPTION 'column "%" of table "%" is not an integer column', col.name, table_name
				USING ERRCODE = 'datatype_mismatch',
				      DETAIL = pg_catalog.format('The %s column holds phrbac ids, which are bigint.', col.what);
		END IF;
	END LOOP;

	IF audit IS NULL THEN
		RAISE EXCEPTION 'audit must be true or false' USING ERRCODE = 'null_value_not_allowed';
	END IF;
	protection := pg_catalog.jsonb_build_object(
		'resource', resource, 'project_column', project_column, 'object_column', object_column,
		'creator_column', creator_column, 'audit', audit, 'form', form);
	SELECT d.description::pg_catalog.jsonb OPERATOR(pg_catalog.->) 'protection' INTO previous
	FROM pg_catalog.pg_policy AS p
	JOIN pg_catalog.pg_description AS d
	  ON d.objoid OPERATOR(pg_catalog.=) p.oid
	 AND d.classoid OPERATOR(pg_catalog.=) 'pg_catalog.pg_policy'::pg_catalog.regclass
	WHERE p.polrelid OPERATOR(pg_catalog.=) tbl AND p.polname OPERATOR(pg_catalog.=) 'phrbac_select';
	IF previous IS NOT NULL THEN
		IF previous OPERATOR(pg_catalog.@>) protection THEN
			RETURN;				-- protecting twice changes nothing
		END IF;
		rls_enabled := (previous OPERATOR(pg_catalog.->>) 'rls_was_enabled')::boolean;
		rls_forced := (previous OPERATOR(pg_catalog.->>) 'rls_was_forced')::boolean;
	END IF;
	protection := protection OPERATOR(pg_catalog.||) pg_catalog.jsonb_build_object(
		'rls_was_enabled', rls_enabled, 'rls_was_forced', rls_forced);

	FOREACH command IN ARRAY ARRAY['select', 'insert', 'update', 'delete'] LOOP
		want := pg_catalog.format('%L::pg_catalog.phrbac_grant', pg_catalog.format('%s:%s', resource,
			CASE command WHEN 'select' THEN 'view' WHEN 'insert' THEN 'create'
			             WHEN 'update' THEN 'edit' ELSE 'delete' END));
		object_text := CASE WHEN object_column IS NULL THEN 'NULL'
		               ELSE pg_catalog.format('%I::text', object_column) END;
		exact := pg_catalog.format('pg_catalog.phrbac_can(%I, %s, %s, %s)', project_column, want, object_text,
			CASE WHEN creator_column IS NULL OR command OPERATOR(pg_catalog.=) 'insert' THEN 'NULL'
			     ELSE pg_catalog.format('%I', creator_column) END);
		IF form OPERATOR(pg_catalog.=) 'citus' THEN
			predicate := exact;
		ELSIF object_column IS NULL THEN
			predicate := pg_catalog.format(
				'%I OPERATOR(pg_catalog.=) ANY ((SELECT pg_catalog.phrbac_projects(%s))::bigint[])',
				project_column, want);
		ELSE
			predicate := pg_catalog.format(
				'%I OPERATOR(pg_catalog.=) ANY ((SELECT pg_catalog.phrbac_projects_reachable(%s))::bigint[]) AND %s',
				project_column, want, exact);
		END IF;
		IF form OPERATOR(pg_catalog.=) 'standard' AND creator_column IS NOT NULL
		   AND command OPERATOR(pg_catalog.<>) 'insert' THEN
			predicate := pg_catalog.format(
				'(%s) OR (%I OPERATOR(pg_catalog.=) pg_catalog.phrbac_principal_user_id() AND %s)',
				predicate, creator_column, exact);
		END IF;

		IF previous IS NOT NULL THEN
			EXECUTE pg_catalog.format('DROP POLICY %I ON %s', 'phrbac_' OPERATOR(pg_catalog.||) command, tbl);
		END IF;
		EXECUTE pg_catalog.format('CREATE POLICY %I ON %s FOR %s TO PUBLIC %s',
			'phrbac_' OPERATOR(pg_catalog.||) command, tbl, command,
			CASE command
			WHEN 'insert' THEN pg_catalog.format('WITH CHECK (%s)', predicate)
			WHEN 'update' THEN pg_catalog.format('USING (%1$s) WITH CHECK (%1$s)', predicate)
			ELSE pg_catalog.format('USING (%s)', predicate) END);
		EXECUTE pg_catalog.format('COMMENT ON POLICY %I ON %s IS %L',
			'phrbac_' OPERATOR(pg_catalog.||) command, tbl,
			pg_catalog.jsonb_build_object('needs', pg_catalog.format('%s:%s', resource,
				CASE command WHEN 'select' THEN 'view' WHEN 'insert' THEN 'create'
				             WHEN 'update' THEN 'edit' ELSE 'delete' END),
				'protection', protection));
	END LOOP;
	IF previous IS NOT NULL THEN
		EXECUTE pg_catalog.format('DROP TRIGGER phrbac_moves ON %s', tbl);
		EXECUTE pg_catalog.format('DROP TRIGGER IF EXISTS phrbac_audit ON %s', tbl);
	END IF;
	IF audit THEN
		-- the audit scope in PostHog's spelling: feature_flag -> FeatureFlag
		EXECUTE pg_catalog.format('CREATE TRIGGER phrbac_audit AFTER INSERT OR UPDATE OR DELETE ON %s'
			' FOR EACH ROW EXECUTE FUNCTION pg_catalog.phrbac_audit_trigger(%L, %L)', tbl,
			pg_catalog.replace(pg_catalog.initcap(pg_catalog.replace(resource, '_', ' ')), ' ', ''),
			project_column);
	END IF;
	EXECUTE pg_catalog.format('CREATE TRIGGER phrbac_moves BEFORE UPDATE OF %I ON %s FOR EACH ROW'
		' EXECUTE FUNCTION pg_catalog.phrbac_guard_moves(%L, %L)',
		project_column, tbl, project_column, resource OPERATOR(pg_catalog.||) ':create');
	EXECUTE pg_catalog.format('ALTER TABLE %s ENABLE ROW LEVEL SECURITY', tbl);
	EXECUTE pg_catalog.format('ALTER TABLE %s FORCE ROW LEVEL SECURITY', tbl);

	IF EXISTS (SELECT 1 FROM pg_catalog.pg_roles AS r
	           WHERE r.rolname OPERATOR(pg_catalog.=) CURRENT_USER AND (r.rolsuper OR r.rolbypassrls)) THEN
		RAISE NOTICE 'role "%" bypasses row-level security and sees every row of "%"', CURRENT_USER, table_name
			USING HINT = 'Check access as the application''s role, which must not be a superuser or have BYPASSRLS.';
	END IF;
END
$$;
COMMENT ON FUNCTION pg_catalog.phrbac_protect(pg_catalog.regclass, text, name, name, name, boolean, text) IS
'guards a table with row-level security policies that ask phrbac, one per command';

CREATE FUNCTION pg_catalog.phrbac_unprotect(tbl pg_catalog.regclass)
RETURNS void
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	previous jsonb;
	command text;
BEGIN
	SELECT d.description::pg_catalog.jsonb OPERATOR(pg_catalog.->) 'protection' INTO previous
	FROM pg_catalog.pg_policy AS p
	JOIN pg_catalog.pg_description AS d
	  ON d.objoid OPERATOR(pg_catalog.=) p.oid
	 AND d.classoid OPERATOR(pg_catalog.=) 'pg_catalog.pg_policy'::pg_catalog.regclass
	WHERE p.polrelid OPERATOR(pg_catalog.=) tbl AND p.polname OPERATOR(pg_catalog.=) 'phrbac_select';
	IF previous IS NULL THEN
		RAISE EXCEPTION 'table "%" is not protected by phrbac',
			(SELECT c.relname FROM pg_catalog.pg_class AS c WHERE c.oid OPERATOR(pg_catalog.=) tbl)
			USING ERRCODE = 'undefined_object';
	END IF;
	FOREACH command IN ARRAY ARRAY['select', 'insert', 'update', 'delete'] LOOP
		EXECUTE pg_catalog.format('DROP POLICY IF EXISTS %I ON %s', 'phrbac_' OPERATOR(pg_catalog.||) command, tbl);
	END LOOP;
	EXECUTE pg_catalog.format('DROP TRIGGER IF EXISTS phrbac_moves ON %s', tbl);
	EXECUTE pg_catalog.format('DROP TRIGGER IF EXISTS phrbac_audit ON %s', tbl);
	IF NOT (previous OPERATOR(pg_catalog.->>) 'rls_was_forced')::boolean THEN
		EXECUTE pg_catalog.format('ALTER TABLE %s NO FORCE ROW LEVEL SECURITY', tbl);
	END IF;
	IF NOT (previous OPERATOR(pg_catalog.->>) 'rls_was_enabled')::boolean THEN
		EXECUTE pg_catalog.format('ALTER TABLE %s DISABLE ROW LEVEL SECURITY', tbl);
	END IF;
END
$$;
COMMENT ON FUNCTION pg_catalog.phrbac_unprotect(pg_catalog.regclass) IS
'removes exactly what phrbac_protect added';

--------------------------------------------------------------------------
-- Governance (SPEC 7): SSO login, access review, offboarding
--------------------------------------------------------------------------
--
-- phrbac_sso_login() and phrbac_offboard() are C (src/governance.c): each
-- runs its body below through fmgr and labels every audit row the body
-- causes with the act ("sso_provisioned", "offboarded").  The bodies'
-- EXECUTE is revoked from PUBLIC: nobody runs them unlabelled.

-- The identity provider has vouched for login_email: provision the user on
-- first login (just-in-time), make sure they are a member of the
-- organization (member, or what their groups map to if that is more), and
-- make their memberships of the roles the organization maps IdP groups to
-- follow idp_groups.  Runs as the extension's owner with no principal set:
-- the IdP's word is the authority, as a DBA's is.  Never lowers an
-- organization level, never touches expires_at, never revives a
-- deactivated user.
CREATE FUNCTION phrbac.sso_login_steps(login_email text, login_organization bigint, idp_groups text[])
RETURNS bigint
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	login_user phrbac.users;
	mapped_role pg_catalog.phrbac_role;
BEGIN
	IF NOT EXISTS (SELECT FROM phrbac.organizations AS o WHERE o.id OPERATOR(pg_catalog.=) login_organization) THEN
		RAISE EXCEPTION 'organization % does not exist', login_organization
			USING ERRCODE = 'undefined_object';
	END IF;
	IF login_email OPERATOR(pg_catalog.!~) '^[^@[:space:]]+@[^@[:space:]]+$' THEN
		RAISE EXCEPTION 'invalid email: "%"', login_email
			USING ERRCODE = 'invalid_parameter_value';
	END IF;

	INSERT INTO phrbac.users (email) VALUES (login_email)
	ON CONFLICT ((pg_catalog.lower(email))) DO NOTHING;
	SELECT * INTO login_user FROM phrbac.users AS u
	WHERE pg_catalog.lower(u.email) OPERATOR(pg_catalog.=) pg_catalog.lower(login_email);
	IF NOT login_user.is_active THEN
		RAISE EXCEPTION 'user "%" is deactivated', login_user.email
			USING ERRCODE = 'invalid_authorization_specification';
	END IF;

	SELECT pg_catalog.max(m.org_role) INTO mapped_role
	FROM phrbac.sso_group_mappings AS m
	WHERE m.organization_id OPERATOR(pg_catalog.=) login_organization
	  AND m.idp_group OPERATOR(pg_catalog.=) ANY (idp_groups);
	INSERT INTO phrbac.organization_members AS om (organization_id, user_id, role, reason)
	VALUES (login_organization, login_user.id,
	        coalesce(mapped_role, 'member'),
	        'provisioned by SSO login')
	ON CONFLICT (organization_id, user_id) DO UPDATE SET role = EXCLUDED.role
	WHERE om.role OPERATOR(pg_catalog.<) EXCLUDED.role;

	INSERT INTO phrbac.role_members (organization_id, role_id, user_id, reason)
	SELECT login_organization, m.role_id, login_user.id,
	       'IdP group ' OPERATOR(pg_catalog.||) pg_catalog.min(m.idp_group)
	FROM phrbac.sso_group_mappings AS m
	WHERE m.organization_id OPERATOR(pg_catalog.=) login_organization
	  AND m.role_id IS NOT NULL
	  AND m.idp_group OPERATOR(pg_catalog.=) ANY (idp_groups)
	GROUP BY m.role_id
	ON CONFLICT (role_id, user_id) DO NOTHING;

	DELETE FROM phrbac.role_members AS rm
	WHERE rm.user_id OPERATOR(pg_catalog.=) login_user.id
	  AND rm.organization_id OPERATOR(pg_catalog.=) login_organization
	  AND rm.role_id IN (SELECT m.role_id FROM phrbac.sso_group_mappings AS m
	                     WHERE m.organization_id OPERATOR(pg_catalog.=) login_organization)
	  AND rm.role_id NOT IN (SELECT m.role_id FROM phrbac.sso_group_mappings AS m
	                         WHERE m.organization_id OPERATOR(pg_catalog.=) login_organization
	                           AND m.role_id IS NOT NULL
	                           AND m.idp_group OPERATOR(pg_catalog.=) ANY (idp_groups));
	RETURN login_user.id;
END
$$;
REVOKE EXECUTE ON FUNCTION phrbac.sso_login_steps(text, bigint, text[]) FROM PUBLIC;

CREATE FUNCTION pg_catalog.phrbac_sso_login(email text, organization_id bigint,
	idp_groups text[] DEFAULT '{}', is_local boolean DEFAULT true)
RETURNS bigint AS 'MODULE_PATHNAME' LANGUAGE C VOLATILE PARALLEL UNSAFE;
REVOKE EXECUTE ON FUNCTION pg_catalog.phrbac_sso_login(text, bigint, text[], boolean) FROM PUBLIC;
COMMENT ON FUNCTION pg_catalog.phrbac_sso_login(text, bigint, text[], boolean) IS
'after the IdP vouched for email: provisions the user, syncs their mapped roles and makes them the principal (auth method saml); returns the user id; for trusted back ends only';

-- Offboarding one user from one organization, with the caller's privileges
-- and principal: every step is a plain statement that the catalog's
-- triggers check (an admin of the organization, an owner to remove an
-- owner, never the last owner) and audit.  Keys go first, while the user is
-- still a member and their organization admins may revoke them; then the
-- creator columns of protected tables, rules, project and role
-- memberships, and the organization membership last.
CREATE FUNCTION phrbac.offboard_steps(leaving bigint, organization bigint, transfer_to bigint)
RETURNS jsonb
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	organization_name text := phrbac.organization_name(organization);
	summary jsonb;
	transferred jsonb := '{}';
	protected record;
	moved bigint;
	keys bigint[];
	rules bigint;
	project_memberships bigint;
	role_memberships bigint;
BEGIN
	IF organization_name IS NULL THEN
		RAISE EXCEPTION 'organization % does not exist', organization
			USING ERRCODE = 'undefined_object';
	END IF;
	PERFORM phrbac.require_org_admin(organization, 'members');
	IF NOT EXISTS (SELECT FROM phrbac.organization_members AS m
	               WHERE m.organization_id OPERATOR(pg_catalog.=) organization
	                 AND m.user_id OPERATOR(pg_catalog.=) leaving) THEN
		RAISE EXCEPTION 'user % is not a member of organization "%"', leaving, organization_name
			USING ERRCODE = 'invalid_parameter_value';
	END IF;
	IF transfer_to OPERATOR(pg_catalog.=) leaving THEN
		RAISE EXCEPTION 'cannot transfer user %''s objects to themselves', leaving
			USING ERRCODE = 'invalid_parameter_value';
	END IF;
	IF transfer_to IS NOT NULL AND NOT EXISTS (
		SELECT FROM phrbac.organization_members AS m
		JOIN phrbac.users AS u ON u.id OPERATOR(pg_catalog.=) m.user_id
		WHERE m.organization_id OPERATOR(pg_catalog.=) organization
		  AND m.user_id OPERATOR(pg_catalog.=) transfer_to
		  AND u.is_active
		  AND (m.expires_at IS NULL OR m.expires_at OPERATOR(pg_catalog.>) pg_catalog.statement_timestamp())) THEN
		RAISE EXCEPTION 'cannot transfer to user %: not an active member of organization "%"',
			transfer_to, organization_name
			USING ERRCODE = 'invalid_parameter_value';
	END IF;

	SELECT pg_catalog.array_agg(k.id ORDER BY k.id) INTO keys FROM phrbac.api_keys AS k
	WHERE k.user_id OPERATOR(pg_catalog.=) leaving
	  AND k.revoked_at IS NULL
	  AND (k.scoped_organizations IS NULL OR organization OPERATOR(pg_catalog.=) ANY (k.scoped_organizations))
	  AND (k.scoped_projects IS NULL OR EXISTS (
	       SELECT FROM phrbac.projects AS p
	       WHERE p.organization_id OPERATOR(pg_catalog.=) organization
	         AND p.id OPERATOR(pg_catalog.=) ANY (k.scoped_projects)));
	-- With a principal, keys change only through phrbac_revoke_api_key().
	IF pg_catalog.phrbac_principal_user_id() IS NULL THEN
		UPDATE phrbac.api_keys SET revoked_at = pg_catalog.now()
		WHERE id OPERATOR(pg_catalog.=) ANY (keys);
	ELSE
		PERFORM pg_catalog.phrbac_revoke_api_key(key_id) FROM pg_catalog.unnest(keys) AS key_id;
	END IF;

	IF transfer_to IS NOT NULL THEN
		FOR protected IN
			SELECT t.tbl, t.project_column, t.creator_column
			FROM phrbac.protected_tables AS t
			WHERE t.creator_column IS NOT NULL
			ORDER BY t.tbl::pg_catalog.text
		LOOP
			EXECUTE pg_catalog.format(
				'UPDATE %s SET %I = $1 WHERE %I OPERATOR(pg_catalog.=) $2 AND %I OPERATOR(pg_catalog.=) ANY ($3)',
				protected.tbl, protected.creator_column, protected.creator_column, protected.project_column)
			USING transfer_to, leaving,
			      ARRAY(SELECT p.id FROM phrbac.projects AS p
			            WHERE p.organization_id OPERATOR(pg_catalog.=) organization);
			GET DIAGNOSTICS moved = ROW_COUNT;
			transferred := transferred OPERATOR(pg_catalog.||)
				pg_catalog.jsonb_build_object(protected.tbl::pg_catalog.text, moved);
		END LOOP;
	END IF;

	DELETE FROM phrbac.access_rules AS r
	WHERE r.user_id OPERATOR(pg_catalog.=) leaving AND r.organization_id OPERATOR(pg_catalog.=) organization;
	GET DIAGNOSTICS rules = ROW_COUNT;
	DELETE FROM phrbac.project_members AS pm
	WHERE pm.user_id OPERATOR(pg_catalog.=) leaving AND pm.organization_id OPERATOR(pg_catalog.=) organization;
	GET DIAGNOSTICS project_memberships = ROW_COUNT;
	DELETE FROM phrbac.role_members AS rm
	WHERE rm.user_id OPERATOR(pg_catalog.=) leaving AND rm.organization_id OPERATOR(pg_catalog.=) organization;
	GET DIAGNOSTICS role_memberships = ROW_COUNT;
	DELETE FROM phrbac.organization_members AS m
	WHERE m.user_id OPERATOR(pg_catalog.=) leaving AND m.organization_id OPERATOR(pg_catalog.=) organization;

	RETURN pg_catalog.jsonb_build_object(
		'user_id', leaving,
		'organization_id', organization,
		'api_keys_revoked', coalesce(pg_catalog.cardinality(keys), 0),
		'access_rules_removed', rules,
		'project_memberships_removed', project_memberships,
		'role_memberships_removed', role_memberships,
		'organization_membership_removed', true,
		'transferred_to', transfer_to,
		'rows_transferred', transferred);
END
$$;
REVOKE EXECUTE ON FUNCTION phrbac.offboard_steps(bigint, bigint, bigint) FROM PUBLIC;

CREATE FUNCTION pg_catalog.phrbac_offboard(user_id bigint, organization_id bigint, transfer_to bigint DEFAULT NULL)
RETURNS jsonb AS 'MODULE_PATHNAME' LANGUAGE C VOLATILE PARALLEL UNSAFE;
COMMENT ON FUNCTION pg_catalog.phrbac_offboard(bigint, bigint, bigint) IS
'removes a user from an organization: keys that reach it revoked, creator columns handed to transfer_to, rules and memberships removed; returns what it did';

-- The quarterly access review: one row per finding about one user's access
-- in one organization.  A grant can be listed more than once (an owner with
-- no reason on record is "owner" and "no_reason").  Readable by whoever the
-- DBA grants SELECT to, like the catalog itself.
CREATE VIEW phrbac.access_review AS
WITH access AS (
	SELECT m.user_id, m.organization_id, 'organization_member'::text AS access, m.id AS access_id,
	       m.role::text AS detail, m.role AS level, m.reason, m.created_at, m.expires_at,
	       NULL::timestamptz AS last_used_at
	FROM phrbac.organization_members AS m
	UNION ALL
	SELECT pm.user_id, pm.organization_id, 'project_member', pm.id,
	       pm.role::text OPERATOR(pg_catalog.||) ' in ' OPERATOR(pg_catalog.||) p.name,
	       pm.role, pm.reason, pm.created_at, pm.expires_at, NULL
	FROM phrbac.project_members AS pm
	JOIN phrbac.projects AS p ON p.id OPERATOR(pg_catalog.=) pm.project_id
	WHERE pm.user_id IS NOT NULL
	UNION ALL
	SELECT rm.user_id, rm.organization_id, 'role_member', rm.id, r.name,
	       NULL, rm.reason, rm.created_at, rm.expires_at, NULL
	FROM phrbac.role_members AS rm
	JOIN phrbac.roles AS r ON r.id OPERATOR(pg_catalog.=) rm.role_id
	UNION ALL
	SELECT ar.user_id, ar.organization_id, 'access_rule', ar.id,
	       ar.access::text OPERATOR(pg_catalog.||) ' in '
	           OPERATOR(pg_catalog.||) coalesce(p.name, 'every project'),
	       NULL, ar.reason, ar.created_at, ar.expires_at, NULL
	FROM phrbac.access_rules AS ar
	LEFT JOIN phrbac.projects AS p ON p.id OPERATOR(pg_catalog.=) ar.project_id
	WHERE ar.user_id IS NOT NULL
	UNION ALL
	SELECT k.user_id, m.organization_id, 'api_key', k.id,
	       k.label OPERATOR(pg_catalog.||) ' (' OPERATOR(pg_catalog.||) k.mask_value OPERATOR(pg_catalog.||) ')',
	       NULL, NULL, k.created_at, k.expires_at, k.last_used_at
	FROM phrbac.api_keys AS k
	JOIN phrbac.organization_members AS m ON m.user_id OPERATOR(pg_catalog.=) k.user_id
	-- the keys that reach the organization, written out as in offboard_steps:
	-- a shared function would read the catalog with the reader's privileges
	WHERE k.revoked_at IS NULL
	  AND (k.scoped_organizations IS NULL OR m.organization_id OPERATOR(pg_catalog.=) ANY (k.scoped_organizations))
	  AND (k.scoped_projects IS NULL OR EXISTS (
	       SELECT FROM phrbac.projects AS p
	       WHERE p.organization_id OPERATOR(pg_catalog.=) m.organization_id
	         AND p.id OPERATOR(pg_catalog.=) ANY (k.scoped_projects)))
)
SELECT a.user_id, u.email, a.organization_id, o.name AS organization,
       a.access, a.access_id, a.detail, f.finding, a.reason,
       a.created_at AS granted_at, a.expires_at, a.last_used_at
FROM access AS a
JOIN phrbac.users AS u ON u.id OPERATOR(pg_catalog.=) a.user_id
JOIN phrbac.organizations AS o ON o.id OPERATOR(pg_catalog.=) a.organization_id
CROSS JOIN LATERAL (VALUES
	(CASE WHEN a.expires_at OPERATOR(pg_catalog.<=) pg_catalog.now() THEN 'expired'
	      WHEN a.expires_at OPERATOR(pg_catalog.<=) (pg_catalog.now() OPERATOR(pg_catalog.+) '30 days'::interval)
	      THEN 'expires_soon' END),
	(CASE WHEN a.level OPERATOR(pg_catalog.=) 'owner' THEN 'owner'
	      WHEN a.level OPERATOR(pg_catalog.=) 'admin' THEN 'admin' END),
	(CASE WHEN a.access OPERATOR(pg_catalog.<>) 'api_key'
	       AND coalesce(pg_catalog.btrim(a.reason), '') OPERATOR(pg_catalog.=) '' THEN 'no_reason' END),
	(CASE WHEN a.access OPERATOR(pg_catalog.=) 'api_key'
	       AND coalesce(a.last_used_at, a.created_at)
	           OPERATOR(pg_catalog.<) (pg_catalog.now() OPERATOR(pg_catalog.-) '90 days'::interval)
	      THEN 'key_unused_90_days' END)
) AS f(finding)
WHERE f.finding IS NOT NULL;
COMMENT ON VIEW phrbac.access_review IS
'the quarterly access review: expired and soon-expiring access, admins and owners, access without a reason, keys unused for 90 days';
