/*
 * catalog.c
 *     Running code as the owner of phrbac's catalog, whoever the caller is,
 *     and reading what its queries return.
 *
 * Code runs as the owner of schema phrbac (normally the superuser who ran
 * CREATE EXTENSION), with search_path pinned to "pg_catalog, pg_temp" and
 * every name qualified, so the caller can neither lack the privilege to
 * read the catalog nor redirect the read (README, "Functions").
 */
#include "postgres.h"

#include "access/htup_details.h"
#include "catalog/namespace.h"
#include "catalog/pg_namespace.h"
#include "catalog/pg_type_d.h"
#include "executor/spi.h"
#include "miscadmin.h"
#include "utils/array.h"
#include "utils/guc.h"
#include "utils/syscache.h"

#include "catalog.h"
#include "citus.h"

#define CATALOG_SCHEMA "phrbac"

/* The role that owns schema phrbac. */
static Oid
catalog_owner(void)
{
	Oid			namespace = get_namespace_oid(CATALOG_SCHEMA, false);
	HeapTuple	tuple = SearchSysCache1(NAMESPACEOID, ObjectIdGetDatum(namespace));
	Oid			owner;

	if (!HeapTupleIsValid(tuple))
		elog(ERROR, "cache lookup failed for namespace %u", namespace);
	owner = ((Form_pg_namespace) GETSTRUCT(tuple))->nspowner;
	ReleaseSysCache(tuple);
	return owner;
}

void
phrbac_as_catalog_owner(void (*fn) (void *arg), void *arg)
{
	Oid			saved_user;
	int			saved_context;
	int			nestlevel;

	GetUserIdAndSecContext(&saved_user, &saved_context);
	SetUserIdAndSecContext(catalog_owner(),
						   saved_context | SECURITY_LOCAL_USERID_CHANGE);
	nestlevel = NewGUCNestLevel();
	PG_TRY();
	{
		(void) set_config_option("search_path", "pg_catalog, pg_temp",
								 PGC_USERSET, PGC_S_SESSION, GUC_ACTION_SAVE,
								 true, 0, false);
		phrbac_citus_allow_catalog_reads();
		if (SPI_connect() != SPI_OK_CONNECT)
			elog(ERROR, "SPI_connect failed");
		fn(arg);
		SPI_finish();
	}
	PG_FINALLY();
	{
		AtEOXact_GUC(true, nestlevel);
		SetUserIdAndSecContext(saved_user, saved_context);
	}
	PG_END_TRY();
}

void
phrbac_catalog_query(const char *sql, int64 id)
{
	Oid			types[1] = {INT8OID};
	Datum		values[1] = {Int64GetDatum(id)};

	if (SPI_execute_with_args(sql, 1, types, values, NULL, true, 0) != SPI_OK_SELECT)
		elog(ERROR, "phrbac catalog query failed: %s", sql);
}

Datum
phrbac_result_datum(int row, int col, bool *isnull)
{
	return SPI_getbinval(SPI_tuptable->vals[row], SPI_tuptable->tupdesc, col,
						 isnull);
}

int64
phrbac_result_int64(int row, int col)
{
	bool		isnull;
	Datum		d = phrbac_result_datum(row, col, &isnull);

	return isnull ? 0 : DatumGetInt64(d);
}

bool
phrbac_result_bool(int row, int col)
{
	bool		isnull;
	Datum		d = phrbac_result_datum(row, col, &isnull);

	return !isnull && DatumGetBool(d);
}

int64 *
phrbac_int8_array(Datum array, int *count, MemoryContext context)
{
	Datum	   *elements;
	int64	   *ids;
	int			i;

	deconstruct_array(DatumGetArrayTypeP(array), INT8OID, sizeof(int64),
					  FLOAT8PASSBYVAL, TYPALIGN_DOUBLE, &elements, NULL, count);
	ids = MemoryContextAlloc(context, sizeof(int64) * (*count + 1));
	for (i = 0; i < *count; i++)
		ids[i] = DatumGetInt64(elements[i]);
	return ids;
}
