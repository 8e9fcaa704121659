/*
 * access_recheck.c
 *     A bitmap scan of a protected table checks each row the index returns
 *     as a plain index scan does: not at all, when the index condition a
 *     phrbac_can() call lent it is exact (README, "Protecting tables").
 *
 * For "phrbac_can(project, want)" with no object and no creator, the
 * planner support in access_index.c lends the scan the index condition
 * "project = ANY (phrbac_projects(want))", which holds for exactly the rows
 * the call allows.  A plain index scan then drops the call.  A bitmap heap
 * scan keeps it as a filter on every row: PostgreSQL drops a clause there
 * only when it equals an index condition or is provably implied by one,
 * which a stable function's call never is.  A member of three projects
 * whose rows are many enough for a bitmap scan paid one call per row, as
 * did the shard queries of a Citus worker whose shards were not vacuumed
 * yet (the plan seen there).
 *
 * After planning, such a call moves from the scan's filter to its recheck
 * condition, which PostgreSQL evaluates only on the rows of pages the
 * bitmap stored as lossy.  It moves only when the exact index condition
 * it stands for is, equal node for node, a condition of an index scan the
 * bitmap ANDs into the heap scan's: every row the scan returns from an
 * exact page then satisfies it.
 *
 * The hook is in place once the library is loaded.  A plan made while the
 * planner loads it (a backend's first statement that reaches phrbac through
 * a policy before any phrbac function ran, as a Citus worker's first shard
 * query does) keeps the filter: it is slower, never wrong.
 */
#include "postgres.h"

#include "miscadmin.h"
#include "nodes/plannodes.h"
#include "optimizer/planner.h"

#include "access.h"

static planner_hook_type previous_planner = NULL;

/* True when the bitmap tree under a heap scan ANDs in an index scan on condition. */
static bool
bitmap_holds(Plan *bitmap, Node *condition)
{
	ListCell   *lc;

	if (IsA(bitmap, BitmapIndexScan))
		return list_member(((BitmapIndexScan *) bitmap)->indexqualorig, condition);
	if (IsA(bitmap, BitmapAnd))
		foreach(lc, ((BitmapAnd *) bitmap)->bitmapplans)
			if (bitmap_holds(lfirst(lc), condition))
				return true;
	return false;				/* a BitmapOr returns rows of its other arms too */
}

/* Moves the scan's exact checks from its filter to its recheck condition. */
static void
move_exact_checks(BitmapHeapScan *scan)
{
	List	   *filter = NIL;
	ListCell   *lc;

	foreach(lc, scan->scan.plan.qual)
	{
		Node	   *clause = lfirst(lc);
		ScalarArrayOpExpr *condition = NULL;

		if (phrbac_is_can_call(clause))
			condition = phrbac_exact_project_condition(((FuncExpr *) clause)->args);
		if (condition != NULL && bitmap_holds(scan->scan.plan.lefttree, (Node *) condition))
			scan->bitmapqualorig = lappend(scan->bitmapqualorig, clause);
		else
			filter = lappend(filter, clause);
	}
	scan->scan.plan.qual = filter;
}

static void
visit_plans(List *plans);

/* Every bitmap heap scan of the plan tree, and of the plans under it. */
static void
visit_plan(Plan *plan)
{
	if (plan == NULL)
		return;
	check_stack_depth();
	if (IsA(plan, BitmapHeapScan))
		move_exact_checks((BitmapHeapScan *) plan);
	visit_plan(plan->lefttree);
	visit_plan(plan->righttree);
	if (IsA(plan, Append))
		visit_plans(((Append *) plan)->appendplans);
	else if (IsA(plan, MergeAppend))
		visit_plans(((MergeAppend *) plan)->mergeplans);
	else if (IsA(plan, SubqueryScan))
		visit_plan(((SubqueryScan *) plan)->subplan);
	else if (IsA(plan, CustomScan))
		visit_plans(((CustomScan *) plan)->custom_plans);
}

static void
visit_plans(List *plans)
{
	ListCell   *lc;

	foreach(lc, plans)
		visit_plan(lfirst(lc));
}

static PlannedStmt *
plan_with_exact_rechecks(Query *parse, const char *query_string, int cursor_options,
						 ParamListInfo bound_params)
{
	PlannedStmt *plan;

	if (previous_planner != NULL)
		plan = previous_planner(parse, query_string, cursor_options, bound_params);
	else
		plan = standard_planner(parse, query_string, cursor_options, bound_params);
	visit_plan(plan->planTree);
	visit_plans(plan->subplans);	/* the plans of sub-selects */
	return plan;
}

void
phrbac_recheck_init(void)
{
	previous_planner = planner_hook;
	planner_hook = plan_with_exact_rechecks;
}
