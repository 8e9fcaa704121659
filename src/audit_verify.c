/*
 * audit_verify.c
 *     phrbac_audit_verify() (README, "Audit log"): walks each chain of the
 *     audit log and names the first row whose hash or link does not match.
 */
#include "postgres.h"

#include "catalog/pg_type_d.h"
#include "executor/spi.h"
#include "fmgr.h"
#include "funcapi.h"
#include "utils/builtins.h"
#include "utils/portal.h"
#include "utils/timestamp.h"

#include "audit.h"
#include "catalog.h"

typedef struct VerifyResult
{
	Tuplestorestate *store;
	TupleDesc	desc;
	bool		one_organization;
	int64		organization_id;
} VerifyResult;

/* Reads the audit row at SPI row i (the log's columns, in order) into row. */
static void
read_row(int i, AuditRow *row, char **prev_hash, char **hash)
{
	TupleDesc	desc = SPI_tuptable->tupdesc;
	HeapTuple	tuple = SPI_tuptable->vals[i];
	bool		isnull;

	row->id = DatumGetInt64(SPI_getbinval(tuple, desc, Anum_audit_log_id, &isnull));
	row->created_at = DatumGetTimestampTz(SPI_getbinval(tuple, desc, Anum_audit_log_created_at, &isnull));
	row->organization_id = DatumGetInt64(SPI_getbinval(tuple, desc, Anum_audit_log_organization_id, &isnull));
	row->has_organization = !isnull;
	row->project_id = DatumGetInt64(SPI_getbinval(tuple, desc, Anum_audit_log_project_id, &isnull));
	row->has_project = !isnull;
	row->user_id = DatumGetInt64(SPI_getbinval(tuple, desc, Anum_audit_log_user_id, &isnull));
	if (isnull)
		row->user_id = 0;
	row->api_key_id = DatumGetInt64(SPI_getbinval(tuple, desc, Anum_audit_log_api_key_id, &isnull));
	if (isnull)
		row->api_key_id = 0;
	row->db_user = SPI_getvalue(tuple, desc, Anum_audit_log_db_user);
	row->scope = SPI_getvalue(tuple, desc, Anum_audit_log_scope);
	row->activity = SPI_getvalue(tuple, desc, Anum_audit_log_activity);
	row->item_id = SPI_getvalue(tuple, desc, Anum_audit_log_item_id);
	row->detail = DatumGetJsonbP(SPI_getbinval(tuple, desc, Anum_audit_log_detail, &isnull));
	*prev_hash = SPI_getvalue(tuple, desc, Anum_audit_log_prev_hash);
	*hash = SPI_getvalue(tuple, desc, Anum_audit_log_hash);
	if (*prev_hash == NULL)
		*prev_hash = "";
}

/* Emits one chain's verdict. */
static void
emit_verdict(VerifyResult *result, bool has_organization, int64 organization_id,
			 int64 rows_checked, int64 first_bad_id)
{
	Datum		values[3] = {Int64GetDatum(organization_id), Int64GetDatum(rows_checked),
	Int64GetDatum(first_bad_id)};
	bool		nulls[3] = {!has_organization, false, first_bad_id == 0};

	tuplestore_putvalues(result->store, result->desc, values, nulls);
}

/*
 * True when a checkpoint row of the chain says prev_hash is the hash of the
 * last row pruned from it: the chain may start there.
 */
static bool
pruned_through(bool has_organization, int64 organization_id, const char *prev_hash)
{
	Oid			types[2] = {INT8OID, TEXTOID};
	Datum		values[2] = {Int64GetDatum(organization_id), CStringGetTextDatum(prev_hash)};
	bool		found;

	if (SPI_execute_with_args(has_organization
							  ? "SELECT 1 FROM phrbac.audit_log WHERE organization_id = $1"
							  "   AND activity = 'pruned' AND detail->>'pruned_through_hash' = $2"
							  : "SELECT 1 FROM phrbac.audit_log WHERE organization_id IS NULL"
							  "   AND $1 IS NOT NULL"
							  "   AND activity = 'pruned' AND detail->>'pruned_through_hash' = $2",
							  2, types, values, NULL, true, 1) != SPI_OK_SELECT)
		elog(ERROR, "could not read the audit log");
	found = SPI_processed > 0;
	SPI_freetuptable(SPI_tuptable);
	return found;
}

/* Where a walk over the chains stands. */
typedef struct ChainWalk
{
	bool		started;
	bool		has_organization;
	int64		organization_id;
	int64		rows_checked;
	int64		first_bad_id;	/* 0: none yet */
	char	   *expected_prev;	/* NULL: at the chain's first row */
	MemoryContext context;		/* where expected_prev lives */
} ChainWalk;

/* Checks one row; a new chain starts when its organization differs. */
static void
walk_row(VerifyResult *result, ChainWalk *walk, AuditRow *row,
		 const char *prev_hash, const char *hash)
{
	if (!walk->started || row->has_organization != walk->has_organization ||
		row->organization_id != walk->organization_id)
	{
		if (walk->started)
			emit_verdict(result, walk->has_organization, walk->organization_id,
						 walk->rows_checked, walk->first_bad_id);
		walk->started = true;
		walk->has_organization = row->has_organization;
		walk->organization_id = row->organization_id;
		walk->rows_checked = 0;
		walk->first_bad_id = 0;
		walk->expected_prev = NULL;
	}
	walk->rows_checked++;
	if (walk->first_bad_id != 0)
		return;
	if (walk->expected_prev == NULL
		? (prev_hash[0] != '\0' &&
		   !pruned_through(row->has_organization, row->organization_id, prev_hash))
		: strcmp(prev_hash, walk->expected_prev) != 0)
		walk->first_bad_id = row->id;
	else if (strcmp(phrbac_audit_hash(prev_hash, row), hash) != 0)
		walk->first_bad_id = row->id;
	else
		walk->expected_prev = MemoryContextStrdup(walk->context, hash);
}

/*
 * Walks every chain (or one organization's) in id order, a batch of rows at
 * a time: each row's hash must cover its content and the hash before it;
 * the first row must start the chain or follow the last row a checkpoint
 * says was pruned.
 */
static void
verify_chains(void *arg)
{
	VerifyResult *result = arg;
	Oid			types[1] = {INT8OID};
	Datum		values[1] = {Int64GetDatum(result->organization_id)};
	ChainWalk	walk = {.context = AllocSetContextCreate(CurrentMemoryContext,
														"phrbac audit verification",
														ALLOCSET_SMALL_SIZES)};
	MemoryContext batch_context = AllocSetContextCreate(CurrentMemoryContext,
														"phrbac audit verification batch",
														ALLOCSET_DEFAULT_SIZES);
	Portal		cursor;

	cursor = SPI_cursor_open_with_args(NULL,
									   psprintf("SELECT id, created_at, organization_id, project_id,"
												" user_id, api_key_id, db_user, scope, activity,"
												" item_id, detail, prev_hash, hash"
												" FROM phrbac.audit_log %s"
												" ORDER BY organization_id NULLS FIRST, id",
												result->one_organization
												? "WHERE organization_id = $1" : ""),
									   result->one_organization ? 1 : 0, types, values,
									   NULL, true, CURSOR_OPT_NO_SCROLL);
	for (;;)
	{
		SPITupleTable *batch;
		uint64		nrows;
		uint64		i;
		MemoryContext old;

		SPI_cursor_fetch(cursor, true, 1000);
		batch = SPI_tuptable;
		nrows = SPI_processed;
		if (nrows == 0)
			break;
		old = MemoryContextSwitchTo(batch_context);
		for (i = 0; i < nrows; i++)
		{
			AuditRow	row;
			char	   *prev_hash;
			char	   *hash;

			SPI_tuptable = batch;	/* a checkpoint lookup may have replaced it */
			read_row((int) i, &row, &prev_hash, &hash);
			walk_row(result, &walk, &row, prev_hash, hash);
		}
		MemoryContextSwitchTo(old);
		MemoryContextReset(batch_context);
		SPI_freetuptable(batch);
	}
	SPI_cursor_close(cursor);
	if (walk.started)
		emit_verdict(result, walk.has_organization, walk.organization_id,
					 walk.rows_checked, walk.first_bad_id);
	MemoryContextDelete(batch_context);
	MemoryContextDelete(walk.context);
}

/*
 * phrbac_audit_verify(organization_id DEFAULT NULL) → TABLE(organization_id,
 * rows_checked, first_bad_id): one row per chain (NULL organization: the
 * chain of rows with none); first_bad_id is NULL when the chain is intact.
 */
PG_FUNCTION_INFO_V1(phrbac_audit_verify);
Datum
phrbac_audit_verify(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	VerifyResult result = {0};

	InitMaterializedSRF(fcinfo, MAT_SRF_USE_EXPECTED_DESC);
	result.store = rsinfo->setResult;
	result.desc = rsinfo->setDesc;
	result.one_organization = !PG_ARGISNULL(0);
	if (result.one_organization)
		result.organization_id = PG_GETARG_INT64(0);
	phrbac_as_catalog_owner(verify_chains, &result);
	return (Datum) 0;
}
