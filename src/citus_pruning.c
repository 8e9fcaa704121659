/*
 * citus_pruning.c
 *     On a Citus cluster, the principal's projects written into a query on
 *     a table distributed by its project, so that Citus sends the query to
 *     the shards that hold those projects only (README, "Citus").
 *
 * Citus plans a distributed query without the table's policies, which run
 * on the workers, shard by shard: a member of three projects of a thousand
 * had their count sent to every shard.  When the policy that applies to a
 * table in a SELECT is phrbac_can(project, want) with no object and no
 * creator, and the table is hash-distributed by that project column,
 * "project = ANY (the principal's projects)" holds for every row the policy
 * lets through (access_index.c), and written with the list as a constant
 * it is a condition Citus prunes shards by.  It is added where it filters
 * the table's rows alone: in the WHERE of the query level that reads the
 * table, when no outer join stands between them.  The policy still decides
 * on the workers: the condition only narrows what they are sent.
 *
 * A plan holding the projects of one principal at one statement serves that
 * statement only: another principal, or a grant committed since, would find
 * shards missing.  Such a plan lists phrbac_projects()'s entry in pg_proc
 * among what it depends on, and when it starts running this backend's plan
 * cache is told that entry changed: a prepared statement's plan is made
 * afresh for each execution, as a custom plan is.  The only other plans
 * this remakes are those that call phrbac_projects() themselves.
 */
#include "postgres.h"

#include "catalog/pg_type_d.h"
#include "executor/executor.h"
#include "executor/spi.h"
#include "nodes/makefuncs.h"
#include "nodes/nodeFuncs.h"
#include "optimizer/planner.h"
#include "utils/builtins.h"
#include "utils/fmgroids.h"
#include "utils/hsearch.h"
#include "utils/lsyscache.h"
#include "utils/inval.h"
#include "utils/syscache.h"

#include "access.h"
#include "cache.h"
#include "catalog.h"
#include "citus.h"

static planner_hook_type previous_planner = NULL;
static ExecutorStart_hook_type previous_executor_start = NULL;

/*
 * What a plan that holds a principal's projects depends on: the hash of
 * phrbac_projects()'s pg_proc entry (0 before the first such plan).
 */
static uint32 pruned_plan_dependency = 0;

/* How Citus distributes a table: by the hash of a column, over shards. */
typedef struct Distribution
{
	Oid			relid;			/* hash key */
	AttrNumber	column;			/* 0: not hash-distributed */
	int64		shards;
} Distribution;

static HTAB *distributions = NULL;

static void
read_distribution(void *arg)
{
	Distribution *table = arg;
	Oid			types[1] = {OIDOID};
	Datum		values[1] = {ObjectIdGetDatum(table->relid)};
	bool		isnull;

	if (SPI_execute_with_args("SELECT a.attnum, (SELECT pg_catalog.count(*) FROM pg_catalog.pg_dist_shard AS s"
							  "                  WHERE s.logicalrelid OPERATOR(pg_catalog.=) p.logicalrelid)"
							  "  FROM pg_catalog.pg_dist_partition AS p"
							  "  JOIN pg_catalog.pg_attribute AS a ON a.attrelid OPERATOR(pg_catalog.=) p.logicalrelid"
							  "   AND a.attname OPERATOR(pg_catalog.=) pg_catalog.column_to_column_name(p.logicalrelid, p.partkey)"
							  " WHERE p.logicalrelid OPERATOR(pg_catalog.=) $1"
							  "   AND p.partmethod OPERATOR(pg_catalog.=) 'h'",
							  1, types, values, NULL, true, 1) != SPI_OK_SELECT)
		elog(ERROR, "could not read Citus's metadata");
	if (SPI_processed == 1)
	{
		table->column = DatumGetInt16(SPI_getbinval(SPI_tuptable->vals[0],
													SPI_tuptable->tupdesc, 1, &isnull));
		table->shards = DatumGetInt64(SPI_getbinval(SPI_tuptable->vals[0],
													SPI_tuptable->tupdesc, 2, &isnull));
	}
}

/*
 * How Citus distributes the relation, read once per backend: Citus changes
 * a table's distribution by making a new table.  An answer gone stale would
 * cost speed only, never rows: the condition holds whatever the
 * distribution.
 */
static const Distribution *
table_distribution(Oid relid)
{
	Distribution *table;
	Distribution read = {.relid = relid};
	bool		found;

	if (distributions == NULL)
	{
		HASHCTL		ctl;

		ctl.keysize = sizeof(Oid);
		ctl.entrysize = sizeof(Distribution);
		distributions = hash_create("phrbac Citus distributions", 16, &ctl,
									HASH_ELEM | HASH_BLOBS);
	}
	table = hash_search(distributions, &relid, HASH_FIND, NULL);
	if (table != NULL)
		return table;
	phrbac_as_catalog_owner(read_distribution, &read);
	table = hash_search(distributions, &relid, HASH_ENTER, &found);
	*table = read;
	return table;
}

/*
 * True when the query's WHERE already holds the column to one value
 * ("column = constant or parameter"): Citus routes it to one shard by
 * itself, and faster with no list to carry.
 */
static bool
routed_by_query(Query *query, int rtindex, AttrNumber column)
{
	ListCell   *lc;

	foreach(lc, make_ands_implicit((Expr *) query->jointree->quals))
	{
		OpExpr	   *equals = lfirst(lc);
		Node	   *left;
		Node	   *right;

		if (!IsA(equals, OpExpr) || list_length(equals->args) != 2 ||
			get_oprrest(equals->opno) != F_EQSEL)
			continue;
		left = strip_implicit_coercions(linitial(equals->args));
		right = strip_implicit_coercions(lsecond(equals->args));
		if (IsA(right, Var))
		{
			Node	   *var = right;

			right = left;
			left = var;
		}
		if (IsA(left, Var) && ((Var *) left)->varno == rtindex &&
			((Var *) left)->varattno == column && ((Var *) left)->varlevelsup == 0 &&
			(IsA(right, Const) || IsA(right, Param)))
			return true;
	}
	return false;
}

/*
 * True when the principal's projects can be listed without reading the
 * catalog, which planning leaves alone: there is no principal, or the
 * cache holds the facts of the principal's user (phrbac_set_user() and
 * phrbac_authenticate() load them on this node).  Project credentials are
 * left to the workers.
 */
static bool
projects_at_hand(void)
{
	PhrbacPrincipal principal;

	phrbac_current_principal(&principal);
	if (!phrbac_principal_is_set(&principal))
		return true;
	return principal.project_id == 0 && phrbac_cache_holds_user(principal.user_id);
}

/*
 * "project = ANY ('{...}')", the principal's projects now, for the table at
 * rtindex of the query, when its policies are a check Citus can prune by
 * and the condition would prune: fewer projects than the table has shards,
 * in a query Citus does not already route to one.  Else NULL.
 * *list_function is set to phrbac_projects().
 */
static Node *
pruning_condition(Query *query, RangeTblEntry *rte, int rtindex, Oid *list_function)
{
	ListCell   *lc;

	foreach(lc, rte->securityQuals)
	{
		Node	   *qual = lfirst(lc);
		ScalarArrayOpExpr *condition;
		Var		   *project;
		Const	   *want;
		const Distribution *distribution;
		ArrayType  *projects;

		if (!phrbac_is_can_call(qual))
			continue;
		condition = phrbac_exact_project_condition(((FuncExpr *) qual)->args);
		if (condition == NULL || !IsA(linitial(condition->args), Var))
			continue;
		project = linitial(condition->args);
		want = (Const *) linitial(((FuncExpr *) lsecond(condition->args))->args);
		if (project->varno != rtindex || project->varlevelsup != 0 ||
			!IsA(want, Const) || want->constisnull)
			continue;
		distribution = table_distribution(rte->relid);
		if (distribution->column != project->varattno ||
			routed_by_query(query, rtindex, project->varattno) || !projects_at_hand())
			continue;
		projects = phrbac_allowed_projects(want->constvalue);
		if (ArrayGetNItems(ARR_NDIM(projects), ARR_DIMS(projects)) >= distribution->shards)
			continue;
		*list_function = ((FuncExpr *) lsecond(condition->args))->funcid;
		lsecond(condition->args) = makeConst(INT8ARRAYOID, -1, InvalidOid, -1,
											 PointerGetDatum(projects), false, false);
		return (Node *) condition;
	}
	return NULL;
}

/* True when the table at rtindex is joined to the query's others by inner joins only. */
static bool
joined_inner(Node *node, int rtindex)
{
	ListCell   *lc;

	if (IsA(node, RangeTblRef))
		return ((RangeTblRef *) node)->rtindex == rtindex;
	if (IsA(node, FromExpr))
	{
		foreach(lc, ((FromExpr *) node)->fromlist)
			if (joined_inner(lfirst(lc), rtindex))
				return true;
		return false;
	}
	if (IsA(node, JoinExpr) && ((JoinExpr *) node)->jointype == JOIN_INNER)
		return joined_inner(((JoinExpr *) node)->larg, rtindex) ||
			joined_inner(((JoinExpr *) node)->rarg, rtindex);
	return false;
}

/*
 * Adds the conditions to a SELECT and the sub-queries it reads from; sets
 * *list_function when it adds one.
 */
static void
add_pruning_conditions(Query *query, Oid *list_function)
{
	ListCell   *lc;
	int			rtindex = 0;

	foreach(lc, query->rtable)
	{
		RangeTblEntry *rte = lfirst(lc);
		Node	   *condition;

		rtindex++;
		if (rte->rtekind == RTE_SUBQUERY)
			add_pruning_conditions(rte->subquery, list_function);
		if (rte->rtekind != RTE_RELATION || rte->securityQuals == NIL ||
			!joined_inner((Node *) query->jointree, rtindex))
			continue;
		condition = pruning_condition(query, rte, rtindex, list_function);
		if (condition == NULL)
			continue;
		query->jointree->quals = make_and_qual(query->jointree->quals, condition);
	}
}

static PlannedStmt *
plan_with_pruning(Query *parse, const char *query_string, int cursor_options,
				  ParamListInfo bound_params)
{
	Oid			list_function = InvalidOid;
	PlannedStmt *plan;
	PlanInvalItem *dependency;

	if (parse->commandType == CMD_SELECT)
		add_pruning_conditions(parse, &list_function);
	if (previous_planner != NULL)
		plan = previous_planner(parse, query_string, cursor_options, bound_params);
	else
		plan = standard_planner(parse, query_string, cursor_options, bound_params);
	if (OidIsValid(list_function))
	{
		dependency = makeNode(PlanInvalItem);
		dependency->cacheId = PROCOID;
		dependency->hashValue = GetSysCacheHashValue1(PROCOID, ObjectIdGetDatum(list_function));
		plan->invalItems = lappend(plan->invalItems, dependency);
		pruned_plan_dependency = dependency->hashValue;
	}
	return plan;
}

static bool
holds_projects(PlannedStmt *plan)
{
	ListCell   *lc;

	if (pruned_plan_dependency == 0)
		return false;
	foreach(lc, plan->invalItems)
	{
		PlanInvalItem *item = lfirst(lc);

		if (item->cacheId == PROCOID && item->hashValue == pruned_plan_dependency)
			return true;
	}
	return false;
}

static void
start_pruned_plan(QueryDesc *query, int eflags)
{
	if (holds_projects(query->plannedstmt))
		CallSyscacheCallbacks(PROCOID, pruned_plan_dependency);
	if (previous_executor_start != NULL)
		previous_executor_start(query, eflags);
	else
		standard_ExecutorStart(query, eflags);
}

void
phrbac_citus_pruning_init(void)
{
	previous_planner = planner_hook;
	planner_hook = plan_with_pruning;
	previous_executor_start = ExecutorStart_hook;
	ExecutorStart_hook = start_pruned_plan;
}
