/*
 * role.c
 *     The phrbac_role type: membership levels none < viewer < member < admin
 *     < owner, stored as one byte (the rank), with PostHog's integer levels
 *     as casts.
 *
 * Binary format: a version byte, then the rank as one byte.
 */
#include "postgres.h"

#include "common/hashfn.h"
#include "fmgr.h"
#include "libpq/pqformat.h"

#include "comparison.h"
#include "core/role.h"
#include "datum.h"
#include "literal_error.h"

#define PG_GETARG_PHRBAC_ROLE(n) DatumGetPhrbacRole(PG_GETARG_DATUM(n))
#define PG_RETURN_PHRBAC_ROLE(r) return PhrbacRoleGetDatum(r)

PG_FUNCTION_INFO_V1(phrbac_role_in);
Datum
phrbac_role_in(PG_FUNCTION_ARGS)
{
	const char *text = PG_GETARG_CSTRING(0);
	PhrbacRole	role;
	PhrbacParseError err;

	if (phrbac_role_parse(text, strlen(text), &role, &err) != PHRBAC_OK)
		phrbac_report_invalid_literal(PHRBAC_LITERAL_ROLE, text, &err);
	PG_RETURN_PHRBAC_ROLE(role);
}

PG_FUNCTION_INFO_V1(phrbac_role_out);
Datum
phrbac_role_out(PG_FUNCTION_ARGS)
{
	PG_RETURN_CSTRING(pstrdup(phrbac_role_name(PG_GETARG_PHRBAC_ROLE(0))));
}

PG_FUNCTION_INFO_V1(phrbac_role_recv);
Datum
phrbac_role_recv(PG_FUNCTION_ARGS)
{
	StringInfo	buf = (StringInfo) PG_GETARG_POINTER(0);
	int			rank;

	phrbac_check_binary_version(PHRBAC_LITERAL_ROLE, pq_getmsgbyte(buf));
	rank = pq_getmsgbyte(buf);
	if (!phrbac_role_is_valid(rank))
		phrbac_report_invalid_binary(PHRBAC_LITERAL_ROLE, PHRBAC_OUT_OF_RANGE,
									 psprintf("Rank %d", rank));
	PG_RETURN_PHRBAC_ROLE(rank);
}

PG_FUNCTION_INFO_V1(phrbac_role_send);
Datum
phrbac_role_send(PG_FUNCTION_ARGS)
{
	StringInfoData buf;

	pq_begintypsend(&buf);
	pq_sendbyte(&buf, PHRBAC_BINARY_VERSION);
	pq_sendbyte(&buf, (uint8) PG_GETARG_PHRBAC_ROLE(0));
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

static int
role_compare(FunctionCallInfo fcinfo)
{
	PhrbacRole	a = PG_GETARG_PHRBAC_ROLE(0);
	PhrbacRole	b = PG_GETARG_PHRBAC_ROLE(1);

	return (a > b) - (a < b);
}

PHRBAC_COMPARISON_FUNCTIONS(phrbac_role, role_compare)

PG_FUNCTION_INFO_V1(phrbac_role_cmp);
Datum
phrbac_role_cmp(PG_FUNCTION_ARGS)
{
	PG_RETURN_INT32(role_compare(fcinfo));
}

PG_FUNCTION_INFO_V1(phrbac_role_hash);
Datum
phrbac_role_hash(PG_FUNCTION_ARGS)
{
	return hash_uint32((uint32) PG_GETARG_PHRBAC_ROLE(0));
}

PG_FUNCTION_INFO_V1(phrbac_role_hash_extended);
Datum
phrbac_role_hash_extended(PG_FUNCTION_ARGS)
{
	return hash_uint32_extended((uint32) PG_GETARG_PHRBAC_ROLE(0),
								PG_GETARG_INT64(1));
}

/* The state function of max(phrbac_role). */
PG_FUNCTION_INFO_V1(phrbac_role_larger);
Datum
phrbac_role_larger(PG_FUNCTION_ARGS)
{
	PhrbacRole	a = PG_GETARG_PHRBAC_ROLE(0);
	PhrbacRole	b = PG_GETARG_PHRBAC_ROLE(1);

	PG_RETURN_PHRBAC_ROLE(a > b ? a : b);
}

/* The state function of min(phrbac_role). */
PG_FUNCTION_INFO_V1(phrbac_role_smaller);
Datum
phrbac_role_smaller(PG_FUNCTION_ARGS)
{
	PhrbacRole	a = PG_GETARG_PHRBAC_ROLE(0);
	PhrbacRole	b = PG_GETARG_PHRBAC_ROLE(1);

	PG_RETURN_PHRBAC_ROLE(a < b ? a : b);
}

/* integer::phrbac_role: PostHog's levels 0, 1, 8 and 15. */
PG_FUNCTION_INFO_V1(phrbac_role_from_int4);
Datum
phrbac_role_from_int4(PG_FUNCTION_ARGS)
{
	int32		level = PG_GETARG_INT32(0);
	PhrbacRole	role;

	if (!phrbac_role_from_posthog(level, &role))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
				 errmsg("invalid role: %d", level),
				 errdetail("PostHog's levels are 0 (none), 1 (member), 8 (admin) and 15 (owner).")));
	PG_RETURN_PHRBAC_ROLE(role);
}

/* phrbac_role::integer: PostHog's level; viewer has none. */
PG_FUNCTION_INFO_V1(phrbac_role_to_int4);
Datum
phrbac_role_to_int4(PG_FUNCTION_ARGS)
{
	PhrbacRole	role = PG_GETARG_PHRBAC_ROLE(0);
	int			level;

	if (!phrbac_role_to_posthog(role, &level))
		ereport(ERROR,
				(errcode(ERRCODE_CANNOT_COERCE),
				 errmsg("role \"%s\" has no PostHog integer level",
						phrbac_role_name(role)),
				 errdetail("Only none (0), member (1), admin (8) and owner (15) have one.")));
	PG_RETURN_INT32(level);
}
