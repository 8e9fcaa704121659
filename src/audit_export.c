/*
 * audit_export.c
 *     phrbac_audit_export(): the audit log a page at a time, oldest first
 *     after a cursor, for SIEM pollers (README, "Exporting the audit log").
 *
 * Design note.  Ids are drawn when a writer flushes, just before it commits,
 * so writers of different chains can commit out of id order: a page that
 * read "every visible row after the cursor" could pass an id that a
 * still-committing writer makes visible a moment later, and the poller
 * would never see it.  A page therefore ends at a bound below which no id
 * can still appear, found without waiting for anyone:
 *
 *   1. L, the last id drawn from audit_log_id_seq.  An id drawn later is
 *      above L.
 *   2. The chains locked now.  A writer locks its chain before it draws an
 *      id and releases it once its commit or abort is visible, so the writer
 *      of an id up to L that is not yet visible still holds its chain here.
 *   3. A snapshot taken now.  In a locked chain, the ids still to come are
 *      above its last visible row h: the chain's writers take turns, each
 *      drawing its ids after the one before it ended.
 *
 * The bound is the least of L and h over the locked chains; the page is the
 * rows of that snapshot after the cursor up to the bound.  When nobody
 * writes, the bound is the last id; a writer that is committing holds the
 * pages back until it is done; a transaction that chained its rows early
 * (audit_write.c) holds them back until it ends.  A standby cannot see the
 * primary's locks: the export runs on the primary only.
 */
#include "postgres.h"

#include "access/xlog.h"
#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "funcapi.h"
#include "utils/builtins.h"
#include "utils/snapmgr.h"

#include "audit.h"
#include "catalog.h"

/* The most rows one page may ask for. */
#define EXPORT_MAX_ROWS 10000

typedef struct Export
{
	int64		after_id;
	int32		max_rows;
	bool		ocsf;
	Tuplestorestate *store;
	TupleDesc	desc;
} Export;

/* Step 1: the last id drawn, and the sequence must hand ids out one by one. */
static int64
last_id_drawn(void)
{
	bool		isnull;
	int64		cache;
	int64		last;

	if (SPI_execute("SELECT s.last_value - CASE WHEN s.is_called THEN 0 ELSE 1 END, p.seqcache"
					" FROM phrbac.audit_log_id_seq AS s, pg_catalog.pg_sequence AS p"
					" WHERE p.seqrelid = 'phrbac.audit_log_id_seq'::pg_catalog.regclass",
					true, 1) != SPI_OK_SELECT || SPI_processed != 1)
		elog(ERROR, "could not read phrbac.audit_log_id_seq");
	last = DatumGetInt64(SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull));
	cache = DatumGetInt64(SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 2, &isnull));
	SPI_freetuptable(SPI_tuptable);
	/* a cache lets a session hold ids below L that it has not drawn yet */
	if (cache != 1)
		ereport(ERROR,
				(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
				 errmsg("phrbac.audit_log_id_seq caches " INT64_FORMAT " ids", cache),
				 errdetail("The export's cursor needs ids drawn one at a time."),
				 errhint("Set it back with ALTER SEQUENCE phrbac.audit_log_id_seq CACHE 1.")));
	return last;
}

/* Step 3: the last row of a chain in the snapshot, 0 for none. */
static int64
chain_last_id(const AuditChain *chain, Snapshot snapshot)
{
	SPIPlanPtr	plan;
	Oid			types[1] = {INT8OID};
	Datum		values[1] = {Int64GetDatum(chain->organization_id)};
	bool		isnull;
	Datum		last;
	int64		id;

	plan = SPI_prepare(chain->has_organization
					   ? "SELECT max(id) FROM phrbac.audit_log WHERE organization_id = $1"
					   : "SELECT max(id) FROM phrbac.audit_log WHERE organization_id IS NULL"
					   " AND $1 IS NOT NULL",
					   1, types);
	if (plan == NULL ||
		SPI_execute_snapshot(plan, values, NULL, snapshot, InvalidSnapshot,
							 true, false, 1) != SPI_OK_SELECT)
		elog(ERROR, "could not read the audit log");
	last = SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull);
	id = isnull ? 0 : DatumGetInt64(last);
	SPI_freetuptable(SPI_tuptable);
	SPI_freeplan(plan);
	return id;
}

static void
export_page(void *arg)
{
	Export	   *export = arg;
	int64		bound = last_id_drawn();
	List	   *locked = phrbac_audit_locked_chains();
	Snapshot	snapshot = RegisterSnapshot(GetLatestSnapshot());
	ListCell   *cell;
	SPIPlanPtr	plan;
	Oid			types[4] = {INT8OID, INT8OID, INT4OID, BOOLOID};
	Datum		values[4];
	uint64		i;

	foreach(cell, locked)
		bound = Min(bound, chain_last_id(lfirst(cell), snapshot));

	values[0] = Int64GetDatum(export->after_id);
	values[1] = Int64GetDatum(bound);
	values[2] = Int32GetDatum(export->max_rows);
	values[3] = BoolGetDatum(export->ocsf);
	plan = SPI_prepare("SELECT a.id, CASE WHEN $4 THEN phrbac.audit_ocsf(a) ELSE pg_catalog.to_jsonb(a) END"
					   " FROM phrbac.audit_log AS a WHERE a.id > $1 AND a.id <= $2"
					   " ORDER BY a.id LIMIT $3",
					   4, types);
	if (plan == NULL ||
		SPI_execute_snapshot(plan, values, NULL, snapshot, InvalidSnapshot,
							 true, false, 0) != SPI_OK_SELECT)
		elog(ERROR, "could not read the audit log");
	for (i = 0; i < SPI_processed; i++)
	{
		Datum		row[2];
		bool		nulls[2];

		row[0] = SPI_getbinval(SPI_tuptable->vals[i], SPI_tuptable->tupdesc, 1, &nulls[0]);
		row[1] = SPI_getbinval(SPI_tuptable->vals[i], SPI_tuptable->tupdesc, 2, &nulls[1]);
		tuplestore_putvalues(export->store, export->desc, row, nulls);
	}
	SPI_freetuptable(SPI_tuptable);
	SPI_freeplan(plan);
	UnregisterSnapshot(snapshot);
}

/*
 * phrbac_audit_export(after_id DEFAULT 0, max_rows DEFAULT 1000, format
 * DEFAULT 'json') → TABLE(id, record): up to max_rows rows after after_id,
 * oldest first, never passing an id that may still appear.  EXECUTE is
 * revoked from PUBLIC: who may export is a grant.
 */
PG_FUNCTION_INFO_V1(phrbac_audit_export);
Datum
phrbac_audit_export(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	Export		export = {0};
	char	   *format;

	if (PG_ARGISNULL(0) || PG_ARGISNULL(1) || PG_ARGISNULL(2))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("phrbac_audit_export() needs a cursor, a page size and a format")));
	export.after_id = PG_GETARG_INT64(0);
	export.max_rows = PG_GETARG_INT32(1);
	format = text_to_cstring(PG_GETARG_TEXT_PP(2));
	if (export.after_id < 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("after_id must not be negative"),
				 errdetail("after_id is the id of the last row read, 0 to start at the oldest.")));
	if (export.max_rows <= 0 || export.max_rows > EXPORT_MAX_ROWS)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("max_rows must be between 1 and %d", EXPORT_MAX_ROWS)));
	if (strcmp(format, "json") == 0)
		export.ocsf = false;
	else if (strcmp(format, "ocsf") == 0)
		export.ocsf = true;
	else
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("unknown audit export format \"%s\"", format),
				 errhint("The formats are json and ocsf.")));

	/* a standby sees neither the primary's writers' locks nor their ids */
	if (RecoveryInProgress())
		ereport(ERROR,
				(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
				 errmsg("phrbac_audit_export() runs on the primary only"),
				 errdetail("A standby cannot tell which ids the primary's writers still hold.")));

	InitMaterializedSRF(fcinfo, MAT_SRF_USE_EXPECTED_DESC);
	export.store = rsinfo->setResult;
	export.desc = rsinfo->setDesc;
	phrbac_as_catalog_owner(export_page, &export);
	return (Datum) 0;
}
