/*
 * access.c
 *     The SQL-callable decisions (README, "Functions"): for the principal
 *     (phrbac_can(), phrbac_project_role(), phrbac_org_role()), and about
 *     one user (phrbac_user_can(), phrbac_decision()), with who may ask.
 */
#include "postgres.h"

#include "compat.h"

#include "fmgr.h"
#include "funcapi.h"
#include "utils/builtins.h"

#include "access.h"
#include "cache.h"
#include "datum.h"
#include "project_key.h"

/*
 * Raises 42501 unless the principal may look at a user's access in a
 * project (README, "Functions"): everyone at their own; without a
 * principal, the database role the DBA granted EXECUTE; at another user's,
 * an admin or owner of the project's organization.
 */
static void
check_may_inspect(int64 user_id, int64 project_id)
{
	PhrbacPrincipal principal;
	const PhrbacUserFacts *facts;
	const PhrbacProjectFacts *project;

	phrbac_current_principal(&principal);
	if (principal.project_id != 0)
		phrbac_refuse_credential_inspection(&principal);
	if (principal.user_id == 0 || principal.user_id == user_id)
		return;
	facts = phrbac_cache_user(principal.user_id);
	project = phrbac_user_project(facts, project_id);
	if (project != NULL &&
		phrbac_user_org_role(facts, facts->organizations[project->organization].id,
							 phrbac_now()) >= PHRBAC_ROLE_ADMIN)
		return;
	ereport(ERROR,
			(errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
			 errmsg("only organization admins can look at another user's access"),
			 errdetail("User " INT64_FORMAT " is not an admin of the organization of project " INT64_FORMAT ".",
					   principal.user_id, project_id)));
}

/*
 * phrbac_can(project_id, want[, object_id, creator_id]): for the principal;
 * false without one.
 */
PG_FUNCTION_INFO_V1(phrbac_can);
Datum
phrbac_can(PG_FUNCTION_ARGS)
{
	PhrbacAsk	ask;
	PhrbacPrincipal principal;
	const PhrbacUserFacts *user;
	PhrbacDecision decision;
	int			answer;

	if (!phrbac_read_ask(fcinfo, 0, &ask))
		PG_RETURN_BOOL(false);
	phrbac_current_principal(&principal);
	if ((answer = phrbac_credential_can(&principal, &ask)) >= 0)
		PG_RETURN_BOOL(answer);	/* a project key or token: project_key.c */
	if (principal.user_id == 0)
		PG_RETURN_BOOL(false);
	if ((answer = phrbac_memo_answer(fcinfo, &principal, &ask)) >= 0)
		PG_RETURN_BOOL(answer);

	user = phrbac_cache_user(principal.user_id);
	phrbac_decide_ask(user, &principal, &ask, &decision);
	if (phrbac_cache_is_on())
		phrbac_memo_remember(fcinfo, &principal, user, &ask, &decision);
	PG_RETURN_BOOL(decision.allowed);
}

/*
 * phrbac_user_can(user_id, project_id, want, object_id, creator_id): as if
 * the user logged in the way their organization asks (through SSO where it
 * is enforced), with no API key.
 */
PG_FUNCTION_INFO_V1(phrbac_user_can);
Datum
phrbac_user_can(PG_FUNCTION_ARGS)
{
	PhrbacAsk	ask;
	PhrbacDecision decision;
	int64		user_id;

	if (PG_ARGISNULL(0) || !phrbac_read_ask(fcinfo, 1, &ask))
		PG_RETURN_BOOL(false);
	user_id = PG_GETARG_INT64(0);
	check_may_inspect(user_id, ask.project_id);
	phrbac_decide_ask(phrbac_cache_user(user_id), NULL, &ask, &decision);
	PG_RETURN_BOOL(decision.allowed);
}

/*
 * phrbac_decision(user_id, project_id, want, object_id, creator_id):
 * the whole decision, for phrbac_explain() and phrbac_access_matrix().
 */
PG_FUNCTION_INFO_V1(phrbac_decision);
Datum
phrbac_decision(PG_FUNCTION_ARGS)
{
	PhrbacAsk	ask;
	PhrbacDecision decision;
	int64		user_id;
	TupleDesc	tupdesc;
	Datum		values[5];
	bool		nulls[5] = {false};
	PhrbacGrant access;

	if (PG_ARGISNULL(0) || !phrbac_read_ask(fcinfo, 1, &ask))
		PG_RETURN_NULL();
	user_id = PG_GETARG_INT64(0);
	check_may_inspect(user_id, ask.project_id);
	phrbac_decide_ask(phrbac_cache_user(user_id), NULL, &ask, &decision);

	if (get_call_result_type(fcinfo, NULL, &tupdesc) != TYPEFUNC_COMPOSITE)
		elog(ERROR, "phrbac_decision() must return a record");
	access = ask.want;
	access.actions = decision.access;
	values[0] = BoolGetDatum(decision.allowed);
	values[1] = PointerGetDatum(phrbac_grant_pack(&access));
	values[2] = CStringGetTextDatum(phrbac_source_name(decision.source));
	values[3] = CStringGetTextDatum(phrbac_subject_name(decision.subject));
	values[4] = Int64GetDatum(decision.row_id);
	nulls[4] = decision.row_id == 0;
	PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(tupdesc, values, nulls)));
}

/*
 * phrbac_project_role(project_id): the principal's level in a project;
 * admin in every project of an organization they administer.
 */
PG_FUNCTION_INFO_V1(phrbac_project_role);
Datum
phrbac_project_role(PG_FUNCTION_ARGS)
{
	PhrbacPrincipal principal;
	const PhrbacUserFacts *user;
	PhrbacFacts facts;
	PhrbacRole	role;
	int64		row_id;
	PhrbacSubject subject;

	phrbac_current_principal(&principal);
	if (PG_ARGISNULL(0) || principal.user_id == 0)
		PG_RETURN_DATUM(PhrbacRoleGetDatum(PHRBAC_ROLE_NONE));
	user = phrbac_cache_user(principal.user_id);
	phrbac_project_decision_facts(user, phrbac_user_project(user, PG_GETARG_INT64(0)),
								  &facts);
	role = phrbac_decide_project_role(&facts, phrbac_now(), &row_id, &subject);
	if (facts.user_active && facts.organization.id != 0 &&
		phrbac_is_live(facts.organization.expires_at, phrbac_now()) &&
		facts.organization.role >= PHRBAC_ROLE_ADMIN)
		role = PHRBAC_ROLE_ADMIN;
	PG_RETURN_DATUM(PhrbacRoleGetDatum(role));
}

/* phrbac_org_role(organization_id): the principal's organization level. */
PG_FUNCTION_INFO_V1(phrbac_org_role);
Datum
phrbac_org_role(PG_FUNCTION_ARGS)
{
	PhrbacPrincipal principal;

	phrbac_current_principal(&principal);
	if (PG_ARGISNULL(0) || principal.user_id == 0)
		PG_RETURN_DATUM(PhrbacRoleGetDatum(PHRBAC_ROLE_NONE));
	PG_RETURN_DATUM(PhrbacRoleGetDatum(phrbac_user_org_role(phrbac_cache_user(principal.user_id),
															PG_GETARG_INT64(0),
															phrbac_now())));
}
