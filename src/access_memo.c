/*
 * access_memo.c
 *     The resource-wide decisions of one phrbac_can() call site, kept in
 *     fn_extra: a policy asks row after row about the same few projects, and
 *     for an object that no object rule names, and that the principal did
 *     not create, the resource-wide answer is the answer (README, "Protecting
 *     tables").  Valid while the cached facts are (the same statement and
 *     command) and for the same principal and request; MEMO_PROJECTS
 *     projects are remembered, round robin.
 */
#include "postgres.h"

#include "access/xact.h"

#include "access.h"
#include "cache.h"

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
				const PhrbacAsk *ask)
{
	return memo->statement_start == GetCurrentStatementStartTimestamp() &&
		memo->command == GetCurrentCommandId(false) &&
		memo->resource == ask->want.resource &&
		memo->actions == ask->want.actions &&
		memcmp(&memo->principal, principal, sizeof(PhrbacPrincipal)) == 0;
}

/* The memo's answer for ask, or -1 when the memo cannot answer. */
int
phrbac_memo_answer(FunctionCallInfo fcinfo, const PhrbacPrincipal *principal,
				   const PhrbacAsk *ask)
{
	const CanMemo *memo = fcinfo->flinfo->fn_extra;
	const PhrbacProjectFacts *project;
	const PhrbacOrganizationFacts *organization;
	int			i;

	if (memo == NULL || !memo_is_current(memo, principal, ask) ||
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
void
phrbac_memo_remember(FunctionCallInfo fcinfo, const PhrbacPrincipal *principal,
					 const PhrbacUserFacts *user, const PhrbacAsk *ask,
					 const PhrbacDecision *decision)
{
	CanMemo    *memo = fcinfo->flinfo->fn_extra;
	PhrbacAsk	resource_wide = *ask;
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
		phrbac_decide_ask(user, principal, &resource_wide, &resource_wide_decision);
	}
	memo->project_ids[memo->next] = ask->project_id;
	memo->projects[memo->next] = phrbac_user_project(user, ask->project_id);
	memo->allowed[memo->next] = resource_wide_decision.allowed;
	if (memo->nprojects < MEMO_PROJECTS)
		memo->nprojects++;
	memo->next = (memo->next + 1) % MEMO_PROJECTS;
}
