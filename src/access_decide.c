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

/* True when ids[0..n) holds id. */
static bool
contains(const int64 *ids, int n, int64 id)
{
	int			i;

	for (i = 0; i < n; i++)
		if (ids[i] == id)
			return true;
	return false;
}

/*
 * The key the principal acts through, as step 1 sees it in a project
 * (project NULL: outside the user's organizations).  A key that is no
 * longer among the user's live keys, or was rolled since the principal
 * authenticated with it, is revoked.
 */
static void
principal_key(const PhrbacPrincipal *principal, const PhrbacUserFacts *user,
			  const PhrbacProjectFacts *project, PhrbacKey *key)
{
	const PhrbacKeyFacts *facts;

	memset(key, 0, sizeof(*key));
	if (principal == NULL || principal->api_key_id == 0)
		return;
	key->present = true;
	key->id = principal->api_key_id;
	facts = phrbac_user_key(user, principal->api_key_id);
	if (facts == NULL || facts->rolled_at != principal->api_key_rolled_at)
	{
		key->revoked = true;
		return;
	}
	key->expires_at = facts->expires_at;
	key->scopes = facts->scopes;
	key->nscopes = facts->nscopes;
	key->reaches_project = facts->projects == NULL ||
		(project != NULL && contains(facts->projects, facts->nprojects, project->id));
	key->reaches_organization = facts->organizations == NULL ||
		(project != NULL &&
		 contains(facts->organizations, facts->norganizations,
				  user->organizations[project->organization].id));
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
	principal_key(principal, user, project, &key);
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
