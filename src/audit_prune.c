/*
 * audit_prune.c
 *     The audit log's append-only guard, and phrbac_audit_prune(), the one
 *     way past it (README, "Audit log"): it removes old rows chain by chain
 *     and leaves in each a checkpoint row naming the hash of the last row
 *     removed, so that the rest still verifies.
 */
#include "postgres.h"

#include "catalog/pg_type_d.h"
#include "executor/spi.h"
#include "fmgr.h"
#include "utils/builtins.h"
#include "utils/jsonb.h"
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
