/*
 * access_require.c
 *     phrbac_require(): raises insufficient_privilege on deny, with
 *     PostHog's messages (README, "Errors"), and writes each denial to the
 *     server log when phrbac.log_denials is on (README, "Settings").
 */
#include "postgres.h"

#include "compat.h"

#include "fmgr.h"
#include "utils/guc.h"

#include "access.h"
#include "cache.h"
#include "catalog.h"
#include "core/resource.h"
#include "principal_key.h"
#include "project_key.h"

/*
 * The name of the organization of one of the principal's projects.  The
 * decisions that name it (a key kept to admins, SSO) are made only in the
 * user's own organizations: any other project is a defect, not a denial.
 */
static char *
principal_organization_name(int64 project_id)
{
	PhrbacPrincipal principal;
	const PhrbacUserFacts *user;
	const PhrbacProjectFacts *project;

	phrbac_current_principal(&principal);
	user = phrbac_cache_user(principal.user_id);
	project = phrbac_user_project(user, project_id);
	if (project == NULL)
		elog(ERROR, "project " INT64_FORMAT " is not in an organization of user " INT64_FORMAT,
			 project_id, principal.user_id);
	return phrbac_catalog_organization_name(user->organizations[project->organization].id);
}

/* The level a set of actions needs at least: "viewer", "editor" or "manager". */
static const char *
level_needed(PhrbacActions actions)
{
	if (phrbac_actions_cover(PHRBAC_LEVEL_VIEWER, actions))
		return "viewer";
	if (phrbac_actions_cover(PHRBAC_LEVEL_EDITOR, actions))
		return "editor";
	return "manager";
}

/* phrbac_require()'s errors when step 1 refused the principal's key. */
pg_noreturn static void
refuse_through_key(const PhrbacAsk *ask, PhrbacKeyRefusal refusal)
{
	PhrbacPrincipal principal;
	PhrbacScope needed = {.resource = ask->want.resource,
	.access = phrbac_scope_access_needed(ask->want.actions)};

	phrbac_current_principal(&principal);
	switch (refusal)
	{
		case PHRBAC_KEY_OUTSIDE_SCOPE:
			ereport(ERROR,
					(errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
					 errmsg("API key does not have access to the requested project: ID " INT64_FORMAT,
							ask->project_id)));
			break;
		case PHRBAC_KEY_MEMBERS_CANNOT:
			ereport(ERROR,
					(errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
					 errmsg("only organization admins can use API keys in organization \"%s\"",
							principal_organization_name(ask->project_id))));
			break;
		case PHRBAC_KEY_MISSING_SCOPE:
			phrbac_refuse_missing_scope(&needed);
			break;
		default:
			phrbac_refuse_principal_key(principal.api_key_id);
	}
}

/* phrbac.log_denials: also write each denial of phrbac_require() to the server log. */
static bool log_denials = false;

void
phrbac_access_init(void)
{
	DefineCustomBoolVariable("phrbac.log_denials",
							 "Write each denial of phrbac_require() to the server log.",
							 "Denials roll back with their transaction, so the audit log cannot hold them.",
							 &log_denials,
							 false,
							 PGC_SUSET,
							 0,
							 NULL, NULL, NULL);
}

/* Logs a denial when phrbac.log_denials is on. */
static void
log_denial(const PhrbacAsk *ask, const PhrbacDecision *decision)
{
	PhrbacPrincipal principal;
	char		want[PHRBAC_GRANT_TEXT_MAX];

	if (!log_denials)
		return;
	phrbac_current_principal(&principal);
	phrbac_grant_format(&ask->want, want);
	ereport(LOG,
			(errmsg("phrbac denied %s in project " INT64_FORMAT " to user " INT64_FORMAT,
					want, ask->project_id, principal.user_id),
			 errdetail("Decided by %s; API key " INT64_FORMAT ".",
					   decision ? phrbac_source_name(decision->source) : "no principal",
					   principal.api_key_id),
			 errhidestmt(true)));
}

/* phrbac_require(project_id, want, object_id, creator_id): raises on deny. */
PG_FUNCTION_INFO_V1(phrbac_require);
Datum
phrbac_require(PG_FUNCTION_ARGS)
{
	PhrbacAsk	ask;
	PhrbacDecision decision;

	if (!phrbac_read_ask(fcinfo, 0, &ask))
		ereport(ERROR,
				(errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
				 errmsg("you don't have access to the project")));
	if (phrbac_credential_require(&ask))
		PG_RETURN_VOID();		/* a project key or token: project_key.c */
	if (!phrbac_principal_decides(&ask, &decision))
	{
		log_denial(&ask, NULL);
		ereport(ERROR,
				(errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
				 errmsg("you don't have access to the project"),
				 errdetail("No principal is set."),
				 errhint("The application sets one with phrbac_set_user().")));
	}
	if (decision.allowed)
		PG_RETURN_VOID();
	log_denial(&ask, &decision);

	if (decision.source == PHRBAC_SOURCE_API_KEY)
		refuse_through_key(&ask, decision.key_refusal);
	switch (decision.source)
	{
		case PHRBAC_SOURCE_ORG_MEMBERSHIP:
		case PHRBAC_SOURCE_PROJECT:
			ereport(ERROR,
					(errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
					 errmsg("you don't have access to the project"),
					 errdetail("Project " INT64_FORMAT ".", ask.project_id)));
			break;
		case PHRBAC_SOURCE_SSO:
			ereport(ERROR,
					(errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
					 errmsg("organization \"%s\" requires SSO login",
							principal_organization_name(ask.project_id)),
					 errhint("Log in through the organization's identity provider.")));
			break;
		default:
			ereport(ERROR,
					(errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
					 errmsg("you do not have %s access to this resource",
							level_needed(ask.want.actions)),
					 errdetail("Requested %s in project " INT64_FORMAT ".",
							   phrbac_resource_name(ask.want.resource),
							   ask.project_id)));
	}
	PG_RETURN_VOID();
}
