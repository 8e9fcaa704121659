/*
 * audit_write.c
 *     Writes the audit log (README, "Audit log"): the rows a transaction
 *     causes wait in memory, each remembering its subtransaction, and are
 *     written just before the transaction commits, chain by chain in
 *     organization order, each chain locked and its head read with a fresh
 *     snapshot (audit.h says why).
 */
#include "postgres.h"

#include "compat.h"

#include "access/genam.h"
#include "access/htup_details.h"
#include "access/relscan.h"
#include "access/skey.h"
#include "access/stratnum.h"
#include "access/table.h"
#include "access/tableam.h"
#include "access/xact.h"
#include "catalog/namespace.h"
#include "catalog/pg_am_d.h"
#include "catalog/pg_index.h"
#include "commands/sequence.h"
#include "executor/executor.h"
#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/datum.h"
#include "utils/fmgroids.h"
#include "utils/inval.h"
#include "utils/lsyscache.h"
#include "utils/rel.h"
#include "utils/snapmgr.h"

#include "audit.h"
#include "principal.h"

/* The activity of every row while phrbac_audit_labelled() runs, or NULL. */
static const char *activity_label = NULL;

/*
 * The rows a transaction has caused so far and not yet written.  They live
 * in pending_context (a child of TopTransactionContext, emptied by each
 * flush), and each remembers the subtransaction that caused it, so that
 * rolling back to a savepoint drops its rows.
 */
typedef struct PendingRow
{
	AuditRow	row;
	int			nest_level;
	int			position;		/* in the order the changes happened */
} PendingRow;

static List *pending_rows = NIL;
static int	next_position = 0;
static MemoryContext pending_context = NULL;

/*
 * A transaction writes its rows when it commits, or when it has this many
 * waiting (the chains it has written then stay locked until it ends).
 */
#define PENDING_ROWS_MAX 1000

/* Chains in organization order, the chain of rows without one first. */
static int
compare_pending_chain(const AuditRow *x, const AuditRow *y)
{
	if (x->has_organization != y->has_organization)
		return x->has_organization ? 1 : -1;
	if (x->has_organization && x->organization_id != y->organization_id)
		return x->organization_id < y->organization_id ? -1 : 1;
	return 0;
}

/* Chains in a fixed order (lock order), rows in the order they happened. */
static int
compare_pending(const ListCell *a, const ListCell *b)
{
	const PendingRow *x = lfirst(a);
	const PendingRow *y = lfirst(b);
	int			chain = compare_pending_chain(&x->row, &y->row);

	return chain != 0 ? chain : x->position - y->position;
}

/*
 * The audit log opened for writing without the executor: no plan to run, no
 * trigger to fire (the guard watches everyone else's writes) and no
 * privilege to check (the log is written on behalf of whoever changed
 * access, whatever their privileges).  The writer routes each row to the
 * partition of its month itself and keeps every index of it, expression
 * and partial ones a DBA adds included.
 */
typedef struct PartitionWriter
{
	Oid			oid;
	Relation	relation;
	ResultRelInfo *info;
	TupleTableSlot *slot;
} PartitionWriter;

typedef struct LogWriter
{
	Oid			oid;
	Relation	relation;		/* the log, partitioned (or 0.1.0's table) */
	Oid			sequence;		/* audit_log_id_seq */
	EState	   *estate;
	List	   *partitions;		/* PartitionWriter, as rows reach them */
	bool		pushed_snapshot;
} LogWriter;

/*
 * Finds the log; false when DROP EXTENSION in this transaction took it (the
 * waiting rows go with it).
 */
static bool
find_log(LogWriter *writer)
{
	Oid			namespace = get_namespace_oid("phrbac", true);

	writer->oid = OidIsValid(namespace) ?
		get_relname_relid("audit_log", namespace) : InvalidOid;
	if (!OidIsValid(writer->oid))
		return false;
	writer->sequence = get_relname_relid("audit_log_id_seq", namespace);
	return true;
}

static void
open_log(LogWriter *writer)
{
	writer->relation = table_open(writer->oid, RowExclusiveLock);
	if (RelationGetDescr(writer->relation)->natts != Natts_audit_log)
		elog(ERROR, "phrbac.audit_log has %d columns, not %d",
			 RelationGetDescr(writer->relation)->natts, Natts_audit_log);
	/* a snapshot for index expressions a DBA may have added */
	writer->pushed_snapshot = !ActiveSnapshotSet();
	if (writer->pushed_snapshot)
		PushActiveSnapshot(GetTransactionSnapshot());
	writer->estate = CreateExecutorState();
	writer->partitions = NIL;
}

/*
 * A partition opened for writing, the first time it is asked for: rows go
 * into it, and chain_head reads it through the same index descriptors.
 */
static PartitionWriter *
open_partition(LogWriter *writer, Oid oid)
{
	PartitionWriter *partition;
	ListCell   *cell;

	foreach(cell, writer->partitions)
	{
		partition = lfirst(cell);
		if (partition->oid == oid)
			return partition;
	}
	partition = palloc0(sizeof(PartitionWriter));
	partition->oid = oid;
	partition->relation = oid == writer->oid ? writer->relation :
		table_open(oid, RowExclusiveLock);
	if (RelationGetDescr(partition->relation)->natts != Natts_audit_log)
		elog(ERROR, "%s has %d columns, not %d", RelationGetRelationName(partition->relation),
			 RelationGetDescr(partition->relation)->natts, Natts_audit_log);
	partition->info = makeNode(ResultRelInfo);
	InitResultRelInfo(partition->info, partition->relation, 1, NULL, 0);
	ExecOpenIndices(partition->info, false);
	partition->slot = table_slot_create(partition->relation, NULL);
	writer->partitions = lappend(writer->partitions, partition);
	return partition;
}

/* The writer of the partition that holds moment (flush_pending made it). */
static PartitionWriter *
partition_writer(LogWriter *writer, TimestampTz moment)
{
	Oid			oid = phrbac_audit_partition_of(writer->relation, moment);

	if (!OidIsValid(oid))
		elog(ERROR, "no partition of phrbac.audit_log holds %s",
			 timestamptz_to_str(moment));
	return open_partition(writer, oid);
}

/*
 * The partition's index on (organization_id, id), the chain's, among those
 * the writer keeps up to date; NULL when it has none.
 */
static Relation
chain_index(PartitionWriter *partition)
{
	int			i;

	for (i = 0; i < partition->info->ri_NumIndices; i++)
	{
		Relation	index = partition->info->ri_IndexRelationDescs[i];
		Form_pg_index form = index->rd_index;

		if (form->indnkeyatts >= 2 &&
			form->indkey.values[0] == Anum_audit_log_organization_id &&
			form->indkey.values[1] == Anum_audit_log_id &&
			index->rd_rel->relam == BTREE_AM_OID &&
			heap_attisnull(index->rd_indextuple, Anum_pg_index_indexprs, NULL) &&
			heap_attisnull(index->rd_indextuple, Anum_pg_index_indpred, NULL))
			return index;
	}
	return NULL;
}

static void
close_log(LogWriter *writer)
{
	ListCell   *cell;

	foreach(cell, writer->partitions)
	{
		PartitionWriter *partition = lfirst(cell);

		ExecDropSingleTupleTableSlot(partition->slot);
		ExecCloseIndices(partition->info);
		if (partition->relation != writer->relation)
			table_close(partition->relation, NoLock);
	}
	FreeExecutorState(writer->estate);
	if (writer->pushed_snapshot)
		PopActiveSnapshot();
	table_close(writer->relation, NoLock);
}

/*
 * The hash of a chain's last row ("" for an empty chain) and, when it has
 * one, the row's created_at.  It is in the newest partition that holds a
 * row of the chain: a row is never dated before the row it follows (see
 * flush_pending), and 0.1.0's rows, whose dates may run out of order, were
 * put in partitions by the upgrade so that each chain's last one is in its
 * newest (sql/install/audit_partitions.sql).  Each partition is read
 * backwards through its index on (organization_id, id), with a snapshot
 * taken now, so that it sees every row
 * committed by the writers this one waited for (and every partition they
 * created).  Direct index scans, not a query: the cost stays logarithmic
 * however the planner would judge a table that grows by the row.
 */
static char *
chain_head(LogWriter *writer, bool has_organization, int64 organization_id,
		   bool *found, TimestampTz *created_at)
{
	List	   *partitions;
	ListCell   *cell;
	Snapshot	snapshot;
	char	   *hash = "";

	*found = false;
	AcceptInvalidationMessages();
	partitions = phrbac_audit_partitions_newest_first(writer->relation);
	snapshot = RegisterSnapshot(GetLatestSnapshot());
	foreach(cell, partitions)
	{
		PartitionWriter *partition = open_partition(writer, lfirst_oid(cell));
		Relation	chain = chain_index(partition);
		TupleTableSlot *slot = partition->slot;
		IndexScanDesc scan;
		ScanKeyData key;

		if (chain == NULL)
			elog(ERROR, "%s has no index on (organization_id, id)",
				 RelationGetRelationName(partition->relation));
		scan = index_beginscan(partition->relation, chain, snapshot, NULL, 1, 0);
		if (has_organization)
			ScanKeyInit(&key, 1, BTEqualStrategyNumber, F_INT8EQ,
						Int64GetDatum(organization_id));
		else
			ScanKeyEntryInitialize(&key, SK_ISNULL | SK_SEARCHNULL, 1,
								   InvalidStrategy, InvalidOid, InvalidOid,
								   InvalidOid, (Datum) 0);
		index_rescan(scan, &key, 1, NULL, 0);
		if (index_getnext_slot(scan, BackwardScanDirection, slot))
		{
			bool		isnull;
			Datum		value = slot_getattr(slot, Anum_audit_log_hash, &isnull);

			*found = true;
			if (!isnull)
				hash = TextDatumGetCString(value);
			*created_at = DatumGetTimestampTz(slot_getattr(slot, Anum_audit_log_created_at,
														   &isnull));
		}
		index_endscan(scan);
		ExecClearTuple(slot);
		if (*found)
			break;
	}
	UnregisterSnapshot(snapshot);
	list_free(partitions);
	return hash;
}

/* Inserts one row into the partition of its month and its indexes. */
static void
insert_row(LogWriter *writer, const AuditRow *row, const char *prev_hash,
		   const char *hash)
{
	PartitionWriter *partition = partition_writer(writer, row->created_at);
	TupleTableSlot *slot = partition->slot;
	Datum	   *values = slot->tts_values;
	bool	   *nulls = slot->tts_isnull;

	ExecClearTuple(slot);
	memset(nulls, 0, sizeof(bool) * Natts_audit_log);
	values[Anum_audit_log_id - 1] = Int64GetDatum(row->id);
	values[Anum_audit_log_created_at - 1] = TimestampTzGetDatum(row->created_at);
	values[Anum_audit_log_organization_id - 1] = Int64GetDatum(row->organization_id);
	nulls[Anum_audit_log_organization_id - 1] = !row->has_organization;
	values[Anum_audit_log_project_id - 1] = Int64GetDatum(row->project_id);
	nulls[Anum_audit_log_project_id - 1] = !row->has_project;
	values[Anum_audit_log_user_id - 1] = Int64GetDatum(row->user_id);
	nulls[Anum_audit_log_user_id - 1] = row->user_id == 0;
	values[Anum_audit_log_api_key_id - 1] = Int64GetDatum(row->api_key_id);
	nulls[Anum_audit_log_api_key_id - 1] = row->api_key_id == 0;
	values[Anum_audit_log_db_user - 1] = DirectFunctionCall1(namein, CStringGetDatum(row->db_user));
	values[Anum_audit_log_scope - 1] = CStringGetTextDatum(row->scope);
	values[Anum_audit_log_activity - 1] = CStringGetTextDatum(row->activity);
	values[Anum_audit_log_item_id - 1] = row->item_id ? CStringGetTextDatum(row->item_id) : (Datum) 0;
	nulls[Anum_audit_log_item_id - 1] = row->item_id == NULL;
	values[Anum_audit_log_detail - 1] = JsonbPGetDatum(row->detail);
	values[Anum_audit_log_prev_hash - 1] = CStringGetTextDatum(prev_hash);
	values[Anum_audit_log_hash - 1] = CStringGetTextDatum(hash);
	ExecStoreVirtualTuple(slot);

	table_tuple_insert(partition->relation, slot, GetCurrentCommandId(true), 0, NULL);
	list_free(ExecInsertIndexTuples(partition->info, slot, writer->estate, false, false, NULL,
									 NIL, false));
}

/*
 * Writes the waiting rows: chain by chain, in organization order, each
 * chain locked and its head read once, then every row of it chained to the
 * one before.  Called before the transaction commits (or prepares), and
 * when too many rows wait.
 */
static void
flush_pending(void)
{
	List	   *rows = pending_rows;
	LogWriter	writer;
	ListCell   *cell;
	const PendingRow *previous = NULL;
	char	   *prev_hash = NULL;
	bool		dated = false;
	TimestampTz prev_created_at = 0;
	List	   *missing = NIL;

	if (rows == NIL)
		return;
	pending_rows = NIL;
	next_position = 0;
	if (!find_log(&writer))
	{
		MemoryContextReset(pending_context);
		return;
	}
	list_sort(rows, compare_pending);

	/*
	 * The month's partition, for its first row, before the log is opened for
	 * writing (ATTACH PARTITION refuses a table this session has open) and
	 * before any chain is locked: creating one takes ATTACH's lock, which
	 * neither the log's writers (this one included) nor its readers hold, so
	 * a creator waits only for another creator (audit_partition.c).  The
	 * log's lock is the writer's, kept.
	 */
	writer.relation = table_open(writer.oid, RowExclusiveLock);
	foreach(cell, rows)
	{
		TimestampTz moment = ((PendingRow *) lfirst(cell))->row.created_at;

		if (!OidIsValid(phrbac_audit_partition_of(writer.relation, moment)))
			missing = lappend(missing, &((PendingRow *) lfirst(cell))->row.created_at);
	}
	table_close(writer.relation, NoLock);
	foreach(cell, missing)
		phrbac_audit_partitions_ensure(writer.oid, (TimestampTz *) lfirst(cell), 1);
	list_free(missing);
	open_log(&writer);

	foreach(cell, rows)
	{
		PendingRow *pending = lfirst(cell);
		AuditRow   *row = &pending->row;
		char	   *hash;

		if (previous == NULL || !phrbac_audit_same_chain(&previous->row, row))
		{
			phrbac_audit_lock_chain(row->has_organization, row->organization_id);
			prev_hash = chain_head(&writer, row->has_organization,
								   row->organization_id, &dated, &prev_created_at);
		}
		/*
		 * Never dated before the row it follows (a transaction that changed
		 * something before another and commits after it): a chain's rows
		 * then run in the order of their months, which is how chain_head
		 * finds a chain's last row in the newest partition that has one.
		 * The date stays in a partition that exists: the row's own or the
		 * previous row's.
		 */
		if (dated && row->created_at < prev_created_at)
			row->created_at = prev_created_at;
		row->id = nextval_internal(writer.sequence, false);
		hash = phrbac_audit_hash(prev_hash, row);
		insert_row(&writer, row, prev_hash, hash);
		prev_hash = hash;
		prev_created_at = row->created_at;
		dated = true;
		previous = pending;
	}
	close_log(&writer);
	/* a later flush in this transaction reads these rows as its heads */
	CommandCounterIncrement();
	MemoryContextReset(pending_context);
}

/* While phrbac_audit_labelled() runs, the row's activity is its label. */
void
phrbac_audit_append(AuditRow *row, Datum detail)
{
	PhrbacPrincipal principal;
	MemoryContext caller;
	PendingRow *pending;

	if (pending_context == NULL)
		pending_context = AllocSetContextCreate(TopTransactionContext,
												"phrbac audit rows",
												ALLOCSET_DEFAULT_SIZES);
	caller = MemoryContextSwitchTo(pending_context);
	pending = palloc0(sizeof(PendingRow));

	phrbac_current_principal(&principal);
	pending->row = *row;
	pending->row.user_id = principal.user_id;
	pending->row.api_key_id = principal.api_key_id;
	pending->row.db_user = GetUserNameFromId(GetSessionUserId(), false);
	pending->row.created_at = GetCurrentTimestamp();
	pending->row.scope = pstrdup(row->scope);
	pending->row.activity = pstrdup(activity_label != NULL ? activity_label : row->activity);
	pending->row.item_id = row->item_id ? pstrdup(row->item_id) : NULL;
	pending->row.detail = DatumGetJsonbP(datumCopy(detail, false, -1));
	pending->nest_level = GetCurrentTransactionNestLevel();
	pending->position = next_position++;
	pending_rows = lappend(pending_rows, pending);
	MemoryContextSwitchTo(caller);

	if (list_length(pending_rows) >= PENDING_ROWS_MAX)
		flush_pending();
}

/* Writes the waiting rows before commit; forgets them when it ends. */
static void
audit_transaction_event(XactEvent event, void *arg)
{
	switch (event)
	{
		case XACT_EVENT_PRE_COMMIT:
		case XACT_EVENT_PRE_PREPARE:
			flush_pending();
			break;
		case XACT_EVENT_COMMIT:
		case XACT_EVENT_ABORT:
		case XACT_EVENT_PREPARE:
			/* their memory went with TopTransactionContext */
			pending_rows = NIL;
			next_position = 0;
			pending_context = NULL;
			break;
		default:
			break;
	}
}

/*
 * A subtransaction that rolls back takes its rows with it; one that
 * commits hands them to its parent.
 */
static void
audit_subtransaction_event(SubXactEvent event, SubTransactionId subid,
						   SubTransactionId parent, void *arg)
{
	int			level = GetCurrentTransactionNestLevel();
	ListCell   *cell;

	if (event != SUBXACT_EVENT_ABORT_SUB && event != SUBXACT_EVENT_COMMIT_SUB)
		return;
	foreach(cell, pending_rows)
	{
		PendingRow *pending = lfirst(cell);

		if (pending->nest_level < level)
			continue;
		if (event == SUBXACT_EVENT_COMMIT_SUB)
			pending->nest_level = level - 1;
		else
			pending_rows = foreach_delete_current(pending_rows, cell);
	}
}

void
phrbac_audit_init(void)
{
	RegisterXactCallback(audit_transaction_event, NULL);
	RegisterSubXactCallback(audit_subtransaction_event, NULL);
}

void
phrbac_audit_labelled(const char *activity, void (*fn) (void *arg), void *arg)
{
	const char *saved_label = activity_label;

	activity_label = activity;
	PG_TRY();
	{
		fn(arg);
	}
	PG_FINALLY();
	{
		activity_label = saved_label;
	}
	PG_END_TRY();
}
