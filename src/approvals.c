/*
 * approvals.c
 *     Approvals (README, "Approvals"): phrbac_approve(), which applies a
 *     change request at its quorum as the requester, and the audit
 *     activities of the request tables.
 *
 * The bodies are SQL (sql/install/approvals.sql): phrbac.approve_steps
 * records the vote and, at the quorum, marks the request applied and says
 * what to apply; phrbac.apply_steps applies it.  Between the two, this file
 * makes the requester the principal and lets the write past the approval
 * trigger of the protected table, which nothing else can: the flag lives
 * here, not in a setting.
 */
#include "postgres.h"

#include "catalog/pg_type_d.h"
#include "executor/spi.h"
#include "fmgr.h"
#include "utils/builtins.h"
#include "utils/jsonb.h"

#include "approvals.h"
#include "audit.h"
#include "governance.h"
#include "principal.h"

/* The change request being applied by phrbac_approve(), or 0. */
static int64 applying_request = 0;

/* A text field of a jsonb object, or NULL. */
static char *
jsonb_field(Datum object, const char *field)
{
	Jsonb	   *jb = DatumGetJsonbP(object);
	JsonbValue	key = {.type = jbvString,.val.string = {.val = (char *) field,.len = strlen(field)}};
	JsonbValue *v = findJsonbValueFromContainer(&jb->root, JB_FOBJECT, &key);

	if (v == NULL || v->type == jbvNull)
		return NULL;
	if (v->type == jbvString)
		return pnstrdup(v->val.string.val, v->val.string.len);
	if (v->type == jbvNumeric)
		return DatumGetCString(DirectFunctionCall1(numeric_out, NumericGetDatum(v->val.numeric)));
	return NULL;
}

/*
 * phrbac_approve(request_id, reason): the current principal's approval;
 * at the quorum, the change is applied in this transaction as the
 * requester, and every audit row of the write reads change_applied.
 * Returns the request's state: pending or applied.
 */
PG_FUNCTION_INFO_V1(phrbac_approve);
Datum
phrbac_approve(PG_FUNCTION_ARGS)
{
	GovernanceCall steps = {.body = "approve_steps", .nargs = 2,
	.types = {INT8OID, TEXTOID}};
	GovernanceCall apply = {.body = "apply_steps", .nargs = 1,
	.types = {JSONBOID}};
	PhrbacPrincipal approver;
	PhrbacPrincipal requester;
	char	   *state;
	char	   *requested_by;

	if (PG_ARGISNULL(0))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("phrbac_approve() needs a change request id")));
	steps.args[0] = PG_GETARG_DATUM(0);
	steps.nulls[1] = PG_ARGISNULL(1);
	steps.args[1] = steps.nulls[1] ? (Datum) 0 : PG_GETARG_DATUM(1);
	phrbac_governance_call(&steps);

	state = jsonb_field(steps.result, "state");
	if (state == NULL || strcmp(state, "applied") != 0)
		PG_RETURN_TEXT_P(cstring_to_text(state != NULL ? state : "pending"));

	requested_by = jsonb_field(steps.result, "requested_by");
	if (requested_by == NULL)
		elog(ERROR, "phrbac.approve_steps named no requester");
	phrbac_current_principal(&approver);
	memset(&requester, 0, sizeof(requester));
	requester.user_id = pg_strtoint64(requested_by);
	strlcpy(requester.auth_method, approver.auth_method, sizeof(requester.auth_method));
	apply.args[0] = steps.result;

	/*
	 * On error the transaction (or subtransaction) rolls back the principal
	 * with it; only the flag needs putting back by hand.
	 */
	phrbac_principal_set(&requester, true);
	applying_request = pg_strtoint64(jsonb_field(steps.result, "request"));
	PG_TRY();
	{
		phrbac_audit_labelled("change_applied", phrbac_governance_call, &apply);
	}
	PG_CATCH();
	{
		applying_request = 0;
		PG_RE_THROW();
	}
	PG_END_TRY();
	applying_request = 0;
	phrbac_principal_set(&approver, true);
	PG_RETURN_TEXT_P(cstring_to_text("applied"));
}

/*
 * phrbac_applying_change(): the change request phrbac_approve() is
 * applying, or NULL: the approval trigger lets that write through.
 */
PG_FUNCTION_INFO_V1(phrbac_applying_change);
Datum
phrbac_applying_change(PG_FUNCTION_ARGS)
{
	if (applying_request == 0)
		PG_RETURN_NULL();
	PG_RETURN_INT64(applying_request);
}

/* The text of a column of the tuple, or NULL. */
static char *
state_of(HeapTuple tuple, TupleDesc desc, const char *column)
{
	int			attnum = SPI_fnumber(desc, column);

	if (tuple == NULL || attnum <= 0)
		return NULL;
	return SPI_getvalue(tuple, desc, attnum);
}

const char *
phrbac_request_activity(const char *table, bool insert, bool delete,
						HeapTuple new, TupleDesc desc)
{
	bool		changes = strcmp(table, "change_requests") == 0;
	bool		access = strcmp(table, "access_requests") == 0;
	char	   *value;

	if (strcmp(table, "change_request_votes") == 0)
	{
		value = insert ? state_of(new, desc, "vote") : NULL;
		if (value != NULL && strcmp(value, "approve") == 0)
			return "change_approved";
		if (value != NULL && strcmp(value, "reject") == 0)
			return "change_rejected";
		return NULL;
	}
	if ((!changes && !access) || delete)
		return NULL;
	if (insert)
		return changes ? "change_requested" : "access_requested";
	value = state_of(new, desc, "state");
	if (value == NULL)
		return NULL;
	if (changes)
	{
		if (strcmp(value, "applied") == 0)
			return "change_applied";
		if (strcmp(value, "rejected") == 0)
			return "change_rejected";
		if (strcmp(value, "cancelled") == 0)
			return "change_cancelled";
		if (strcmp(value, "stale") == 0)
			return "change_stale";
		if (strcmp(value, "expired") == 0)
			return "change_expired";
		return NULL;
	}
	if (strcmp(value, "approved") == 0)
		return "access_approved";
	if (strcmp(value, "denied") == 0)
		return "access_denied";
	if (strcmp(value, "expired") == 0)
		return "access_expired";
	if (strcmp(value, "cancelled") == 0)
		return "access_cancelled";
	return NULL;
}
