/*
 * access.c
 *     phrbac_can() and everything that must agree with it: one path,
 *     decide(), from SQL arguments through the cached facts to the decision
 *     procedure in core/decision.c.
 *
 * All of these read the catalog with the extension's own privileges (see
 * catalog.c) and are STABLE (they read the catalog and the principal, which
 * may change between statements) and PARALLEL SAFE (the principal reaches
 * workers with the GUC state; each worker reads the catalog for itself).
 * None is LEAKPROOF: a failure to read the catalog raises an error.
 */
#include "postgres.h"

#include "compat.h"

#include "access/xact.h"
#include "catalog/pg_type_d.h"
#include "fmgr.h"
#include "funcapi.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/guc.h"

#include "access.h"
#include "cache.h"
#include "core/resource.h"
#include "datum.h"
#include "principal.h"

/* One request, as SQL gave it. */
typedef struct Ask
{
	int64		project_id;
	PhrbacGrant want;			/* object points into detoasted memory */
	int64		creator_id;		/* 0: none given */
} Ask;

/*
 * Reads (project_id, want[, object_id[, creator_id]]) starting at argument
 * first.  Returns false when the request cannot be granted as asked: a NULL
 * project or grant, or a grant on "*".
 */
static bool
read_ask(FunctionCallInfo fcinfo, int first, Ask *ask)
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

/*
 * Decides ask for a user.  principal is how they asked (their login method
 * and key); NULL asks as if they logged in the way their organization
 * requires (through SSO where it is enforced) without a key.
 */
static void
decide(const PhrbacUserFacts *user, const PhrbacPrincipal *principal,
	   const Ask *ask, PhrbacDecision *decision)
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

/* Decides ask for the current principal; false without one. */
static bool
principal_decides(const Ask *ask, PhrbacDecision *decision)
{
	PhrbacPrincipal principal;

	phrbac_current_principal(&principal);
	if (principal.user_id == 0)
		return false;
	decide(phrbac_cache_user(principal.user_id), &principal, ask, decision);
	return true;
}

/*
 * Raises 42501 unless the principal may look at another user's access in a
 * project: no principal (the database role was granted EXECUTE), the user
 * themself, or an admin or owner of the project's organization.
 */
static void
check_may_inspect(int64 user_id, int64 project_id)
{
	PhrbacPrincipal principal;
	const PhrbacUserFacts *facts;
	const PhrbacProjectFacts *project;

	phrbac_current_principal(&principal);
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

/* phrbac_can(project_id, want[, object_id, creator_id]) */
/*
 * The resource-wide decisions of one phrbac_can() call site, kept in
 * fn_extra: a policy asks row after row about the same few projects, and for
 * an object that no object rule names, and that the principal did not
 * create, the resource-wide answer is the answer.  Valid while the cached
 * facts are (the same statement and command) and for the same principal and
 * request; MEMO_PROJECTS projects are remembered, round robin.
 */
#define MEMO_PROJECTS 8

typedef struct CanMemo
{
	TimestampTz statement_start;
	CommandId	command;
	PhrbacPrincipal principal;
	const PhrbacUserFacts *user;
	int			resource;
	PhrbacActions actions;
	int			nprojects;
	int			next;			/* the slot to overwrite next */
	int64		project_ids[MEMO_PROJECTS];
	const PhrbacProjectFacts *projects[MEMO_PROJECTS];	/* NULL: not one of
														 * the user's */
	bool		allowed[MEMO_PROJECTS];
} CanMemo;

/* True when a live rule names this object of the resource. */
static bool
names_object(const PhrbacRule *rules, int nrules, const PhrbacGrant *want)
{
	PhrbacTimestamp now = phrbac_now();
	int			i;

	for (i = 0; i < nrules; i++)
		if (rules[i].object != NULL && rules[i].resource == want->resource &&
			rules[i].object_len == want->object_len &&
			memcmp(rules[i].object, want->object, want->object_len) == 0 &&
			phrbac_is_live(rules[i].expires_at, now))
			return true;
	return false;
}

/* True when the memo holds decisions for this principal and request. */
static bool
memo_is_current(const CanMemo *memo, const PhrbacPrincipal *principal,
				const Ask *ask)
{
	return memo->statement_start == GetCurrentStatementStartTimestamp() &&
		memo->command == GetCurrentCommandId(false) &&
		memo->resource == ask->want.resource &&
		memo->actions == ask->want.actions &&
		memcmp(&memo->principal, principal, sizeof(PhrbacPrincipal)) == 0;
}

/* The memo's answer for ask, or -1 when the memo cannot answer. */
static int
memo_answer(const CanMemo *memo, const PhrbacPrincipal *principal,
			const Ask *ask)
{
	const PhrbacProjectFacts *project;
	const PhrbacOrganizationFacts *organization;
	int			i;

	if (!memo_is_current(memo, principal, ask) ||
		(ask->creator_id != 0 && ask->creator_id == principal->user_id))
		return -1;
	for (i = 0; i < memo->nprojects; i++)
		if (memo->project_ids[i] == ask->project_id)
			break;
	if (i == memo->nprojects)
		return -1;
	project = memo->projects[i];
	if (ask->want.object != NULL && project != NULL)
	{
		organization = &memo->user->organizations[project->organization];
		if (names_object(project->rules, project->nrules, &ask->want) ||
			names_object(organization->rules, organization->nrules, &ask->want))
			return -1;
	}
	return memo->allowed[i];
}

/*
 * Remembers the resource-wide decision of ask's project; decision is ask's
 * own, which is that decision when ask names no object and no creator.
 */
static void
memo_remember(FunctionCallInfo fcinfo, const PhrbacPrincipal *principal,
			  const PhrbacUserFacts *user, const Ask *ask,
			  const PhrbacDecision *decision)
{
	CanMemo    *memo = fcinfo->flinfo->fn_extra;
	Ask			resource_wide = *ask;
	PhrbacDecision resource_wide_decision = *decision;

	if (memo == NULL)
		memo = fcinfo->flinfo->fn_extra =
			MemoryContextAllocZero(fcinfo->flinfo->fn_mcxt, sizeof(CanMemo));
	if (!memo_is_current(memo, principal, ask))
	{
		memo->statement_start = GetCurrentStatementStartTimestamp();
		memo->command = GetCurrentCommandId(false);
		memo->principal = *principal;
		memo->user = user;
		memo->resource = ask->want.resource;
		memo->actions = ask->want.actions;
		memo->nprojects = 0;
		memo->next = 0;
	}
	if (ask->want.object != NULL || ask->creator_id != 0)
	{
		resource_wide.want.object = NULL;
		resource_wide.want.object_len = 0;
		resource_wide.creator_id = 0;
		decide(user, principal, &resource_wide, &resource_wide_decision);
	}
	memo->project_ids[memo->next] = ask->project_id;
	memo->projects[memo->next] = phrbac_user_project(user, ask->project_id);
	memo->allowed[memo->next] = resource_wide_decision.allowed;
	if (memo->nprojects < MEMO_PROJECTS)
		memo->nprojects++;
	memo->next = (memo->next + 1) % MEMO_PROJECTS;
}

PG_FUNCTION_INFO_V1(phrbac_can);
Datum
phrbac_can(PG_FUNCTION_ARGS)
{
	Ask			ask;
	PhrbacPrincipal principal;
	const PhrbacUserFacts *user;
	PhrbacDecision decision;
	CanMemo    *memo = fcinfo->flinfo->fn_extra;
	int			answer;

	if (!read_ask(fcinfo, 0, &ask))
		PG_RETURN_BOOL(false);
	phrbac_current_principal(&principal);
	if (principal.user_id == 0)
		PG_RETURN_BOOL(false);
	if (memo != NULL && (answer = memo_answer(memo, &principal, &ask)) >= 0)
		PG_RETURN_BOOL(answer);

	user = phrbac_cache_user(principal.user_id);
	decide(user, &principal, &ask, &decision);
	if (phrbac_cache_is_on())
		memo_remember(fcinfo, &principal, user, &ask, &decision);
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
	Ask			ask;
	PhrbacDecision decision;
	int64		user_id;

	if (PG_ARGISNULL(0) || !read_ask(fcinfo, 1, &ask))
		PG_RETURN_BOOL(false);
	user_id = PG_GETARG_INT64(0);
	check_may_inspect(user_id, ask.project_id);
	decide(phrbac_cache_user(user_id), NULL, &ask, &decision);
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
	Ask			ask;
	PhrbacDecision decision;
	int64		user_id;
	TupleDesc	tupdesc;
	Datum		values[5];
	bool		nulls[5] = {false};
	PhrbacGrant access;

	if (PG_ARGISNULL(0) || !read_ask(fcinfo, 1, &ask))
		PG_RETURN_NULL();
	user_id = PG_GETARG_INT64(0);
	check_may_inspect(user_id, ask.project_id);
	decide(phrbac_cache_user(user_id), NULL, &ask, &decision);

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

/* The name of the organization of one of the principal's projects. */
static char *
principal_organization_name(int64 project_id)
{
	PhrbacPrincipal principal;
	const PhrbacUserFacts *user;
	const PhrbacProjectFacts *project;

	phrbac_current_principal(&principal);
	user = phrbac_cache_user(principal.user_id);
	project = phrbac_user_project(user, project_id);
	Assert(project != NULL);
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
refuse_through_key(const Ask *ask, PhrbacKeyRefusal refusal)
{
	PhrbacPrincipal principal;
	PhrbacScope needed = {.resource = ask->want.resource,
	.access = phrbac_scope_access_needed(ask->want.actions)};
	char		scope[PHRBAC_SCOPE_TEXT_MAX];

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
			phrbac_scope_format(&needed, scope);
			ereport(ERROR,
					(errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
					 errmsg("API key missing required scope '%s'", scope)));
			break;
		default:
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_AUTHORIZATION_SPECIFICATION),
					 errmsg("invalid API key"),
					 errdetail("API key " INT64_FORMAT " was revoked or rolled, has expired, or belongs to a deactivated user.",
							   principal.api_key_id)));
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
log_denial(const Ask *ask, const PhrbacDecision *decision)
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
	Ask			ask;
	PhrbacDecision decision;

	if (!read_ask(fcinfo, 0, &ask))
		ereport(ERROR,
				(errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
				 errmsg("you don't have access to the project")));
	if (!principal_decides(&ask, &decision))
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
	Ask			ask = {0};

	phrbac_current_principal(&principal);
	if (PG_ARGISNULL(0) || principal.user_id == 0)
		return construct_empty_array(INT8OID);
	ask.want = phrbac_grant_unpack(DatumGetPhrbacGrantData(PG_GETARG_DATUM(0)));
	if (ask.want.resource == PHRBAC_RESOURCE_ANY)
		return construct_empty_array(INT8OID);

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
		decide(user, &principal, &ask, &decision);
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
