/*
 * access_memo.c
 *     The resource-wide decisions of one phrbac_can() call site, kept in
 *     fn_extra: a policy asks row after row about the same few projects, and
 *     for an object that no object rule names, and that the principal did
 *     not create, the resource-wide answer is the answer (README, "Protecting
 *     tables").  Valid while the cached facts are (the same statement and
 *     command) and for the same principal and request; MEMO_SLOTS
 *     projects are remembered, each in the slot of its id modulo
 *     MEMO_SLOTS, so that a scan over rows of a thousand projects decides
 *     for each once.
 */
#include "postgres.h"

#include "access/xact.h"

#include "access.h"
#include "cache.h"

#define MEMO_SLOTS 1024			/* a power of two */

typedef struct MemoSlot
{
	int64		project_id;
	const PhrbacProjectFacts *project;	/* NULL: not one of the user's */
	uint32		generation;		/* the memo's when written; else empty */
	bool		allowed;
} MemoSlot;

typedef struct CanMemo
{
	TimestampTz statement_start;
	CommandId	command;
	PhrbacPrincipal principal;
	const PhrbacUserFacts *user;
	int			resource;
	PhrbacActions actions;
	uint32		generation;		/* advanced when the memo starts over */
	MemoSlot	slots[MEMO_SLOTS];
} CanMemo;

/* Project ids are drawn from a sequence: consecutive ones never collide. */
static MemoSlot *
memo_slot(const CanMemo *memo, int64 project_id)
{
	return (MemoSlot *) &memo->slots[(uint64) project_id & (MEMO_SLOTS - 1)];
}

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
	const MemoSlot *slot;

	if (memo == NULL || !memo_is_current(memo, principal, ask) ||
		(ask->creator_id != 0 && ask->creator_id == principal->user_id))
		return -1;
	slot = memo_slot(memo, ask->project_id);
	if (slot->generation != memo->generation || slot->project_id != ask->project_id)
		return -1;
	project = slot->project;
	if (ask->want.object != NULL && project != NULL)
	{
		organization = &memo->user->organizations[project->organization];
		if (names_object(project->rules, project->nrules, &ask->want) ||
			names_object(organization->rules, organization->nrules, &ask->want))
			return -1;
	}
	return slot->allowed;
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
	MemoSlot   *slot;
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
		if (++memo->generation == 0)	/* wrapped: empty every slot */
		{
			memset(memo->slots, 0, sizeof(memo->slots));
			memo->generation = 1;
		}
	}
	if (ask->want.object != NULL || ask->creator_id != 0)
	{
		resource_wide.want.object = NULL;
		resource_wide.want.object_len = 0;
		resource_wide.creator_id = 0;
		phrbac_decide_ask(user, principal, &resource_wide, &resource_wide_decision);
	}
	slot = memo_slot(memo, ask->project_id);
	slot->project_id = ask->project_id;
	slot->project = phrbac_user_project(user, ask->project_id);
	slot->allowed = resource_wide_decision.allowed;
	slot->generation = memo->generation;
}
