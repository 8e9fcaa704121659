/*
 * datum.h
 *     How each phrbac type is laid out as a Datum, for the files that pass
 *     them between SQL and the core.
 */
#ifndef PHRBAC_DATUM_H
#define PHRBAC_DATUM_H

#include "postgres.h"

#include "compat.h"

#include "core/grant.h"
#include "core/role.h"
#include "core/scope.h"

/* phrbac_role: one byte, the rank. */
#define DatumGetPhrbacRole(d) ((PhrbacRole) DatumGetChar(d))
#define PhrbacRoleGetDatum(r) CharGetDatum((char) (r))

/* phrbac_scope: four bytes, the resource id shifted left by 8, or'ed with the access. */
static inline Datum
PhrbacScopeGetDatum(const PhrbacScope *scope)
{
	return Int32GetDatum((int32) ((scope->resource << 8) | scope->access));
}

static inline PhrbacScope
DatumGetPhrbacScope(Datum datum)
{
	int32		packed = DatumGetInt32(datum);
	PhrbacScope scope = {.resource = packed >> 8, .access = packed & 0xff};

	return scope;
}

/*
 * phrbac_grant: a varlena holding the resource id, the action set, a
 * reserved zero byte, then the object id's bytes (none for a resource-wide
 * grant).  Stored values are canonical, so equal grants have equal bytes.
 */
typedef struct PhrbacGrantData
{
	int32		vl_len_;		/* varlena header (do not touch directly) */
	uint16		resource;
	uint8		actions;
	uint8		reserved;		/* always 0 */
	char		object[FLEXIBLE_ARRAY_MEMBER];
} PhrbacGrantData;

#define PHRBAC_GRANT_HEADER_SIZE offsetof(PhrbacGrantData, object)
#define DatumGetPhrbacGrantData(d) ((PhrbacGrantData *) PG_DETOAST_DATUM(d))

/* A view of a stored grant for the core (object points inside data). */
static inline PhrbacGrant
phrbac_grant_unpack(const PhrbacGrantData *data)
{
	PhrbacGrant grant;

	grant.resource = data->resource;
	grant.actions = data->actions;
	grant.object_len = VARSIZE(data) - PHRBAC_GRANT_HEADER_SIZE;
	grant.object = grant.object_len > 0 ? data->object : NULL;
	return grant;
}

/* A stored grant, palloc'd, from a validated one. */
extern PhrbacGrantData *phrbac_grant_pack(const PhrbacGrant *grant);

#endif							/* PHRBAC_DATUM_H */
