/*
 * audit_prune.c
 *     The audit log's append-only guard, and phrbac_audit_prune(), the one
 *     way past it (README, "Audit log", "Retention"): it removes old rows
 *     chain by chain and leaves in each a checkpoint row naming the hash of
 *     the last row removed, so that the rest still verifies.  With a point
 *     in time it deletes row by row, to the moment; without, it applies
 *     each organization's audit_retention a month at a time, dropping the
 *     months' partitions that no chain keeps any more.
 */
#include "postgres.h"

#include "access/table.h"
#include "catalog/namespace.h"
#include "catalog/pg_class_d.h"
#include "catalog/pg_type_d.h"
#include "executor/spi.h"
#include "fmgr.h"
#include "storage/lmgr.h"
#include "utils/builtins.h"
#include "utils/jsonb.h"
#include "utils/lsyscache.h"
#include "utils/rel.h"
#include "utils/timestamp.h"

#include "audit.h"
#include "catalog.h"
#include "principal.h"
#include "trigger.h"

/* Set while phrbac_audit_prune() removes rows of phrbac.audit_log. */
static bool pruning_audit_log = false;

/*
 * The guard trigger of phrbac.audit_log (BEFORE, per statement): the log is
 * append-only, for its owner too.  The writer's own rows never reach it
 * (audit_write.c fires no trigger); prune's deletions pass.
 */
PG_FUNCTION_INFO_V1(phrbac_audit_guard);
Datum
phrbac_audit_guard(PG_FUNCTION_ARGS)
{
	TriggerData *trigdata = phrbac_trigger_data(fcinfo, "phrbac_audit_guard", false);

	if (pruning_audit_log)
		return PointerGetDatum(NULL);
	if (TRIGGER_FIRED_BY_INSERT(trigdata->tg_event))
	{
		PhrbacPrincipal principal;

		/* the DBA's own inserts: pg_restore of a dump */
		phrbac_current_principal(&principal);
		if (!phrbac_principal_is_set(&principal))
			return PointerGetDatum(NULL);
		ereport(ERROR,
				(errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
				 errmsg("the audit log is written by phrbac's triggers only")));
	}
	ereport(ERROR,
			(errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
			 errmsg("the audit log is append-only"),
			 errhint("phrbac_audit_prune() removes old rows and keeps the chain verifiable.")));
	return PointerGetDatum(NULL);
}

typedef struct Prune
{
	TimestampTz before;
	int64		removed;
} Prune;

static void
prune_chains(void *arg)
{
	Prune	   *prune = arg;
	Oid			types[1] = {TIMESTAMPTZOID};
	Datum		values[1] = {TimestampTzGetDatum(prune->before)};
	uint64		i;
	SPITupleTable *chains;
	uint64		nchains;

	/* the last row to go, per chain */
	if (SPI_execute_with_args("SELECT DISTINCT ON (organization_id) organization_id, id, hash"
							  " FROM phrbac.audit_log WHERE created_at < $1"
							  " ORDER BY organization_id, id DESC",
							  1, types, values, NULL, false, 0) != SPI_OK_SELECT)
		elog(ERROR, "could not read the audit log");
	chains = SPI_tuptable;
	nchains = SPI_processed;
	for (i = 0; i < nchains; i++)
	{
		bool		has_organization;
		int64		organization_id;
		int64		last_id;
		char	   *last_hash;
		Oid			delete_types[2] = {INT8OID, INT8OID};
		Datum		delete_values[2];
		AuditRow	checkpoint = {0};
		StringInfoData detail;
		bool		isnull;

		organization_id = DatumGetInt64(SPI_getbinval(chains->vals[i], chains->tupdesc, 1, &isnull));
		has_organization = !isnull;
		last_id = DatumGetInt64(SPI_getbinval(chains->vals[i], chains->tupdesc, 2, &isnull));
		last_hash = SPI_getvalue(chains->vals[i], chains->tupdesc, 3);

		phrbac_audit_lock_chain(has_organization, organization_id);
		delete_values[0] = Int64GetDatum(organization_id);
		delete_values[1] = Int64GetDatum(last_id);
		pruning_audit_log = true;
		PG_TRY();
		{
			if (SPI_execute_with_args(has_organization
									  ? "DELETE FROM phrbac.audit_log WHERE organization_id = $1 AND id <= $2"
									  : "DELETE FROM phrbac.audit_log WHERE organization_id IS NULL"
									  " AND $1 IS NOT NULL AND id <= $2",
									  2, delete_types, delete_values, NULL, false, 0) != SPI_OK_DELETE)
				elog(ERROR, "could not prune the audit log");
		}
		PG_FINALLY();
		{
			pruning_audit_log = false;
		}
		PG_END_TRY();
		prune->removed += SPI_processed;

		initStringInfo(&detail);
		appendStringInfo(&detail, "{\"pruned_through_id\": " INT64_FORMAT
						 ", \"pruned_through_hash\": \"%s\", \"rows\": " UINT64_FORMAT "}",
						 last_id, last_hash, (uint64) SPI_processed);
		checkpoint.has_organization = has_organization;
		checkpoint.organization_id = organization_id;
		checkpoint.scope = "AuditLog";
		checkpoint.activity = "pruned";
		phrbac_audit_append(&checkpoint, DirectFunctionCall1(jsonb_in, CStringGetDatum(detail.data)));
	}
}

/*
 * phrbac_audit_prune(before) → bigint: removes the rows older than before,
 * chain by chain, and leaves in each a checkpoint row naming the hash of the
 * last row removed, so the rest still verifies.  EXECUTE is revoked from
 * PUBLIC.
 */
PG_FUNCTION_INFO_V1(phrbac_audit_prune);
Datum
phrbac_audit_prune(PG_FUNCTION_ARGS)
{
	Prune		prune = {0};

	if (PG_ARGISNULL(0))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("phrbac_audit_prune() needs a point in time")));
	prune.before = PG_GETARG_TIMESTAMPTZ(0);
	phrbac_as_catalog_owner(prune_chains, &prune);
	PG_RETURN_INT64(prune.removed);
}

/* One chain and how far back its rows are kept. */
typedef struct RetainedChain
{
	bool		has_organization;
	int64		organization_id;
	bool		expires;		/* false: kept forever */
	TimestampTz cutoff;			/* rows of whole months before it go */
	int64		last_id;		/* the last row to go (0: none yet) */
	char	   *last_hash;
	int64		removed;
} RetainedChain;

typedef struct Retention
{
	Oid			log;
	RetainedChain *chains;
	int			nchains;
	int64		removed;
} Retention;

static RetainedChain *
find_chain(Retention *retention, bool has_organization, int64 organization_id)
{
	int			i;

	for (i = 0; i < retention->nchains; i++)
		if (retention->chains[i].has_organization == has_organization &&
			(!has_organization || retention->chains[i].organization_id == organization_id))
			return &retention->chains[i];
	elog(ERROR, "an audit chain appeared while the log was locked");
	return NULL;
}

/*
 * Every chain of the log, found by skipping through the partitions'
 * indexes on (organization_id, id) from one organization to the next, and
 * its cutoff: now less its organization's audit_retention; for the chain of
 * rows with no organization and the chains of organizations since deleted,
 * now less the longest retention any organization has (none: forever).
 */
static void
read_chains(Retention *retention, const char *log)
{
	uint64		i;

	if (SPI_execute(psprintf("WITH RECURSIVE organizations(id) AS ("
							 "  SELECT pg_catalog.min(organization_id) FROM %1$s"
							 "  UNION ALL"
							 "  SELECT (SELECT pg_catalog.min(l.organization_id) FROM %1$s AS l"
							 "          WHERE l.organization_id OPERATOR(pg_catalog.>) o.id)"
							 "    FROM organizations AS o WHERE o.id IS NOT NULL),"
							 " chains(id) AS ("
							 "  SELECT id FROM organizations WHERE id IS NOT NULL"
							 "  UNION ALL"
							 "  SELECT NULL::pg_catalog.int8"
							 "   WHERE EXISTS (SELECT 1 FROM %1$s WHERE organization_id IS NULL)),"
							 " longest(retention) AS ("
							 "  SELECT CASE WHEN pg_catalog.count(*) OPERATOR(pg_catalog.=) 0"
							 "              OR pg_catalog.bool_or(audit_retention IS NULL) THEN NULL"
							 "         ELSE pg_catalog.max(audit_retention) END"
							 "    FROM phrbac.organizations)"
							 "SELECT c.id, pg_catalog.now() OPERATOR(pg_catalog.-)"
							 "       CASE WHEN o.id IS NOT NULL THEN o.audit_retention"
							 "            ELSE (SELECT retention FROM longest) END"
							 "  FROM chains AS c LEFT JOIN phrbac.organizations AS o"
							 "       ON o.id OPERATOR(pg_catalog.=) c.id",
							 log),
					true, 0) != SPI_OK_SELECT)
		elog(ERROR, "could not read the audit chains");
	retention->nchains = (int) SPI_processed;
	retention->chains = palloc0(sizeof(RetainedChain) * Max(retention->nchains, 1));
	for (i = 0; i < SPI_processed; i++)
	{
		RetainedChain *chain = &retention->chains[i];
		bool		isnull;
		Datum		cutoff;

		chain->organization_id = DatumGetInt64(SPI_getbinval(SPI_tuptable->vals[i],
															 SPI_tuptable->tupdesc, 1, &isnull));
		chain->has_organization = !isnull;
		cutoff = SPI_getbinval(SPI_tuptable->vals[i], SPI_tuptable->tupdesc, 2, &isnull);
		chain->expires = !isnull;
		if (chain->expires)
			chain->cutoff = DatumGetTimestampTz(cutoff);
	}
	SPI_freetuptable(SPI_tuptable);
}

/*
 * One partition, every row of which is older than now: the chains with
 * rows in it; each whose cutoff is past the partition's end has all its
 * rows there expired (its last one there may be its last to go; they are
 * counted through the chain's index).  True when every chain in it has: the
 * partition may go whole, and its rows count as removed.
 */
static bool
expire_partition(Retention *retention, const char *partition, TimestampTz upper)
{
	bool		whole = true;
	uint64		i;
	SPITupleTable *chains;
	uint64		nchains;
	RetainedChain **expired;
	int64	   *counts;
	int			nexpired = 0;

	if (SPI_execute(psprintf("WITH RECURSIVE organizations(id) AS ("
							 "  SELECT pg_catalog.min(organization_id) FROM ONLY %1$s"
							 "  UNION ALL"
							 "  SELECT (SELECT pg_catalog.min(l.organization_id) FROM ONLY %1$s AS l"
							 "          WHERE l.organization_id OPERATOR(pg_catalog.>) o.id)"
							 "    FROM organizations AS o WHERE o.id IS NOT NULL)"
							 "SELECT id FROM organizations WHERE id IS NOT NULL"
							 " UNION ALL"
							 " SELECT NULL::pg_catalog.int8"
							 "  WHERE EXISTS (SELECT 1 FROM ONLY %1$s WHERE organization_id IS NULL)",
							 partition),
					true, 0) != SPI_OK_SELECT)
		elog(ERROR, "could not read the audit chains of %s", partition);
	chains = SPI_tuptable;
	nchains = SPI_processed;
	expired = palloc(sizeof(RetainedChain *) * Max(nchains, 1));
	counts = palloc(sizeof(int64) * Max(nchains, 1));
	for (i = 0; i < nchains; i++)
	{
		bool		isnull;
		int64		organization_id = DatumGetInt64(SPI_getbinval(chains->vals[i],
																  chains->tupdesc, 1, &isnull));
		RetainedChain *chain = find_chain(retention, !isnull, organization_id);
		Oid			types[1] = {INT8OID};
		Datum		values[1] = {Int64GetDatum(organization_id)};

		if (!chain->expires || chain->cutoff < upper)
		{
			whole = false;
			continue;
		}
		/* its last row in this partition, and how many it has here */
		if (SPI_execute_with_args(psprintf("SELECT l.id, l.hash, (SELECT pg_catalog.count(*) FROM ONLY %1$s"
										   "                       WHERE organization_id %2$s)"
										   "  FROM ONLY %1$s AS l WHERE l.organization_id %2$s"
										   " ORDER BY l.id DESC LIMIT 1",
										   partition,
										   chain->has_organization
										   ? "OPERATOR(pg_catalog.=) $1" : "IS NULL AND $1 IS NOT NULL"),
								  1, types, values, NULL, true, 1) != SPI_OK_SELECT ||
			SPI_processed != 1)
			elog(ERROR, "could not read the audit chains of %s", partition);
		{
			int64		last_id = DatumGetInt64(SPI_getbinval(SPI_tuptable->vals[0],
															  SPI_tuptable->tupdesc, 1, &isnull));

			/* (in the procedure's memory, which outlives the tuple table) */
			if (last_id > chain->last_id)
			{
				chain->last_id = last_id;
				chain->last_hash = SPI_getvalue(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 2);
			}
			expired[nexpired] = chain;
			counts[nexpired++] = DatumGetInt64(SPI_getbinval(SPI_tuptable->vals[0],
															 SPI_tuptable->tupdesc, 3, &isnull));
		}
		SPI_freetuptable(SPI_tuptable);
	}
	SPI_freetuptable(chains);
	/* dropped whole, its rows count as removed; else the DELETE counts them */
	if (whole)
		for (i = 0; i < (uint64) nexpired; i++)
			expired[i]->removed += counts[i];
	pfree(expired);
	pfree(counts);
	return whole;
}

static void
prune_by_retention(void *arg)
{
	Retention  *retention = arg;
	Relation	log;
	List	   *partitions;
	ListCell   *cell;
	TimestampTz latest_cutoff = DT_NOBEGIN;
	TimestampTz next_month;
	int			i;

	/*
	 * The log to itself: no writer adds to a chain, or a partition, while
	 * the chains are read and months dropped (DROP TABLE of a partition
	 * would take this lock anyway).
	 */
	LockRelationOid(retention->log, AccessExclusiveLock);
	log = table_open(retention->log, NoLock);
	if (log->rd_rel->relkind != RELKIND_PARTITIONED_TABLE)
		ereport(ERROR,
				(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
				 errmsg("phrbac.audit_log is not partitioned"),
				 errhint("ALTER EXTENSION phrbac UPDATE partitions it.")));
	read_chains(retention, "phrbac.audit_log");
	for (i = 0; i < retention->nchains; i++)
		if (retention->chains[i].expires && retention->chains[i].cutoff > latest_cutoff)
			latest_cutoff = retention->chains[i].cutoff;

	/* oldest first, the months that every row of which is past a cutoff */
	partitions = phrbac_audit_partition_bounds(log);
	foreach(cell, partitions)
	{
		AuditPartition *partition = lfirst(cell);
		char	   *name;

		if (!partition->bounded || partition->upper > latest_cutoff)
			break;
		name = quote_qualified_identifier("phrbac", get_rel_name(partition->oid));
		/* whole: a catalog operation */
		if (expire_partition(retention, name, partition->upper) &&
			SPI_execute(psprintf("DROP TABLE %s", name), false, 0) != SPI_OK_UTILITY)
			elog(ERROR, "could not drop %s", name);
	}
	table_close(log, NoLock);

	/*
	 * What expired in months that stay (other chains keep them), and rows a
	 * chain has before its last one to go anywhere else: deleted.  Then the
	 * checkpoint.
	 */
	for (i = 0; i < retention->nchains; i++)
	{
		RetainedChain *chain = &retention->chains[i];
		Oid			types[2] = {INT8OID, INT8OID};
		Datum		values[2] = {Int64GetDatum(chain->organization_id), Int64GetDatum(chain->last_id)};
		AuditRow	checkpoint = {0};
		StringInfoData detail;

		if (chain->last_id == 0)
			continue;
		pruning_audit_log = true;
		PG_TRY();
		{
			if (SPI_execute_with_args(chain->has_organization
									  ? "DELETE FROM phrbac.audit_log WHERE organization_id = $1 AND id <= $2"
									  : "DELETE FROM phrbac.audit_log WHERE organization_id IS NULL"
									  " AND $1 IS NOT NULL AND id <= $2",
									  2, types, values, NULL, false, 0) != SPI_OK_DELETE)
				elog(ERROR, "could not prune the audit log");
		}
		PG_FINALLY();
		{
			pruning_audit_log = false;
		}
		PG_END_TRY();
		chain->removed += SPI_processed;
		retention->removed += chain->removed;

		initStringInfo(&detail);
		appendStringInfo(&detail, "{\"pruned_through_id\": " INT64_FORMAT
						 ", \"pruned_through_hash\": \"%s\", \"rows\": " INT64_FORMAT "}",
						 chain->last_id, chain->last_hash, chain->removed);
		checkpoint.has_organization = chain->has_organization;
		checkpoint.organization_id = chain->organization_id;
		checkpoint.scope = "AuditLog";
		checkpoint.activity = "pruned";
		phrbac_audit_append(&checkpoint, DirectFunctionCall1(jsonb_in, CStringGetDatum(detail.data)));
	}

	/* next month's partition, so that writers seldom create one */
	next_month = DatumGetTimestampTz(DirectFunctionCall2(timestamptz_pl_interval,
														 TimestampTzGetDatum(GetCurrentTransactionStartTimestamp()),
														 PointerGetDatum(&(Interval) {.month = 1})));
	phrbac_audit_partitions_ensure(retention->log, &next_month, 1);
}

/*
 * phrbac_audit_prune() → bigint: applies each organization's
 * audit_retention, a month at a time (README, "Retention"): a month's
 * partition is dropped when every chain with rows in it has outlived it;
 * a chain's rows in months others still keep are deleted; each chain that
 * lost rows gets a checkpoint, as with phrbac_audit_prune(before).  Returns
 * the rows removed.  EXECUTE is revoked from PUBLIC.
 */
PG_FUNCTION_INFO_V1(phrbac_audit_prune_by_retention);
Datum
phrbac_audit_prune_by_retention(PG_FUNCTION_ARGS)
{
	Retention	retention = {0};

	retention.log = get_relname_relid("audit_log", get_namespace_oid("phrbac", false));
	phrbac_as_catalog_owner(prune_by_retention, &retention);
	PG_RETURN_INT64(retention.removed);
}
