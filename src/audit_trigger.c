/*
 * audit_trigger.c
 *     The audit trigger (README, "Audit log"): records each change to
 *     phrbac's catalog and to protected tables, with PostHog's detail (the
 *     row's name and its changes, secrets masked), where it happened, and
 *     what it was.
 */
#include "postgres.h"

#include "access/htup_details.h"
#include "catalog/pg_type_d.h"
#include "executor/spi.h"
#include "fmgr.h"
#include "miscadmin.h"
#include "tcop/pquery.h"
#include "utils/builtins.h"
#include "utils/datum.h"
#include "utils/lsyscache.h"
#include "utils/portal.h"
#include "utils/rel.h"

#include "approvals.h"
#include "audit.h"
#include "cache.h"
#include "catalog_table.h"
#include "citus.h"
#include "principal.h"
#include "trigger.h"

/* Columns whose values the log never shows (a project token is public, but not the log's to spread). */
static bool
is_secret(const char *column)
{
	return strcmp(column, "secure_value") == 0 || strcmp(column, "token") == 0;
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

/* What a change is called: its table's specific activity, or the generic one. */
static const char *
activity_of(PhrbacCatalogActivities activities, const char *table, TriggerEvent event,
			HeapTuple old, HeapTuple new, TupleDesc desc)
{
	bool		insert = TRIGGER_FIRED_BY_INSERT(event);
	bool		delete = TRIGGER_FIRED_BY_DELETE(event);

	if (activities == PHRBAC_ACTIVITIES_REQUESTS)
	{
		const char *request = phrbac_request_activity(table, insert, delete, new, desc);

		if (request != NULL)
			return request;
	}
	if (activities == PHRBAC_ACTIVITIES_MEMBERS)
	{
		if (insert)
			return "member_added";
		if (delete)
			return "member_removed";
		if (column_changed(old, new, desc, "role"))
			return "role_changed";
	}
	if (activities == PHRBAC_ACTIVITIES_API_KEYS)
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
	return !phrbac_principal_is_set(&principal);
}

/* The columns that name a row in PostHog's detail: the first a table has. */
static const char *const name_columns[] = {"name", "label", "email", "key"};

/*
 * The detail of a change, in PostHog's shape: the row's name and the
 * changes, each of type scope.  NULL for an update that changes nothing
 * worth recording.
 */
static Jsonb *
change_detail(const char *scope, HeapTuple old, HeapTuple new, TupleDesc desc)
{
	JsonbParseState *detail = NULL;
	size_t		i;

	(void) pushJsonbValue(&detail, WJB_BEGIN_OBJECT, NULL);
	for (i = 0; i < lengthof(name_columns); i++)
	{
		int			attnum = SPI_fnumber(desc, name_columns[i]);

		if (attnum > 0)
		{
			push_pair(&detail, "name", column_text(new != NULL ? new : old, desc, attnum));
			break;
		}
	}
	if (push_changes(&detail, scope, old, new, desc) == 0 && old != NULL && new != NULL)
		return NULL;
	return JsonbValueToJsonb(pushJsonbValue(&detail, WJB_END_OBJECT, NULL));
}

/* How the trigger reads one table's rows. */
typedef struct AuditedTable
{
	const char *catalog_name;	/* a catalog table's name; NULL: protected */
	const char *scope;
	PhrbacCatalogActivities activities;
	const char *organization_column;	/* NULL: the organization is the
										 * project's */
	const char *project_column;	/* NULL: rows of no project */
} AuditedTable;

/*
 * What the trigger's table is to the audit log: a protected table names
 * its scope and project column in the trigger's arguments; what a catalog
 * table is, catalog_table.c says (0.1.0 also gave its scope as an argument,
 * the same).
 */
static AuditedTable
audited_table(const TriggerData *trigdata)
{
	const Trigger *trigger = trigdata->tg_trigger;
	const PhrbacCatalogTable *catalog;
	AuditedTable table = {.activities = PHRBAC_ACTIVITIES_ROWS};

	if (trigger->tgnargs >= 2)
	{
		table.scope = trigger->tgargs[0];
		table.project_column = trigger->tgargs[1];
		return table;
	}
	catalog = phrbac_catalog_table(trigdata->tg_relation);
	if (catalog == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
				 errmsg("phrbac_audit_trigger() needs a scope and a project column on table \"%s\"",
						RelationGetRelationName(trigdata->tg_relation)),
				 errdetail("Only phrbac's own catalog tables are audited without them.")));
	table.catalog_name = catalog->name;
	table.scope = catalog->audit_scope;
	table.activities = catalog->activities;
	table.organization_column = catalog->organization_column;
	table.project_column = catalog->project_column;
	return table;
}

/* Where a row is: its project, and its organization, or its project's. */
static void
locate_row(AuditRow *row, const AuditedTable *table, HeapTuple tuple, TupleDesc desc)
{
	if (table->project_column != NULL)
		row->has_project = column_int64(tuple, desc, table->project_column,
										&row->project_id);
	if (table->organization_column != NULL)
		row->has_organization = column_int64(tuple, desc, table->organization_column,
											 &row->organization_id);
	else if (row->has_project)
	{
		row->organization_id = phrbac_cache_project_organization(row->project_id);
		row->has_organization = row->organization_id != 0;
	}
}

/*
 * The audit trigger (AFTER INSERT OR UPDATE OR DELETE, per row), on every
 * phrbac catalog table and on protected tables.  Arguments, on protected
 * tables: the scope ("FeatureFlag", ...) and the project column.
 */
PG_FUNCTION_INFO_V1(phrbac_audit_trigger);
Datum
phrbac_audit_trigger(PG_FUNCTION_ARGS)
{
	TriggerData *trigdata = phrbac_trigger_data(fcinfo, "phrbac_audit_trigger", true);
	TupleDesc	desc = RelationGetDescr(trigdata->tg_relation);
	AuditedTable table;
	HeapTuple	old = NULL;
	HeapTuple	new = NULL;
	AuditRow	row = {0};
	Jsonb	   *detail;
	int64		id;

	if (loading_as_superuser() || phrbac_citus_other_copy(trigdata->tg_relation))
		return PointerGetDatum(NULL);
	table = audited_table(trigdata);
	if (!TRIGGER_FIRED_BY_INSERT(trigdata->tg_event))
		old = trigdata->tg_trigtuple;
	if (TRIGGER_FIRED_BY_INSERT(trigdata->tg_event))
		new = trigdata->tg_trigtuple;
	else if (TRIGGER_FIRED_BY_UPDATE(trigdata->tg_event))
		new = trigdata->tg_newtuple;
	detail = change_detail(table.scope, old, new, desc);
	if (detail == NULL)
		return PointerGetDatum(NULL);

	row.scope = table.scope;
	row.activity = activity_of(table.activities, table.catalog_name, trigdata->tg_event,
							   old, new, desc);
	if (column_int64(new != NULL ? new : old, desc, "id", &id))
		row.item_id = psprintf(INT64_FORMAT, id);
	locate_row(&row, &table, new != NULL ? new : old, desc);
	phrbac_audit_append(&row, JsonbPGetDatum(detail));
	return PointerGetDatum(NULL);
}
