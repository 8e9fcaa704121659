/*
 * access_index.c
 *     The planner support of phrbac_can(): the index condition a check on
 *     a project column lends a scan, so that a policy written as one call
 *     per row (the citus form of phrbac_protect, README "Protecting
 *     tables") still reads only the rows of the projects the principal can
 *     reach through an index on that column.
 *
 * phrbac_can(project, want[, object, NULL]) is true only for projects that
 * phrbac_projects(want) lists (phrbac_projects_reachable(want) with an
 * object), so "project = ANY (that list)" is a lossy index condition: the
 * call stays as the filter of what the index returns.  The list is a
 * stable call, evaluated once when the scan starts.  With a creator the
 * creator bypass reaches beyond those projects: no index condition then.
 *
 * The planner cannot know how long the list will be, and guesses ten: an
 * owner who reaches every project would get an index scan of the whole
 * table.  So the list is also made now, for the principal planning, and
 * the condition offered only when it names at most a fifth of the column's
 * distinct projects.  A plan kept for another principal is then at worst
 * slower, never wrong: the condition is always made afresh when it runs.
 */
#include "postgres.h"

#include "access/stratnum.h"
#include "catalog/namespace.h"
#include "catalog/pg_opfamily_d.h"
#include "catalog/pg_type_d.h"
#include "fmgr.h"
#include "nodes/makefuncs.h"
#include "nodes/nodeFuncs.h"
#include "nodes/supportnodes.h"
#include "parser/parse_func.h"
#include "utils/array.h"
#include "utils/lsyscache.h"
#include "utils/selfuncs.h"

/* The share of a column's projects up to which an index scan pays. */
#define INDEX_SCAN_SHARE 0.2

/* The stable call listing the projects a check can allow: see above. */
static FuncExpr *
project_list_call(const char *function, Node *want)
{
	Oid			argtype = exprType(want);
	Oid			funcid = LookupFuncName(list_make2(makeString("pg_catalog"),
												   makeString((char *) function)),
										1, &argtype, false);

	return makeFuncExpr(funcid, INT8ARRAYOID, list_make1(want),
						InvalidOid, InvalidOid, COERCE_EXPLICIT_CALL);
}

/*
 * True when the list, made now, names so large a share of the column's
 * projects that reading the index would cost more than reading the table.
 */
static bool
reaches_most_projects(PlannerInfo *root, Node *column, FuncExpr *list)
{
	Node	   *want = linitial(list->args);
	VariableStatData column_stats;
	bool		default_estimate;
	double		projects;
	int			listed;

	if (!IsA(want, Const) || ((Const *) want)->constisnull)
		return false;
	examine_variable(root, column, 0, &column_stats);
	projects = get_variable_numdistinct(&column_stats, &default_estimate);
	ReleaseVariableStats(column_stats);
	if (default_estimate)
		return false;
	listed = ArrayGetNItems(1, ARR_DIMS(DatumGetArrayTypeP(
		OidFunctionCall1(list->funcid, ((Const *) want)->constvalue))));
	return listed > INDEX_SCAN_SHARE * projects;
}

PG_FUNCTION_INFO_V1(phrbac_can_support);
Datum
phrbac_can_support(PG_FUNCTION_ARGS)
{
	Node	   *rawreq = (Node *) PG_GETARG_POINTER(0);
	SupportRequestIndexCondition *req;
	FuncExpr   *check;
	Node	   *object = NULL;
	ScalarArrayOpExpr *condition;
	FuncExpr   *list;
	Oid			equals;

	if (!IsA(rawreq, SupportRequestIndexCondition))
		PG_RETURN_POINTER(NULL);
	req = (SupportRequestIndexCondition *) rawreq;
	if (!is_funcclause(req->node) || req->indexarg != 0 ||
		req->opfamily != INTEGER_BTREE_FAM_OID)
		PG_RETURN_POINTER(NULL);
	check = (FuncExpr *) req->node;
	if (exprType(linitial(check->args)) != INT8OID)
		PG_RETURN_POINTER(NULL);
	if (list_length(check->args) >= 3)
	{
		Node	   *creator = list_length(check->args) >= 4 ? lfourth(check->args) : NULL;

		if (creator != NULL && !(IsA(creator, Const) && ((Const *) creator)->constisnull))
			PG_RETURN_POINTER(NULL);
		object = lthird(check->args);
	}
	equals = get_opfamily_member(INTEGER_BTREE_FAM_OID, INT8OID, INT8OID,
								 BTEqualStrategyNumber);
	if (!OidIsValid(equals))
		PG_RETURN_POINTER(NULL);

	list = project_list_call(object != NULL &&
							 !(IsA(object, Const) && ((Const *) object)->constisnull)
							 ? "phrbac_projects_reachable" : "phrbac_projects",
							 copyObject(lsecond(check->args)));
	if (reaches_most_projects(req->root, linitial(check->args), list))
		PG_RETURN_POINTER(NULL);

	condition = makeNode(ScalarArrayOpExpr);
	condition->opno = equals;
	condition->opfuncid = get_opcode(equals);
	condition->useOr = true;
	condition->inputcollid = InvalidOid;
	condition->args = list_make2(copyObject(linitial(check->args)), list);
	condition->location = -1;
	req->lossy = true;
	PG_RETURN_POINTER(list_make1(condition));
}
