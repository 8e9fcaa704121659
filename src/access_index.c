/*
 * access_index.c
 *     The planner support of phrbac_can(): the index condition a check on
 *     a project column lends a scan, and the share of rows it lets
 *     through, so that a policy written as one call per row (phrbac_protect
 *     without an object column, and its citus form: README "Protecting
 *     tables") reads only the rows of the projects the principal can reach
 *     through an index on that column, and a plan is sized for the
 *     principal's projects.
 *
 * phrbac_projects(want) lists exactly the projects for which
 * phrbac_can(project, want) is true, both reading the same cached facts at
 * the same statement time (access_list.c).  So "project = ANY (that list)"
 * is an exact index condition for a check with no object, and the call
 * itself need not run on the rows the index returns.  With an object,
 * phrbac_projects_reachable(want) lists the projects where some object may
 * be allowed: the condition is lossy and the call stays as the filter.
 * With a creator the creator bypass reaches beyond those projects: no
 * index condition then.  The list is a stable call, evaluated once when
 * the scan starts.
 *
 * The selectivity is that of the same condition, which the planner
 * estimates by making the list now, for the principal planning: an owner
 * who reaches every project gets a scan of the whole table (in parallel
 * where it pays), a member of three projects an index scan.  A plan kept
 * for another principal is then at worst slower, never wrong: the
 * condition is always made afresh when it runs.
 */
#include "postgres.h"

#include "access/stratnum.h"
#include "catalog/pg_namespace_d.h"
#include "catalog/pg_opfamily_d.h"
#include "catalog/pg_type_d.h"
#include "fmgr.h"
#include "nodes/makefuncs.h"
#include "nodes/nodeFuncs.h"
#include "nodes/supportnodes.h"
#include "optimizer/optimizer.h"
#include "parser/parse_func.h"
#include "utils/lsyscache.h"

#include "access.h"

bool
phrbac_is_can_call(Node *node)
{
	FuncExpr   *call = (FuncExpr *) node;
	char	   *name;
	bool		found;

	if (!IsA(node, FuncExpr) || get_func_namespace(call->funcid) != PG_CATALOG_NAMESPACE)
		return false;
	name = get_func_name(call->funcid);
	found = name != NULL && strcmp(name, "phrbac_can") == 0;
	if (name != NULL)
		pfree(name);
	return found;
}

static bool
is_null_constant(Node *node)
{
	return node == NULL || (IsA(node, Const) && ((Const *) node)->constisnull);
}

/* The stable call listing the projects a check can allow: see above. */
static FuncExpr *
project_list_call(const char *function, Node *want)
{
	Oid			argtype = exprType(want);
	Oid			funcid = LookupFuncName(list_make2(makeString("pg_catalog"),
												   makeString((char *) function)),
										1, &argtype, false);

	return makeFuncExpr(funcid, INT8ARRAYOID, list_make1(copyObject(want)),
						InvalidOid, InvalidOid, COERCE_EXPLICIT_CALL);
}

/*
 * The condition a check of these arguments stands for: "project = ANY
 * (list)", with whether it is lossy; NULL when the check has none (a
 * creator bypass, or a project column that is not bigint).
 */
static ScalarArrayOpExpr *
project_condition(List *args, bool *lossy)
{
	Node	   *project = linitial(args);
	Node	   *object = list_length(args) >= 3 ? lthird(args) : NULL;
	Node	   *creator = list_length(args) >= 4 ? lfourth(args) : NULL;
	Oid			equals;
	ScalarArrayOpExpr *condition;

	if (exprType(project) != INT8OID || !is_null_constant(creator))
		return NULL;
	equals = get_opfamily_member(INTEGER_BTREE_FAM_OID, INT8OID, INT8OID,
								 BTEqualStrategyNumber);
	if (!OidIsValid(equals))
		return NULL;
	*lossy = !is_null_constant(object);

	condition = makeNode(ScalarArrayOpExpr);
	condition->opno = equals;
	condition->opfuncid = get_opcode(equals);
	condition->useOr = true;
	condition->inputcollid = InvalidOid;
	condition->args = list_make2(copyObject(project),
								 project_list_call(*lossy ? "phrbac_projects_reachable"
												   : "phrbac_projects", lsecond(args)));
	condition->location = -1;
	return condition;
}

ScalarArrayOpExpr *
phrbac_exact_project_condition(List *args)
{
	bool		lossy;
	ScalarArrayOpExpr *condition = project_condition(args, &lossy);

	return condition != NULL && !lossy ? condition : NULL;
}

static Node *
index_condition(SupportRequestIndexCondition *req)
{
	ScalarArrayOpExpr *condition;
	bool		lossy;

	if (!is_funcclause(req->node) || req->indexarg != 0 ||
		req->opfamily != INTEGER_BTREE_FAM_OID)
		return NULL;
	condition = project_condition(((FuncExpr *) req->node)->args, &lossy);
	if (condition == NULL)
		return NULL;
	req->lossy = lossy;
	return (Node *) list_make1(condition);
}

static Node *
selectivity(SupportRequestSelectivity *req)
{
	ScalarArrayOpExpr *condition;
	bool		lossy;

	if (req->is_join)
		return NULL;
	condition = project_condition(req->args, &lossy);
	if (condition == NULL)
		return NULL;
	req->selectivity = clause_selectivity(req->root, (Node *) condition, req->varRelid,
										  req->jointype, req->sjinfo);
	return (Node *) req;
}

PG_FUNCTION_INFO_V1(phrbac_can_support);
Datum
phrbac_can_support(PG_FUNCTION_ARGS)
{
	Node	   *req = (Node *) PG_GETARG_POINTER(0);

	if (IsA(req, SupportRequestIndexCondition))
		PG_RETURN_POINTER(index_condition((SupportRequestIndexCondition *) req));
	if (IsA(req, SupportRequestSelectivity))
		PG_RETURN_POINTER(selectivity((SupportRequestSelectivity *) req));
	PG_RETURN_POINTER(NULL);
}
