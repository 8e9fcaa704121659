/*
 * access_list.c
 *     The principal's projects as lists, for the policies of protected
 *     tables (README, "Protecting tables"), and the resources that take
 *     access rules, for the access matrix.
 */
#include "postgres.h"

#include "catalog/pg_type_d.h"
#include "fmgr.h"
#include "funcapi.h"
#include "utils/array.h"
#include "utils/builtins.h"

#include "access.h"
#include "cache.h"
#include "core/resource.h"
#include "datum.h"
#include "project_key.h"

/* True when a live rule on one object of the resource applies to the user. */
static bool
has_object_rules(const PhrbacRule *rules, int nrules, int resource)
{
	PhrbacTimestamp now = phrbac_now();
	int			i;

	for (i = 0; i < nrules; i++)
		if (rules[i].object != NULL && rules[i].resource == resource &&
			phrbac_is_live(rules[i].expires_at, now))
			return true;
	return false;
}

/* Which of the principal's projects a project list keeps. */
typedef enum ProjectList
{
	ALLOWED,					/* want is held resource-wide */
	REACHABLE					/* ... or object rules may grant it per object */
} ProjectList;

/* True when access rules (step 7) or the system default decided. */
static bool
rules_decided(const PhrbacDecision *decision)
{
	return decision->source == PHRBAC_SOURCE_RESOURCE ||
		decision->source == PHRBAC_SOURCE_ORGANIZATION ||
		decision->source == PHRBAC_SOURCE_SYSTEM_DEFAULT;
}

/*
 * The principal's projects that a list keeps, for want, as bigint[].  A
 * project's resource-wide decision tells whether an object rule could change
 * the answer for one object: only when the rules were what decided.
 */
typedef struct ListState
{
	const PhrbacUserFacts *user;
	PhrbacPrincipal *principal;
	PhrbacAsk  *ask;
	ProjectList list;
	int64	   *ids;
	int			count;
} ListState;

static void
list_project(const PhrbacProjectFacts *project, void *arg)
{
	ListState  *state = arg;
	const PhrbacUserFacts *user = state->user;
	const PhrbacOrganizationFacts *organization =
		&user->organizations[project->organization];
	PhrbacDecision decision;

	state->ask->project_id = project->id;
	phrbac_decide_ask(user, state->principal, state->ask, &decision);
	if (decision.allowed ||
		(state->list == REACHABLE && rules_decided(&decision) &&
		 (has_object_rules(project->rules, project->nrules, state->ask->want.resource) ||
		  has_object_rules(organization->rules, organization->nrules,
						   state->ask->want.resource))))
		state->ids[state->count++] = project->id;
}

static int
compare_ids(const void *a, const void *b)
{
	int64		x = *(const int64 *) a;
	int64		y = *(const int64 *) b;

	return x < y ? -1 : x > y;
}

static ArrayType *
project_list(Datum want, bool want_isnull, ProjectList list)
{
	PhrbacPrincipal principal;
	ListState	state = {0};
	Datum	   *ids;
	int			nprojects = 0;
	int			i;
	PhrbacAsk	ask = {0};

	phrbac_current_principal(&principal);
	if (want_isnull || !phrbac_principal_is_set(&principal))
		return construct_empty_array(INT8OID);
	ask.want = phrbac_grant_unpack(DatumGetPhrbacGrantData(want));
	if (ask.want.resource == PHRBAC_RESOURCE_ANY)
		return construct_empty_array(INT8OID);
	if (principal.project_id != 0)	/* a project key or token: project_key.c */
		return phrbac_credential_projects(&principal, &ask.want);

	state.user = phrbac_cache_user(principal.user_id);
	state.principal = &principal;
	state.ask = &ask;
	state.list = list;
	for (i = 0; i < state.user->norganizations; i++)
		nprojects += state.user->organizations[i].nprojects;
	state.ids = palloc(sizeof(int64) * (nprojects + 1));
	phrbac_user_each_reachable_project(state.user, list_project, &state);
	qsort(state.ids, state.count, sizeof(int64), compare_ids);
	ids = palloc(sizeof(Datum) * (state.count + 1));
	for (i = 0; i < state.count; i++)
		ids[i] = Int64GetDatum(state.ids[i]);
	return construct_array(ids, state.count, INT8OID, sizeof(int64), true,
						   TYPALIGN_DOUBLE);
}

ArrayType *
phrbac_allowed_projects(Datum want)
{
	return project_list(want, false, ALLOWED);
}

/* phrbac_projects(want): the projects where the principal holds want, resource-wide. */
PG_FUNCTION_INFO_V1(phrbac_projects);
Datum
phrbac_projects(PG_FUNCTION_ARGS)
{
	PG_RETURN_ARRAYTYPE_P(project_list(PG_GETARG_DATUM(0), PG_ARGISNULL(0), ALLOWED));
}

/*
 * phrbac_projects_reachable(want): the projects where the principal may hold
 * want on some object: resource-wide, or through an object rule.  The
 * policies of phrbac_protect() look only at these projects' rows.
 */
PG_FUNCTION_INFO_V1(phrbac_projects_reachable);
Datum
phrbac_projects_reachable(PG_FUNCTION_ARGS)
{
	PG_RETURN_ARRAYTYPE_P(project_list(PG_GETARG_DATUM(0), PG_ARGISNULL(0), REACHABLE));
}

/* phrbac_resources(): every built-in resource that takes access rules, by name. */
PG_FUNCTION_INFO_V1(phrbac_resources);
Datum
phrbac_resources(PG_FUNCTION_ARGS)
{
	FuncCallContext *funcctx;
	int		   *next_id;

	if (SRF_IS_FIRSTCALL())
	{
		funcctx = SRF_FIRSTCALL_INIT();
		next_id = MemoryContextAlloc(funcctx->multi_call_memory_ctx, sizeof(int));
		*next_id = PHRBAC_RESOURCE_ANY + 1;
		funcctx->user_fctx = next_id;
	}
	funcctx = SRF_PERCALL_SETUP();
	next_id = funcctx->user_fctx;
	while (*next_id < phrbac_resource_count())
	{
		int			id = (*next_id)++;

		if (phrbac_resource_takes_rules(id))
			SRF_RETURN_NEXT(funcctx, CStringGetTextDatum(phrbac_resource_name(id)));
	}
	SRF_RETURN_DONE(funcctx);
}
