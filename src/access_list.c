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

/*
 * True when the user can have no access to the project at all: no row of
 * their own or of a role, a private project, and no organization admin.
 * Such projects (most of a large organization, for most people) are skipped
 * without running the decision procedure.
 */
static bool
closed_to_user(const PhrbacUserFacts *user, const PhrbacProjectFacts *project)
{
	return project->user_row.id == 0 && project->nrole_rows == 0 &&
		project->default_role == PHRBAC_ROLE_NONE &&
		user->organizations[project->organization].membership.role < PHRBAC_ROLE_ADMIN;
}

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
static ArrayType *
project_list(PG_FUNCTION_ARGS, ProjectList list)
{
	PhrbacPrincipal principal;
	const PhrbacUserFacts *user;
	Datum	   *ids;
	int			count = 0;
	int			i;
	PhrbacAsk	ask = {0};

	phrbac_current_principal(&principal);
	if (PG_ARGISNULL(0) || !phrbac_principal_is_set(&principal))
		return construct_empty_array(INT8OID);
	ask.want = phrbac_grant_unpack(DatumGetPhrbacGrantData(PG_GETARG_DATUM(0)));
	if (ask.want.resource == PHRBAC_RESOURCE_ANY)
		return construct_empty_array(INT8OID);
	if (principal.project_id != 0)	/* a project key or token: project_key.c */
		return phrbac_credential_projects(&principal, &ask.want);

	user = phrbac_cache_user(principal.user_id);
	ids = palloc(sizeof(Datum) * (user->nprojects + 1));
	for (i = 0; i < user->nprojects; i++)
	{
		const PhrbacProjectFacts *project = &user->projects[i];
		const PhrbacOrganizationFacts *organization =
			&user->organizations[project->organization];
		PhrbacDecision decision;

		if (closed_to_user(user, project))
			continue;
		ask.project_id = project->id;
		phrbac_decide_ask(user, &principal, &ask, &decision);
		if (decision.allowed ||
			(list == REACHABLE && rules_decided(&decision) &&
			 (has_object_rules(project->rules, project->nrules, ask.want.resource) ||
			  has_object_rules(organization->rules, organization->nrules,
							   ask.want.resource))))
			ids[count++] = Int64GetDatum(project->id);
	}
	return construct_array(ids, count, INT8OID, sizeof(int64), true,
						   TYPALIGN_DOUBLE);
}

/* phrbac_projects(want): the projects where the principal holds want, resource-wide. */
PG_FUNCTION_INFO_V1(phrbac_projects);
Datum
phrbac_projects(PG_FUNCTION_ARGS)
{
	PG_RETURN_ARRAYTYPE_P(project_list(fcinfo, ALLOWED));
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
	PG_RETURN_ARRAYTYPE_P(project_list(fcinfo, REACHABLE));
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
