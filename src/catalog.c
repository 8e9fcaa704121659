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
#include "utils/hsearch.h"
#include "utils/memutils.h"
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

/*
 * The plans of the catalog's queries, by the address of their text: a
 * user's cache fill runs five or six of them, and planning them every time
 * cost more than running them (README, Concepts, "The cache").  Each is
 * planned once, generically: the plan cache's default, a custom plan for
 * each of the first five runs, would plan the fills of a backend's first
 * five users again, 2 ms each.
 */
typedef struct SavedQuery
{
	const char *sql;			/* hash key: the address of a constant */
	SPIPlanPtr	plan;
} SavedQuery;

static HTAB *saved_queries = NULL;

static SPIPlanPtr
saved_plan(const char *sql)
{
	Oid			types[1] = {INT8OID};
	SavedQuery *saved;
	bool		found;

	if (saved_queries == NULL)
	{
		HASHCTL		ctl;

		ctl.keysize = sizeof(const char *);
		ctl.entrysize = sizeof(SavedQuery);
		ctl.hcxt = TopMemoryContext;
		saved_queries = hash_create("phrbac catalog queries", 32, &ctl,
									HASH_ELEM | HASH_BLOBS | HASH_CONTEXT);
	}
	saved = hash_search(saved_queries, &sql, HASH_FIND, NULL);
	if (saved == NULL)
	{
		SPIPlanPtr	plan = SPI_prepare_cursor(sql, 1, types, CURSOR_OPT_GENERIC_PLAN);

		if (plan == NULL || SPI_keepplan(plan) != 0)
			elog(ERROR, "phrbac catalog query failed to prepare: %s", sql);
		saved = hash_search(saved_queries, &sql, HASH_ENTER, &found);
		saved->plan = plan;
	}
	return saved->plan;
}

void
phrbac_catalog_query(const char *sql, int64 id)
{
	Datum		values[1] = {Int64GetDatum(id)};

	if (SPI_execute_plan(saved_plan(sql), values, NULL, true, 0) != SPI_OK_SELECT)
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
