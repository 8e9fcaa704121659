/*
 * grant.c
 *     The phrbac_grant type: access to a resource, "feature_flag/42:editor".
 *
 * The stored layout is in datum.h.
 *
 * Binary format: a version byte, the resource name as a string, the action
 * set as one byte (view 1, create 2, edit 4, delete 8, manage 16), the
 * object id as a string ("" for none).
 */
#include "postgres.h"

#include "catalog/pg_type_d.h"
#include "common/hashfn.h"
#include "fmgr.h"
#include "libpq/pqformat.h"
#include "utils/array.h"
#include "utils/builtins.h"

#include "comparison.h"
#include "core/grant.h"
#include "core/resource.h"
#include "datum.h"
#include "literal_error.h"

#define PG_GETARG_PHRBAC_GRANT_P(n) DatumGetPhrbacGrantData(PG_GETARG_DATUM(n))

PhrbacGrantData *
phrbac_grant_pack(const PhrbacGrant *grant)
{
	Size		size = PHRBAC_GRANT_HEADER_SIZE + grant->object_len;
	PhrbacGrantData *data = palloc0(size);

	SET_VARSIZE(data, size);
	data->resource = (uint16) grant->resource;
	data->actions = grant->actions;
	if (grant->object_len > 0)
		memcpy(data->object, grant->object, grant->object_len);
	return data;
}

PG_FUNCTION_INFO_V1(phrbac_grant_in);
Datum
phrbac_grant_in(PG_FUNCTION_ARGS)
{
	const char *text = PG_GETARG_CSTRING(0);
	PhrbacGrant grant;
	PhrbacParseError err;

	if (phrbac_grant_parse(text, strlen(text), &grant, &err) != PHRBAC_OK)
		phrbac_report_invalid_literal(PHRBAC_LITERAL_GRANT, text, &err);
	PG_RETURN_POINTER(phrbac_grant_pack(&grant));
}

PG_FUNCTION_INFO_V1(phrbac_grant_out);
Datum
phrbac_grant_out(PG_FUNCTION_ARGS)
{
	PhrbacGrantData *data = PG_GETARG_PHRBAC_GRANT_P(0);
	PhrbacGrant grant = phrbac_grant_unpack(data);
	char	   *text = palloc(PHRBAC_GRANT_TEXT_MAX);

	phrbac_grant_format(&grant, text);
	PG_RETURN_CSTRING(text);
}

PG_FUNCTION_INFO_V1(phrbac_grant_recv);
Datum
phrbac_grant_recv(PG_FUNCTION_ARGS)
{
	StringInfo	buf = (StringInfo) PG_GETARG_POINTER(0);
	const char *resource;
	const char *object;
	PhrbacGrant grant;
	PhrbacStatus status;

	phrbac_check_binary_version(PHRBAC_LITERAL_GRANT, pq_getmsgbyte(buf));
	resource = pq_getmsgstring(buf);
	grant.resource = phrbac_resource_lookup(resource, strlen(resource));
	grant.actions = (PhrbacActions) pq_getmsgbyte(buf);
	object = pq_getmsgstring(buf);
	grant.object_len = strlen(object);
	grant.object = grant.object_len > 0 ? object : NULL;

	status = phrbac_grant_validate(&grant);
	if (status == PHRBAC_OUT_OF_RANGE)
		phrbac_report_invalid_binary(PHRBAC_LITERAL_GRANT, status,
									 psprintf("Action set 0x%02x", grant.actions));
	if (status == PHRBAC_UNKNOWN_RESOURCE)
		phrbac_report_invalid_binary(PHRBAC_LITERAL_GRANT, status,
									 phrbac_excerpt(resource, strlen(resource)));
	if (status != PHRBAC_OK)
		phrbac_report_invalid_binary(PHRBAC_LITERAL_GRANT, status,
									 phrbac_excerpt(object, strlen(object)));
	PG_RETURN_POINTER(phrbac_grant_pack(&grant));
}

PG_FUNCTION_INFO_V1(phrbac_grant_send);
Datum
phrbac_grant_send(PG_FUNCTION_ARGS)
{
	PhrbacGrantData *data = PG_GETARG_PHRBAC_GRANT_P(0);
	PhrbacGrant grant = phrbac_grant_unpack(data);
	StringInfoData buf;

	pq_begintypsend(&buf);
	pq_sendbyte(&buf, PHRBAC_BINARY_VERSION);
	pq_sendstring(&buf, phrbac_resource_name(grant.resource));
	pq_sendbyte(&buf, grant.actions);
	pq_sendstring(&buf, grant.object ? pnstrdup(grant.object, grant.object_len) : "");
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

/* Compares argument 0 with argument 1, freeing detoasted copies. */
static int
grant_compare(FunctionCallInfo fcinfo)
{
	PhrbacGrantData *a = PG_GETARG_PHRBAC_GRANT_P(0);
	PhrbacGrantData *b = PG_GETARG_PHRBAC_GRANT_P(1);
	PhrbacGrant ga = phrbac_grant_unpack(a);
	PhrbacGrant gb = phrbac_grant_unpack(b);
	int			cmp = phrbac_grant_compare(&ga, &gb);

	PG_FREE_IF_COPY(a, 0);
	PG_FREE_IF_COPY(b, 1);
	return cmp;
}

PHRBAC_COMPARISON_FUNCTIONS(phrbac_grant, grant_compare)

PG_FUNCTION_INFO_V1(phrbac_grant_cmp);
Datum
phrbac_grant_cmp(PG_FUNCTION_ARGS)
{
	PG_RETURN_INT32(grant_compare(fcinfo));
}

/* Stored grants are canonical, so hashing their bytes agrees with =. */
PG_FUNCTION_INFO_V1(phrbac_grant_hash);
Datum
phrbac_grant_hash(PG_FUNCTION_ARGS)
{
	PhrbacGrantData *data = PG_GETARG_PHRBAC_GRANT_P(0);
	Datum		hash = hash_any((unsigned char *) VARDATA(data),
								VARSIZE(data) - VARHDRSZ);

	PG_FREE_IF_COPY(data, 0);
	return hash;
}

PG_FUNCTION_INFO_V1(phrbac_grant_hash_extended);
Datum
phrbac_grant_hash_extended(PG_FUNCTION_ARGS)
{
	PhrbacGrantData *data = PG_GETARG_PHRBAC_GRANT_P(0);
	Datum		hash = hash_any_extended((unsigned char *) VARDATA(data),
										 VARSIZE(data) - VARHDRSZ,
										 PG_GETARG_INT64(1));

	PG_FREE_IF_COPY(data, 0);
	return hash;
}

/* True when argument a covers argument b (see phrbac_grant_covers). */
static bool
grant_covers(FunctionCallInfo fcinfo, int a, int b)
{
	PhrbacGrantData *left = PG_GETARG_PHRBAC_GRANT_P(a);
	PhrbacGrantData *right = PG_GETARG_PHRBAC_GRANT_P(b);
	PhrbacGrant ga = phrbac_grant_unpack(left);
	PhrbacGrant gb = phrbac_grant_unpack(right);

	return phrbac_grant_covers(&ga, &gb);
}

/* grant @> grant */
PG_FUNCTION_INFO_V1(phrbac_grant_contains);
Datum
phrbac_grant_contains(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(grant_covers(fcinfo, 0, 1));
}

/* grant <@ grant */
PG_FUNCTION_INFO_V1(phrbac_grant_contained);
Datum
phrbac_grant_contained(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(grant_covers(fcinfo, 1, 0));
}

PG_FUNCTION_INFO_V1(phrbac_grant_resource);
Datum
phrbac_grant_resource(PG_FUNCTION_ARGS)
{
	PhrbacGrantData *data = PG_GETARG_PHRBAC_GRANT_P(0);

	PG_RETURN_TEXT_P(cstring_to_text(phrbac_resource_name(data->resource)));
}

PG_FUNCTION_INFO_V1(phrbac_grant_object);
Datum
phrbac_grant_object(PG_FUNCTION_ARGS)
{
	PhrbacGrantData *data = PG_GETARG_PHRBAC_GRANT_P(0);
	PhrbacGrant grant = phrbac_grant_unpack(data);

	if (grant.object == NULL)
		PG_RETURN_NULL();
	PG_RETURN_TEXT_P(cstring_to_text_with_len(grant.object,
											  (int) grant.object_len));
}

/* The grant's actions as text[], in the order view, create, edit, delete, manage. */
PG_FUNCTION_INFO_V1(phrbac_grant_actions);
Datum
phrbac_grant_actions(PG_FUNCTION_ARGS)
{
	PhrbacGrantData *data = PG_GETARG_PHRBAC_GRANT_P(0);
	Datum		names[PHRBAC_ACTION_COUNT];
	int			count = 0;
	int			i;

	for (i = 0; i < PHRBAC_ACTION_COUNT; i++)
		if (data->actions & (1u << i))
			names[count++] = CStringGetTextDatum(phrbac_action_name(i));
	PG_RETURN_ARRAYTYPE_P(construct_array(names, count, TEXTOID, -1, false,
										  TYPALIGN_INT));
}

/* False when the grant's resource takes no access rules (its access comes from membership). */
PG_FUNCTION_INFO_V1(phrbac_grant_takes_rules);
Datum
phrbac_grant_takes_rules(PG_FUNCTION_ARGS)
{
	PhrbacGrantData *data = PG_GETARG_PHRBAC_GRANT_P(0);

	PG_RETURN_BOOL(phrbac_resource_takes_rules(data->resource));
}
