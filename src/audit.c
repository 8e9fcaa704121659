/*
 * audit.c
 *     The audit log (SPEC 6): the row trigger that records every change to
 *     phrbac's catalog and to protected tables, the hash chain that makes
 *     the log tamper-evident, and its verification and pruning.
 *
 * Design note.  Each organization's rows form one chain (rows with no
 * organization, such as users and API keys, form their own): a row's hash
 * is SHA-256 over the previous row's hash, the row's canonical content and
 * its detail's jsonb bytes (chain_hash).  The trigger only records a row in
 * memory; the transaction writes its rows just before it commits
 * (flush_pending), chain by chain in organization order: it takes a
 * transaction-level advisory lock on the chain, reads the chain's head with
 * a fresh snapshot (chain_head), and appends.  So concurrent transactions,
 * REPEATABLE READ ones included, extend a chain one after the other, a
 * chain is locked only from a writer's commit to its end (or, for a
 * transaction that causes more than PENDING_ROWS_MAX rows, from then on),
 * and writers of different organizations never wait for each other.  Rows
 * of a subtransaction that rolls back are forgotten with it.  The log is
 * append-only: a statement trigger refuses UPDATE, DELETE and TRUNCATE (for
 * its owner too), except while phrbac_audit_prune() removes old rows, which
 * leaves a checkpoint row naming the last pruned row's hash so that the
 * rest still verifies; and INSERT while a principal is set (the DBA's
 * inserts are pg_restore's; this file's own fire no trigger).
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
#include "catalog/pg_type_d.h"
#include "commands/sequence.h"
#include "commands/trigger.h"
#include "common/cryptohash.h"
#include "common/sha2.h"
#include "executor/executor.h"
#include "executor/spi.h"
#include "fmgr.h"
#include "funcapi.h"
#include "miscadmin.h"
#include "storage/lock.h"
#include "tcop/pquery.h"
#include "utils/builtins.h"
#include "utils/fmgroids.h"
#include "utils/datum.h"
#include "utils/jsonb.h"
#include "utils/lsyscache.h"
#include "utils/portal.h"
#include "utils/rel.h"
#include "utils/snapmgr.h"
#include "utils/timestamp.h"

#include "approvals.h"
#include "audit.h"
#include "cache.h"
#include "catalog.h"
#include "principal.h"

/* Advisory lock space of the chain locks ("ph" in the fourth field). */
#define CHAIN_LOCK_SPACE 0x7068

/* The columns of phrbac.audit_log, in order (sql/phrbac.sql). */
enum
{
	Anum_audit_log_id = 1,
	Anum_audit_log_created_at,
	Anum_audit_log_organization_id,
	Anum_audit_log_project_id,
	Anum_audit_log_user_id,
	Anum_audit_log_api_key_id,
	Anum_audit_log_db_user,
	Anum_audit_log_scope,
	Anum_audit_log_activity,
	Anum_audit_log_item_id,
	Anum_audit_log_detail,
	Anum_audit_log_prev_hash,
	Anum_audit_log_hash,
	Natts_audit_log = Anum_audit_log_hash
};

/* Set while phrbac_audit_prune() removes rows of phrbac.audit_log. */
static bool pruning_audit_log = false;

/* The activity of every row while phrbac_audit_labelled() runs, or NULL. */
static const char *activity_label = NULL;

/* One audit row, before it is chained. */
typedef struct AuditRow
{
	int64		id;
	TimestampTz created_at;
	bool		has_organization;
	int64		organization_id;
	bool		has_project;
	int64		project_id;
	int64		user_id;		/* 0: no principal */
	int64		api_key_id;		/* 0: none */
	const char *db_user;
	const char *scope;
	const char *activity;
	const char *item_id;		/* NULL: none */
	Jsonb	   *detail;
} AuditRow;

/* Appends an optional bigint, "" for none, then the field separator. */
static void
append_id(StringInfo buf, bool present, int64 value)
{
	if (present)
		appendStringInfo(buf, INT64_FORMAT, value);
	appendStringInfoChar(buf, '\x1f');
}

/*
 * The canonical content of a row's columns but the detail and the hashes,
 * in order, separated by the ASCII unit separator.  The writer and
 * phrbac_audit_verify() build it from the same values.
 */
static char *
audit_row_content(const AuditRow *row)
{
	StringInfoData buf;

	initStringInfo(&buf);
	append_id(&buf, true, row->id);
	append_id(&buf, true, row->created_at);
	append_id(&buf, row->has_organization, row->organization_id);
	append_id(&buf, row->has_project, row->project_id);
	append_id(&buf, row->user_id != 0, row->user_id);
	append_id(&buf, row->api_key_id != 0, row->api_key_id);
	appendStringInfo(&buf, "%s\x1f%s\x1f%s\x1f%s\x1f", row->db_user, row->scope,
					 row->activity, row->item_id ? row->item_id : "");
	return buf.data;
}

/*
 * A row's hash, in hex: SHA-256 over the previous row's hash, the record
 * separator, the row's content and its detail's jsonb bytes (jsonb's
 * binary form is canonical: one value, one form, whatever text it came
 * from, so the bytes stay the same through dumps and restores).
 */
static char *
chain_hash(const char *prev_hash, const AuditRow *row)
{
	pg_cryptohash_ctx *ctx = pg_cryptohash_create(PG_SHA256);
	char	   *content = audit_row_content(row);
	uint8		digest[PG_SHA256_DIGEST_LENGTH];
	char	   *hex = palloc(2 * PG_SHA256_DIGEST_LENGTH + 1);

	if (ctx == NULL || pg_cryptohash_init(ctx) < 0 ||
		pg_cryptohash_update(ctx, (const uint8 *) prev_hash, strlen(prev_hash)) < 0 ||
		pg_cryptohash_update(ctx, (const uint8 *) "\x1e", 1) < 0 ||
		pg_cryptohash_update(ctx, (const uint8 *) content, strlen(content)) < 0 ||
		pg_cryptohash_update(ctx, (const uint8 *) VARDATA_ANY(row->detail),
							 VARSIZE_ANY_EXHDR(row->detail)) < 0 ||
		pg_cryptohash_final(ctx, digest, sizeof(digest)) < 0)
		elog(ERROR, "could not hash an audit row: %s",
			 ctx ? pg_cryptohash_error(ctx) : "out of memory");
	pg_cryptohash_free(ctx);
	hex[hex_encode((const char *) digest, sizeof(digest), hex)] = '\0';
	pfree(content);
	return hex;
}

/*
 * Serializes writers of one chain until the transaction ends; the lock of
 * the chain of rows without organization differs from every organization's.
 */
static void
lock_chain(bool has_organization, int64 organization_id)
{
	LOCKTAG		tag;

	SET_LOCKTAG_ADVISORY(tag, MyDatabaseId,
						 (uint32) ((uint64) organization_id >> 32),
						 (uint32) organization_id,
						 CHAIN_LOCK_SPACE + (has_organization ? 0 : 1));
	(void) LockAcquire(&tag, ExclusiveLock, false, false);
}

/*
 * The hash of a chain's last row ("" for an empty chain), read backwards
 * through the index audit_log_chain with a snapshot taken now, so that it
 * sees every row committed by the writers this one waited for.  A direct
 * index scan, not a query: the cost stays logarithmic however the planner
 * would judge a table that grows by the row.
 */
static char *
chain_head(Relation log, bool has_organization, int64 organization_id)
{
	Relation	chain = index_open(get_relname_relid("audit_log_chain",
													 RelationGetNamespace(log)),
								   AccessShareLock);
	Snapshot	snapshot = RegisterSnapshot(GetLatestSnapshot());
	TupleTableSlot *slot = table_slot_create(log, NULL);
	IndexScanDesc scan = index_beginscan(log, chain, snapshot, NULL, 1, 0);
	ScanKeyData key;
	char	   *hash = "";

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

		if (!isnull)
			hash = TextDatumGetCString(value);
	}
	index_endscan(scan);
	ExecDropSingleTupleTableSlot(slot);
	UnregisterSnapshot(snapshot);
	index_close(chain, AccessShareLock);
	return hash;
}

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

/* Zero when two rows belong to the same chain. */
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
 * Inserts one row into the log and its indexes without the executor: no
 * plan to run, no trigger to fire (the guard watches everyone else's
 * writes) and no privilege to check (the log is written on behalf of
 * whoever changed access, whatever their privileges).  Every index of the
 * log is kept, expression and partial ones a DBA adds included.
 */
static void
insert_row(ResultRelInfo *log, EState *estate, TupleTableSlot *slot, const AuditRow *row,
		   const char *prev_hash, const char *hash)
{
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

	table_tuple_insert(log->ri_RelationDesc, slot, GetCurrentCommandId(true), 0, NULL);
	list_free(ExecInsertIndexTuples(log, slot, estate, false, false, NULL, NIL, false));
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
	Oid			namespace;
	Oid			log_oid;
	Relation	relation;
	Oid			sequence;
	EState	   *estate;
	ResultRelInfo *log;
	TupleTableSlot *slot;
	ListCell   *cell;
	const PendingRow *previous = NULL;
	char	   *prev_hash = NULL;
	bool		pushed_snapshot = false;

	if (rows == NIL)
		return;
	pending_rows = NIL;
	next_position = 0;
	/* DROP EXTENSION in this transaction took the log: the rows go with it */
	namespace = get_namespace_oid("phrbac", true);
	log_oid = OidIsValid(namespace) ? get_relname_relid("audit_log", namespace) : InvalidOid;
	if (!OidIsValid(log_oid))
	{
		MemoryContextReset(pending_context);
		return;
	}
	list_sort(rows, compare_pending);

	sequence = get_relname_relid("audit_log_id_seq", namespace);
	relation = table_open(log_oid, RowExclusiveLock);
	if (RelationGetDescr(relation)->natts != Natts_audit_log)
		elog(ERROR, "phrbac.audit_log has %d columns, not %d",
			 RelationGetDescr(relation)->natts, Natts_audit_log);
	if (!ActiveSnapshotSet())
	{
		/* for index expressions a DBA may have added */
		PushActiveSnapshot(GetTransactionSnapshot());
		pushed_snapshot = true;
	}
	estate = CreateExecutorState();
	log = makeNode(ResultRelInfo);
	InitResultRelInfo(log, relation, 1, NULL, 0);
	ExecOpenIndices(log, false);
	slot = table_slot_create(relation, NULL);

	foreach(cell, rows)
	{
		PendingRow *pending = lfirst(cell);
		AuditRow   *row = &pending->row;
		char	   *hash;

		if (previous == NULL || compare_pending_chain(&previous->row, row) != 0)
		{
			lock_chain(row->has_organization, row->organization_id);
			prev_hash = chain_head(relation, row->has_organization, row->organization_id);
		}
		row->id = nextval_internal(sequence, false);
		hash = chain_hash(prev_hash, row);
		insert_row(log, estate, slot, row, prev_hash, hash);
		prev_hash = hash;
		previous = pending;
	}

	ExecDropSingleTupleTableSlot(slot);
	ExecCloseIndices(log);
	FreeExecutorState(estate);
	if (pushed_snapshot)
		PopActiveSnapshot();
	table_close(relation, NoLock);
	/* a later flush in this transaction reads these rows as its heads */
	CommandCounterIncrement();
	MemoryContextReset(pending_context);
}

/*
 * Records one audit row, with the principal of this moment as its actor,
 * and detail (jsonb) as its detail: it waits in memory until the
 * transaction commits.
 */
static void
audit_append(AuditRow *row, Datum detail)
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
	pending->row.activity = pstrdup(row->activity);
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

/* Columns whose values the log never shows. */
static bool
is_secret(const char *column)
{
	return strcmp(column, "secure_value") == 0;
}

/* Columns whose changes alone are no news (an authentication's stamp). */
static bool
is_bookkeeping(const char *column)
{
	return strcmp(column, "last_used_at") == 0;
}

/*
 * A column's value as the log shows it: its text (through its output
 * function), "masked" for a secret, NULL for NULL.
 */
static const char *
column_text(HeapTuple tuple, TupleDesc desc, int attnum)
{
	Form_pg_attribute attr = TupleDescAttr(desc, attnum - 1);
	bool		isnull;
	Datum		value = heap_getattr(tuple, attnum, desc, &isnull);
	Oid			output;
	bool		varlena;

	if (isnull)
		return NULL;
	if (is_secret(NameStr(attr->attname)))
		return "masked";
	getTypeOutputInfo(attr->atttypid, &output, &varlena);
	return OidOutputFunctionCall(output, value);
}

/* Pushes a key and its value, a string or (for NULL) null, into an object. */
static void
push_pair(JsonbParseState **state, const char *key, const char *value)
{
	JsonbValue	item;

	item.type = jbvString;
	item.val.string.val = (char *) key;
	item.val.string.len = strlen(key);
	(void) pushJsonbValue(state, WJB_KEY, &item);
	if (value == NULL)
		item.type = jbvNull;
	else
	{
		item.val.string.val = (char *) value;
		item.val.string.len = strlen(value);
	}
	(void) pushJsonbValue(state, WJB_VALUE, &item);
}

/* True when a column holds the same value in both tuples. */
static bool
column_unchanged(HeapTuple old, HeapTuple new, TupleDesc desc, int attnum)
{
	Form_pg_attribute attr = TupleDescAttr(desc, attnum - 1);
	bool		old_null;
	bool		new_null;
	Datum		old_value = heap_getattr(old, attnum, desc, &old_null);
	Datum		new_value = heap_getattr(new, attnum, desc, &new_null);

	if (old_null || new_null)
		return old_null == new_null;
	return datumIsEqual(old_value, new_value, attr->attbyval, attr->attlen);
}

/*
 * Pushes the "changes" of PostHog's detail: one entry per column for a
 * created or deleted row, one per changed column for an update.  Returns
 * the number of entries that are news (bookkeeping columns are listed but
 * do not count).
 */
static int
push_changes(JsonbParseState **state, const char *type, HeapTuple old, HeapTuple new,
			 TupleDesc desc)
{
	const char *action = old == NULL ? "created" : new == NULL ? "deleted" : "changed";
	JsonbValue	key = {.type = jbvString, .val.string = {.len = 7, .val = "changes"}};
	int			news = 0;
	int			attnum;

	(void) pushJsonbValue(state, WJB_KEY, &key);
	(void) pushJsonbValue(state, WJB_BEGIN_ARRAY, NULL);
	for (attnum = 1; attnum <= desc->natts; attnum++)
	{
		Form_pg_attribute attr = TupleDescAttr(desc, attnum - 1);

		if (attr->attisdropped)
			continue;
		if (old != NULL && new != NULL && column_unchanged(old, new, desc, attnum))
			continue;
		(void) pushJsonbValue(state, WJB_BEGIN_OBJECT, NULL);
		push_pair(state, "type", type);
		push_pair(state, "action", action);
		push_pair(state, "field", NameStr(attr->attname));
		push_pair(state, "before", old != NULL ? column_text(old, desc, attnum) : NULL);
		push_pair(state, "after", new != NULL ? column_text(new, desc, attnum) : NULL);
		(void) pushJsonbValue(state, WJB_END_OBJECT, NULL);
		if (!is_bookkeeping(NameStr(attr->attname)))
			news++;
	}
	(void) pushJsonbValue(state, WJB_END_ARRAY, NULL);
	return news;
}

/* A bigint column by name, if the table has it and it is not NULL. */
static bool
column_int64(HeapTuple tuple, TupleDesc desc, const char *name, int64 *value)
{
	int			attnum = SPI_fnumber(desc, name);
	bool		isnull;
	Datum		d;

	if (attnum <= 0)
		return false;
	d = heap_getattr(tuple, attnum, desc, &isnull);
	if (isnull)
		return false;
	switch (TupleDescAttr(desc, attnum - 1)->atttypid)
	{
		case INT2OID:
			*value = DatumGetInt16(d);
			break;
		case INT4OID:
			*value = DatumGetInt32(d);
			break;
		default:
			*value = DatumGetInt64(d);
	}
	return true;
}

/* True when a column changed between the tuples. */
static bool
column_changed(HeapTuple old, HeapTuple new, TupleDesc desc, const char *name)
{
	int			attnum = SPI_fnumber(desc, name);

	return attnum > 0 && !column_unchanged(old, new, desc, attnum);
}

/* The specific activity of a change to a catalog table, or the generic one. */
static const char *
activity_of(const char *table, TriggerEvent event, HeapTuple old, HeapTuple new,
			TupleDesc desc)
{
	bool		insert = TRIGGER_FIRED_BY_INSERT(event);
	bool		delete = TRIGGER_FIRED_BY_DELETE(event);
	const char *request = phrbac_request_activity(table, insert, delete, new, desc);

	if (request != NULL)
		return request;
	if (strcmp(table, "organization_members") == 0 ||
		strcmp(table, "role_members") == 0 ||
		strcmp(table, "project_members") == 0)
	{
		if (insert)
			return "member_added";
		if (delete)
			return "member_removed";
		if (column_changed(old, new, desc, "role"))
			return "role_changed";
	}
	if (strcmp(table, "api_keys") == 0)
	{
		if (insert)
			return "api_key_created";
		if (!delete && column_changed(old, new, desc, "revoked_at"))
			return "api_key_revoked";
		if (!delete && column_changed(old, new, desc, "secure_value"))
			return "api_key_rolled";
	}
	return insert ? "created" : delete ? "deleted" : "updated";
}

/*
 * True for rows a superuser loads with COPY while no principal is set: what
 * pg_restore does, replaying a dump whose audit log already holds these
 * changes.  A superuser could disable the trigger anyway; everyone else,
 * and every other statement, is audited.
 */
static bool
loading_as_superuser(void)
{
	PhrbacPrincipal principal;

	if (ActivePortal == NULL || ActivePortal->commandTag != CMDTAG_COPY ||
		!superuser())
		return false;
	phrbac_current_principal(&principal);
	return principal.user_id == 0;
}

/*
 * The audit trigger (AFTER INSERT OR UPDATE OR DELETE, per row), on every
 * phrbac catalog table and on protected tables.  Arguments: the scope
 * ("OrganizationMembership", "FeatureFlag", ...) and, on protected tables,
 * the project column.
 */
PG_FUNCTION_INFO_V1(phrbac_audit_trigger);
Datum
phrbac_audit_trigger(PG_FUNCTION_ARGS)
{
	TriggerData *trigdata = (TriggerData *) fcinfo->context;
	TupleDesc	desc;
	const char *table;
	HeapTuple	old = NULL;
	HeapTuple	new = NULL;
	HeapTuple	row_tuple;
	AuditRow	row = {0};
	JsonbParseState *detail = NULL;
	JsonbValue *detail_value;
	const char *name_column;
	int64		id;
	bool		protected_table;

	if (!CALLED_AS_TRIGGER(fcinfo) || !TRIGGER_FIRED_FOR_ROW(trigdata->tg_event) ||
		trigdata->tg_trigger->tgnargs < 1)
		ereport(ERROR,
				(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
				 errmsg("phrbac_audit_trigger() must be called as a row trigger with a scope")));
	if (loading_as_superuser())
		return PointerGetDatum(NULL);
	desc = RelationGetDescr(trigdata->tg_relation);
	table = RelationGetRelationName(trigdata->tg_relation);
	protected_table = trigdata->tg_trigger->tgnargs >= 2;
	if (!TRIGGER_FIRED_BY_INSERT(trigdata->tg_event))
		old = trigdata->tg_trigtuple;
	if (TRIGGER_FIRED_BY_INSERT(trigdata->tg_event))
		new = trigdata->tg_trigtuple;
	else if (TRIGGER_FIRED_BY_UPDATE(trigdata->tg_event))
		new = trigdata->tg_newtuple;
	row_tuple = new != NULL ? new : old;

	(void) pushJsonbValue(&detail, WJB_BEGIN_OBJECT, NULL);
	name_column = SPI_fnumber(desc, "name") > 0 ? "name" :
		SPI_fnumber(desc, "label") > 0 ? "label" :
		SPI_fnumber(desc, "email") > 0 ? "email" :
		SPI_fnumber(desc, "key") > 0 ? "key" : NULL;
	if (name_column != NULL)
		push_pair(&detail, "name", column_text(row_tuple, desc, SPI_fnumber(desc, name_column)));
	if (push_changes(&detail, trigdata->tg_trigger->tgargs[0], old, new, desc) == 0 &&
		old != NULL && new != NULL)
		return PointerGetDatum(NULL);	/* an update that changes nothing */
	detail_value = pushJsonbValue(&detail, WJB_END_OBJECT, NULL);

	row.scope = trigdata->tg_trigger->tgargs[0];
	row.activity = protected_table ? (TRIGGER_FIRED_BY_INSERT(trigdata->tg_event) ? "created" :
									  TRIGGER_FIRED_BY_DELETE(trigdata->tg_event) ? "deleted" :
									  "updated")
		: activity_of(table, trigdata->tg_event, old, new, desc);
	if (activity_label != NULL)
		row.activity = activity_label;
	if (column_int64(row_tuple, desc, "id", &id))
		row.item_id = psprintf(INT64_FORMAT, id);

	if (protected_table)
	{
		row.has_project = column_int64(row_tuple, desc, trigdata->tg_trigger->tgargs[1],
									   &row.project_id);
		if (row.has_project)
		{
			row.organization_id = phrbac_cache_project_organization(row.project_id);
			row.has_organization = row.organization_id != 0;
		}
	}
	else if (strcmp(table, "organizations") == 0)
	{
		row.has_organization = column_int64(row_tuple, desc, "id", &row.organization_id);
	}
	else
	{
		row.has_organization = column_int64(row_tuple, desc, "organization_id",
											&row.organization_id);
		if (strcmp(table, "projects") == 0)
			row.has_project = column_int64(row_tuple, desc, "id", &row.project_id);
		else
			row.has_project = column_int64(row_tuple, desc, "project_id", &row.project_id);
	}

	audit_append(&row, JsonbPGetDatum(JsonbValueToJsonb(detail_value)));
	return PointerGetDatum(NULL);
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

/*
 * The guard trigger of phrbac.audit_log (BEFORE, per statement): the log is
 * append-only, for its owner too.  This file's own rows never reach it
 * (insert_row() fires no trigger); prune's deletions pass.
 */
PG_FUNCTION_INFO_V1(phrbac_audit_guard);
Datum
phrbac_audit_guard(PG_FUNCTION_ARGS)
{
	TriggerData *trigdata = (TriggerData *) fcinfo->context;

	if (!CALLED_AS_TRIGGER(fcinfo))
		ereport(ERROR,
				(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
				 errmsg("phrbac_audit_guard() must be called as a trigger")));
	if (pruning_audit_log)
		return PointerGetDatum(NULL);
	if (TRIGGER_FIRED_BY_INSERT(trigdata->tg_event))
	{
		PhrbacPrincipal principal;

		/* the DBA's own inserts: pg_restore of a dump */
		phrbac_current_principal(&principal);
		if (principal.user_id == 0)
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
	else if (strcmp(chain_hash(prev_hash, row), hash) != 0)
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
	phrbac_catalog_read(verify_chains, &result);
	return (Datum) 0;
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

		lock_chain(has_organization, organization_id);
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
		audit_append(&checkpoint, DirectFunctionCall1(jsonb_in, CStringGetDatum(detail.data)));
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
	phrbac_catalog_read(prune_chains, &prune);
	PG_RETURN_INT64(prune.removed);
}
