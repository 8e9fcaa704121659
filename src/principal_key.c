/*
 * principal_key.c
 *     The API key a principal acts through (README, "API keys"): as step 1
 *     of deciding sees it, as the key-scope trigger of the catalog applies
 *     it, and the errors of a key that no longer works or lacks a scope.
 */
#include "postgres.h"

#include "cache.h"
#include "catalog_table.h"
#include "core/resource.h"
#include "principal_key.h"
#include "project_key.h"
#include "trigger.h"

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

void
phrbac_principal_key(const PhrbacPrincipal *principal, const PhrbacUserFacts *user,
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
phrbac_refuse_key(const char *detail)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_AUTHORIZATION_SPECIFICATION),
			 errmsg("invalid API key"),
			 errdetail("%s", detail),
			 errhidestmt(true),
			 errhidecontext(true)));
}

void
phrbac_refuse_principal_key(int64 key_id)
{
	phrbac_refuse_key(psprintf("API key " INT64_FORMAT " was revoked or rolled, has expired, or belongs to a deactivated user.",
							   key_id));
}

/* PostHog's wording, quotes included. */
void
phrbac_refuse_missing_scope(const PhrbacScope *needed)
{
	char		scope[PHRBAC_SCOPE_TEXT_MAX];

	phrbac_scope_format(needed, scope);
	ereport(ERROR,
			(errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
			 errmsg("API key missing required scope '%s'", scope)));
}

/*
 * The key-scope trigger on phrbac's catalog tables (BEFORE, per statement):
 * a project key or token changes nothing there (project_key.c); keys only
 * narrow, so a change made through an API key needs, besides
 * everything the key's user needs, a live key with write scope on what the
 * table holds (catalog_table.c: organization_member:write for memberships,
 * access_control:write for roles, project rows and rules).
 */
PG_FUNCTION_INFO_V1(phrbac_guard_key_writes);
Datum
phrbac_guard_key_writes(PG_FUNCTION_ARGS)
{
	TriggerData *trigdata = phrbac_trigger_data(fcinfo, "phrbac_guard_key_writes", false);
	PhrbacPrincipal principal;
	const PhrbacUserFacts *user;
	PhrbacKey	key;
	PhrbacScope needed = {.access = PHRBAC_SCOPE_WRITE};
	const PhrbacCatalogTable *table;
	int			i;

	phrbac_current_principal(&principal);
	if (principal.project_id != 0)
		phrbac_refuse_credential_catalog_write(&principal);
	if (principal.api_key_id == 0)
		return PointerGetDatum(NULL);
	table = phrbac_catalog_table(trigdata->tg_relation);
	if (table == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
				 errmsg("phrbac_guard_key_writes() guards phrbac's catalog tables only")));
	if (table->key_resource == NULL)
		return PointerGetDatum(NULL);	/* keys change API keys only through
										 * functions that refuse them */

	user = phrbac_cache_user(principal.user_id);
	phrbac_principal_key(&principal, user, NULL, &key);
	if (!phrbac_key_is_usable(&key, user->exists && user->is_active, phrbac_now()))
		phrbac_refuse_principal_key(principal.api_key_id);

	needed.resource = phrbac_resource_lookup(table->key_resource,
											 strlen(table->key_resource));
	for (i = 0; i < key.nscopes; i++)
		if (phrbac_scope_covers(&key.scopes[i], &needed))
			return PointerGetDatum(NULL);
	phrbac_refuse_missing_scope(&needed);
}
