/*
 * audit_partition.c
 *     The audit log's monthly partitions (README, "Retention"): which
 *     partition holds a moment, the partitions newest first, and the one
 *     place that creates a partition, for the writer (a month's first row)
 *     and for phrbac_audit_partition().
 *
 * A partition is data, like the rows in it: it is not a member of the
 * extension, even when the upgrade from 0.1.0 creates it, so that pg_dump
 * dumps it, its indexes, its trigger and its rows as it dumps any table,
 * and pg_restore puts them back under the log CREATE EXTENSION made.  For
 * the same reason the log itself has no index (an index on it would be
 * created again on each partition by pg_restore's ATTACH, and then once
 * more from the dump): each partition carries its own, and its own
 * append-only trigger (a statement trigger of the log does not fire for a
 * statement naming a partition).
 */
#include "postgres.h"

#include "access/table.h"
#include "catalog/namespace.h"
#include "catalog/pg_class_d.h"
#include "catalog/pg_type_d.h"
#include "commands/extension.h"
#include "executor/spi.h"
#include "fmgr.h"
#include "miscadmin.h"
#include "partitioning/partbounds.h"
#include "partitioning/partdesc.h"
#include "storage/lmgr.h"
#include "storage/lock.h"
#include "utils/builtins.h"
#include "utils/inval.h"
#include "utils/lsyscache.h"
#include "utils/partcache.h"
#include "utils/rel.h"
#include "utils/snapmgr.h"
#include "utils/timestamp.h"

#include "audit.h"
#include "catalog.h"

Oid
phrbac_audit_partition_of(Relation log, TimestampTz moment)
{
	PartitionKey key;
	PartitionDesc partitions;
	Datum		value = TimestampTzGetDatum(moment);
	bool		equal;
	int			offset;
	int			index;

	if (log->rd_rel->relkind != RELKIND_PARTITIONED_TABLE)
		return RelationGetRelid(log);
	key = RelationGetPartitionKey(log);
	partitions = RelationGetPartitionDesc(log, true);
	if (partitions->nparts == 0)
		return InvalidOid;
	/* as the executor routes a row (get_partition_for_tuple) */
	offset = partition_range_datum_bsearch(key->partsupfunc, key->partcollation,
										   partitions->boundinfo, 1, &value, &equal);
	index = partitions->boundinfo->indexes[offset + 1];
	return index >= 0 ? partitions->oids[index] : InvalidOid;
}

List *
phrbac_audit_partitions_newest_first(Relation log)
{
	PartitionDesc partitions;
	List	   *oids = NIL;
	int			i;

	if (log->rd_rel->relkind != RELKIND_PARTITIONED_TABLE)
		return list_make1_oid(RelationGetRelid(log));
	/* a range-partitioned table's partitions come in the order of their bounds */
	partitions = RelationGetPartitionDesc(log, true);
	for (i = partitions->nparts - 1; i >= 0; i--)
		oids = lappend_oid(oids, partitions->oids[i]);
	return oids;
}

List *
phrbac_audit_partition_bounds(Relation log)
{
	PartitionDesc partitions = RelationGetPartitionDesc(log, true);
	PartitionBoundInfo bounds = partitions->boundinfo;
	List	   *result = NIL;
	int			i;

	/* indexes[i]: the partition whose range ends at datums[i] */
	for (i = 0; bounds != NULL && i < bounds->ndatums; i++)
	{
		AuditPartition *partition;

		if (bounds->indexes[i] < 0)
			continue;
		partition = palloc(sizeof(AuditPartition));
		partition->oid = partitions->oids[bounds->indexes[i]];
		partition->bounded = bounds->kind[i][0] == PARTITION_RANGE_DATUM_VALUE;
		partition->upper = partition->bounded ? DatumGetTimestampTz(bounds->datums[i][0]) : 0;
		result = lappend(result, partition);
	}
	return result;
}

typedef struct NewPartition
{
	TimestampTz moment;
	int			months;
	Oid			partition;
} NewPartition;

/*
 * Creates the partition that starts with moment's month (UTC) and spans
 * months months, with its indexes, its append-only trigger and its
 * comment, unless it is there; runs as the catalog's owner, which owns the
 * log.  Not a member of the extension, even inside the extension's script
 * (the file's header says why).
 */
static void
create_partition(void *arg)
{
	NewPartition *new = arg;
	Oid			types[2] = {TIMESTAMPTZOID, INT4OID};
	Datum		values[2] = {TimestampTzGetDatum(new->moment), Int32GetDatum(new->months)};
	char	   *name;
	char	   *from;
	char	   *to;
	bool		saved_creating_extension = creating_extension;
	Oid			saved_extension = CurrentExtensionObject;

	if (SPI_execute_with_args("SELECT pg_catalog.to_char(pg_catalog.timezone('UTC', m), 'YYYY_MM'),"
							  "       pg_catalog.quote_literal(m::pg_catalog.text),"
							  "       pg_catalog.quote_literal((m OPERATOR(pg_catalog.+)"
							  "           pg_catalog.make_interval(months => $2))::pg_catalog.text)"
							  "  FROM (SELECT pg_catalog.date_trunc('month', $1, 'UTC') AS m) AS s",
							  2, types, values, NULL, true, 1) != SPI_OK_SELECT ||
		SPI_processed != 1)
		elog(ERROR, "could not name an audit log partition");
	name = psprintf("audit_log_%s", SPI_getvalue(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1));
	from = SPI_getvalue(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 2);
	to = SPI_getvalue(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 3);

	creating_extension = false;
	CurrentExtensionObject = InvalidOid;
	PG_TRY();
	{
		/*
		 * Made beside the log and attached to it: ATTACH takes a lock that
		 * lets the log's readers and writers go on (CREATE TABLE ...
		 * PARTITION OF would wait for them all, and they for it).
		 */
		if (SPI_execute(psprintf("CREATE TABLE phrbac.%1$s (LIKE phrbac.audit_log);"
								 "ALTER TABLE phrbac.%1$s ADD CONSTRAINT %1$s_pkey PRIMARY KEY (id);"
								 "CREATE INDEX %1$s_chain ON phrbac.%1$s (organization_id, id);"
								 "CREATE INDEX %1$s_item ON phrbac.%1$s (scope, item_id, created_at);"
								 "CREATE INDEX %1$s_user ON phrbac.%1$s (user_id, created_at);"
								 "CREATE TRIGGER append_only BEFORE INSERT OR UPDATE OR DELETE OR TRUNCATE"
								 "  ON phrbac.%1$s FOR EACH STATEMENT EXECUTE FUNCTION phrbac.audit_guard();"
								 "COMMENT ON TABLE phrbac.%1$s IS 'a month (or more) of the audit log:"
								 " created by phrbac''s writer, dropped by phrbac_audit_prune()';"
								 "ALTER TABLE phrbac.audit_log ATTACH PARTITION phrbac.%1$s"
								 "  FOR VALUES FROM (%2$s) TO (%3$s);",
								 name, from, to),
						false, 0) < 0)
			elog(ERROR, "could not create the audit log partition %s", name);
	}
	PG_FINALLY();
	{
		creating_extension = saved_creating_extension;
		CurrentExtensionObject = saved_extension;
	}
	PG_END_TRY();
	new->partition = get_relname_relid(name, get_namespace_oid("phrbac", false));
}

/*
 * The partition holding moment, created if missing (spanning months months
 * from moment's): creators take turns, and each looks again once it is its
 * turn, so two sessions writing a month's first row create it once; the
 * log's readers and writers do not wait (ATTACH PARTITION's lock).
 */
static Oid
ensure_partition(Oid log_oid, TimestampTz moment, int months)
{
	Relation	log;
	Oid			partition;
	NewPartition new = {moment, months, InvalidOid};
	bool		pushed_snapshot;

	/*
	 * A look, without keeping even this lock (a transaction that reads the
	 * log keeps its own).
	 */
	log = table_open(log_oid, AccessShareLock);
	partition = phrbac_audit_partition_of(log, moment);
	table_close(log, AccessShareLock);
	if (OidIsValid(partition))
		return partition;

	/* the lock ATTACH PARTITION takes: creators take turns, no one else waits */
	LockRelationOid(log_oid, ShareUpdateExclusiveLock);
	AcceptInvalidationMessages();
	log = table_open(log_oid, AccessShareLock);
	partition = phrbac_audit_partition_of(log, moment);
	table_close(log, AccessShareLock);
	if (OidIsValid(partition))
		return partition;
	/* the writer runs before commit, where no statement set a snapshot */
	pushed_snapshot = !ActiveSnapshotSet();
	if (pushed_snapshot)
		PushActiveSnapshot(GetTransactionSnapshot());
	phrbac_as_catalog_owner(create_partition, &new);
	if (pushed_snapshot)
		PopActiveSnapshot();
	return new.partition;
}

void
phrbac_audit_partitions_ensure(Oid log_oid, const TimestampTz *moments, int count)
{
	Relation	log = table_open(log_oid, AccessShareLock);
	bool		partitioned = log->rd_rel->relkind == RELKIND_PARTITIONED_TABLE;
	TimestampTz *missing = palloc(sizeof(TimestampTz) * Max(count, 1));
	int			nmissing = 0;
	int			i;

	for (i = 0; partitioned && i < count; i++)
		if (!OidIsValid(phrbac_audit_partition_of(log, moments[i])))
			missing[nmissing++] = moments[i];
	table_close(log, AccessShareLock);
	for (i = 0; i < nmissing; i++)
		(void) ensure_partition(log_oid, missing[i], 1);
	pfree(missing);
}

/*
 * phrbac_audit_partition(month timestamptz, months int DEFAULT 1) →
 * regclass: the partition of the audit log that holds month, created if
 * none does, spanning months months from the start of month's (UTC).  The
 * writer creates the partitions it needs; this creates them ahead (as
 * phrbac_audit_prune() does for next month), and the upgrade from 0.1.0
 * makes 0.1.0's rows' partitions with it.  EXECUTE is revoked from PUBLIC.
 */
PG_FUNCTION_INFO_V1(phrbac_audit_partition);
Datum
phrbac_audit_partition(PG_FUNCTION_ARGS)
{
	TimestampTz moment = PG_GETARG_TIMESTAMPTZ(0);
	int32		months = PG_GETARG_INT32(1);
	Oid			log_oid = get_relname_relid("audit_log", get_namespace_oid("phrbac", false));

	if (months < 1 || months > 120)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("an audit log partition spans 1 to 120 months, not %d", months)));
	if (TIMESTAMP_NOT_FINITE(moment))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("an audit log partition holds finite moments")));
	if (!OidIsValid(log_oid) || get_rel_relkind(log_oid) != RELKIND_PARTITIONED_TABLE)
		ereport(ERROR,
				(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
				 errmsg("phrbac.audit_log is not partitioned"),
				 errhint("ALTER EXTENSION phrbac UPDATE partitions it.")));
	PG_RETURN_OID(ensure_partition(log_oid, moment, months));
}
