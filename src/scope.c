/*
 * scope.c
 *     The phrbac_scope type (API key scopes: "feature_flag:read", "*") and
 *     the checks of a key's scope array against a request.
 *
 * The stored layout is in datum.h.  Binary format: a version byte,
 * the resource name as a string, the access as one byte.
 */
#include "postgres.h"

#include "catalog/pg_type_d.h"
#include "common/hashfn.h"
#include "fmgr.h"
#include "libpq/pqformat.h"
#include "utils/array.h"
#include "utils/builtins.h"

#include "comparison.h"
#include "core/resource.h"
#include "core/scope.h"
#include "core/spelling.h"
#include "datum.h"
#include "literal_error.h"

PG_FUNCTION_INFO_V1(phrbac_scope_in);
Datum
phrbac_scope_in(PG_FUNCTION_ARGS)
{
	const char *text = PG_GETARG_CSTRING(0);
	PhrbacScope scope;
	PhrbacParseError err;

	if (phrbac_scope_parse(text, strlen(text), &scope, &err) != PHRBAC_OK)
		phrbac_report_invalid_literal(PHRBAC_LITERAL_SCOPE, text, &err);
	return PhrbacScopeGetDatum(&scope);
}

PG_FUNCTION_INFO_V1(phrbac_scope_out);
Datum
phrbac_scope_out(PG_FUNCTION_ARGS)
{
	PhrbacScope scope = DatumGetPhrbacScope(PG_GETARG_DATUM(0));
	char	   *text = palloc(PHRBAC_SCOPE_TEXT_MAX);

	phrbac_scope_format(&scope, text);
	PG_RETURN_CSTRING(text);
}

PG_FUNCTION_INFO_V1(phrbac_scope_recv);
Datum
phrbac_scope_recv(PG_FUNCTION_ARGS)
{
	StringInfo	buf = (StringInfo) PG_GETARG_POINTER(0);
	const char *resource;
	PhrbacScope scope;
	PhrbacStatus status;

	phrbac_check_binary_version(PHRBAC_LITERAL_SCOPE, pq_getmsgbyte(buf));
	resource = pq_getmsgstring(buf);
	scope.resource = phrbac_resource_lookup(resource, strlen(resource));
	scope.access = pq_getmsgbyte(buf);

	status = phrbac_scope_validate(&scope);
	if (status == PHRBAC_UNKNOWN_ACTION)
		phrbac_report_invalid_binary(PHRBAC_LITERAL_SCOPE, status,
									 psprintf("%d", scope.access));
	if (status != PHRBAC_OK)
		phrbac_report_invalid_binary(PHRBAC_LITERAL_SCOPE, status,
									 phrbac_excerpt(resource, strlen(resource)));
	return PhrbacScopeGetDatum(&scope);
}

PG_FUNCTION_INFO_V1(phrbac_scope_send);
Datum
phrbac_scope_send(PG_FUNCTION_ARGS)
{
	PhrbacScope scope = DatumGetPhrbacScope(PG_GETARG_DATUM(0));
	StringInfoData buf;

	pq_begintypsend(&buf);
	pq_sendbyte(&buf, PHRBAC_BINARY_VERSION);
	pq_sendstring(&buf, phrbac_resource_name(scope.resource));
	pq_sendbyte(&buf, (uint8) scope.access);
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

static int
scope_compare(FunctionCallInfo fcinfo)
{
	PhrbacScope a = DatumGetPhrbacScope(PG_GETARG_DATUM(0));
	PhrbacScope b = DatumGetPhrbacScope(PG_GETARG_DATUM(1));

	return phrbac_scope_compare(&a, &b);
}

PHRBAC_COMPARISON_FUNCTIONS(phrbac_scope, scope_compare)

PG_FUNCTION_INFO_V1(phrbac_scope_cmp);
Datum
phrbac_scope_cmp(PG_FUNCTION_ARGS)
{
	PG_RETURN_INT32(scope_compare(fcinfo));
}

PG_FUNCTION_INFO_V1(phrbac_scope_hash);
Datum
phrbac_scope_hash(PG_FUNCTION_ARGS)
{
	return hash_uint32((uint32) PG_GETARG_INT32(0));
}

PG_FUNCTION_INFO_V1(phrbac_scope_hash_extended);
Datum
phrbac_scope_hash_extended(PG_FUNCTION_ARGS)
{
	return hash_uint32_extended((uint32) PG_GETARG_INT32(0), PG_GETARG_INT64(1));
}

/* True when some non-NULL scope of the array covers want. */
static bool
scopes_cover(ArrayType *scopes, const PhrbacScope *want)
{
	ArrayIterator iterator = array_create_iterator(scopes, 0, NULL);
	Datum		element;
	bool		isnull;
	bool		covered = false;

	while (!covered && array_iterate(iterator, &element, &isnull))
	{
		PhrbacScope have;

		if (isnull)
			continue;
		have = DatumGetPhrbacScope(element);
		covered = phrbac_scope_covers(&have, want);
	}
	array_free_iterator(iterator);
	return covered;
}

/* phrbac_scope[] @> phrbac_scope: the key's scopes allow this scope. */
PG_FUNCTION_INFO_V1(phrbac_scopes_contain);
Datum
phrbac_scopes_contain(PG_FUNCTION_ARGS)
{
	ArrayType  *scopes = PG_GETARG_ARRAYTYPE_P(0);
	PhrbacScope want = DatumGetPhrbacScope(PG_GETARG_DATUM(1));

	PG_RETURN_BOOL(scopes_cover(scopes, &want));
}

/* The resource id of a name given to a function, or a 22P02 error. */
static int
resource_argument(text *name)
{
	char	   *resource = text_to_cstring(name);
	size_t		len = strlen(resource);
	int			id = phrbac_resource_lookup(resource, len);
	const char *closest;

	if (id >= 0)
		return id;
	closest = phrbac_resource_closest(resource, len);
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
			 errmsg("invalid resource: \"%s\"", phrbac_excerpt(resource, len)),
			 closest ? errhint("Did you mean \"%s\"?", closest) : 0));
	pg_unreachable();
}

/* The words scope_access_argument() accepts, for "Did you mean" hints. */
static const char *const action_argument_words[] = {
	"view", "create", "edit", "delete", "manage", "read", "write"
};

/*
 * The scope access an action given to a function needs: view (or read)
 * needs read; create, edit, delete and manage (or write) need write.
 * Anything else is a 22P02 error.
 */
static int
scope_access_argument(text *name)
{
	char	   *action = text_to_cstring(name);
	size_t		len = strlen(action);
	PhrbacActions actions = phrbac_action_lookup(action, len);
	int			access = phrbac_scope_access_lookup(action, len);
	const char *closest;

	if (access != 0)
		return access;
	if (actions != 0)
		return phrbac_scope_access_needed(actions);

	closest = phrbac_closest_word(action, len, action_argument_words,
								  lengthof(action_argument_words));
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
			 errmsg("invalid action: \"%s\"", phrbac_excerpt(action, len)),
			 errdetail("An action is view, create, edit, delete or manage, or a scope access, read or write."),
			 closest ? errhint("Did you mean \"%s\"?", closest) : 0));
	pg_unreachable();
}

/*
 * phrbac_scopes_allow(scopes, resource, action): may a key with these scopes
 * take this action on this resource?
 */
PG_FUNCTION_INFO_V1(phrbac_scopes_allow);
Datum
phrbac_scopes_allow(PG_FUNCTION_ARGS)
{
	ArrayType  *scopes = PG_GETARG_ARRAYTYPE_P(0);
	PhrbacScope want;

	want.resource = resource_argument(PG_GETARG_TEXT_PP(1));
	want.access = scope_access_argument(PG_GETARG_TEXT_PP(2));
	PG_RETURN_BOOL(scopes_cover(scopes, &want));
}
