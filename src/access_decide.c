/*
 * access_decide.c
 *     A request read from SQL arguments and decided for a user: the facts
 *     of the project from the cache, the principal's key as step 1 sees it,
 *     and the decision procedure (README, "Concepts").
 */
#include "postgres.h"

#include "compat.h"

#include "access.h"
#include "cache.h"
#include "core/resource.h"
#include "datum.h"
#include "principal_key.h"

bool
phrbac_read_ask(FunctionCallInfo fcinfo, int first, PhrbacAsk *ask)
{
	int			nargs = PG_NARGS();

	if (PG_ARGISNULL(first) || PG_ARGISNULL(first + 1))
		return false;
	ask->project_id = PG_GETARG_INT64(first);
	ask->want = phrbac_grant_unpack(DatumGetPhrbacGrantData(PG_GETARG_DATUM(first + 1)));
	if (ask->want.resource == PHRBAC_RESOURCE_ANY)
		return false;
	if (nargs > first + 2 && !PG_ARGISNULL(first + 2))
	{
		text	   *object = PG_GETARG_TEXT_PP(first + 2);

		ask->want.object = VARDATA_ANY(object);
		ask->want.object_len = VARSIZE_ANY_EXHDR(object);
		if (ask->want.object_len == 0)
			ask->want.object = NULL;
	}
	ask->creator_id = (nargs > first + 3 && !PG_ARGISNULL(first + 3))
		? PG_GETARG_INT64(first + 3) : 0;
	return true;
}

void
phrbac_decide_ask(const PhrbacUserFacts *user, const PhrbacPrincipal *principal,
				  const PhrbacAsk *ask, PhrbacDecision *decision)
{
	const PhrbacProjectFacts *project = phrbac_user_project(user, ask->project_id);
	PhrbacFacts facts;
	PhrbacKey	key;
	PhrbacRequest request = {0};

	phrbac_project_decision_facts(user, project, &facts);
	phrbac_principal_key(principal, user, project, &key);
	request.resource = ask->want.resource;
	request.actions = ask->want.actions;
	request.object = ask->want.object;
	request.object_len = ask->want.object_len;
	request.is_creator = ask->creator_id != 0 && ask->creator_id == user->user_id;
	request.sso_login = principal == NULL ||
		phrbac_auth_method_is_sso(principal->auth_method);
	request.now = phrbac_now();
	phrbac_decide(&facts, &key, &request, decision);
}

bool
phrbac_principal_decides(const PhrbacAsk *ask, PhrbacDecision *decision)
{
	PhrbacPrincipal principal;

	phrbac_current_principal(&principal);
	if (principal.user_id == 0)
		return false;
	phrbac_decide_ask(phrbac_cache_user(principal.user_id), &principal, ask, decision);
	return true;
}
