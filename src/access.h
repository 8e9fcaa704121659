/*
 * access.h
 *     Deciding access (README, "Concepts"): one path from SQL arguments
 *     through the cached facts to the decision procedure in
 *     core/decision.c, shared by the files that answer through it.
 *
 *     access_decide.c   a request read from SQL arguments, decided
 *     access.c          the SQL-callable decisions and who may ask them
 *     access_memo.c     phrbac_can()'s answers remembered per call site
 *     access_require.c  phrbac_require(): PostHog's refusals, denials logged
 *     access_list.c     the projects a principal may reach, the resources
 *     access_index.c    phrbac_can()'s planner support: the condition on the
 *                       project column a check stands for
 *     access_recheck.c  a bitmap scan's exact check moved from every row to
 *                       the rows of its lossy pages
 *
 * All of these read the catalog with the extension's own privileges (see
 * catalog.c) and are STABLE (they read the catalog and the principal, which
 * may change between statements) and PARALLEL SAFE (the principal reaches
 * workers with the GUC state; each worker reads the catalog for itself).
 * None is LEAKPROOF: a failure to read the catalog raises an error.
 */
#ifndef PHRBAC_ACCESS_H
#define PHRBAC_ACCESS_H

#include "postgres.h"

#include "fmgr.h"
#include "nodes/primnodes.h"
#include "utils/array.h"

#include "core/grant.h"
#include "principal.h"
#include "user_facts.h"

/* One request, as SQL gave it. */
typedef struct PhrbacAsk
{
	int64		project_id;
	PhrbacGrant want;			/* object points into detoasted memory */
	int64		creator_id;		/* 0: none given */
} PhrbacAsk;

/*
 * Reads (project_id, want[, object_id[, creator_id]]) starting at argument
 * first.  Returns false when the request cannot be granted as asked: a NULL
 * project or grant, or a grant on "*".
 */
extern bool phrbac_read_ask(FunctionCallInfo fcinfo, int first, PhrbacAsk *ask);

/*
 * Decides ask for a user.  principal is how they asked (their login method
 * and key); NULL asks as if they logged in the way their organization
 * requires (through SSO where it is enforced) without a key.
 */
extern void phrbac_decide_ask(const PhrbacUserFacts *user,
							  const PhrbacPrincipal *principal,
							  const PhrbacAsk *ask, PhrbacDecision *decision);

/* Decides ask for the current principal; false without one. */
extern bool phrbac_principal_decides(const PhrbacAsk *ask, PhrbacDecision *decision);

/*
 * phrbac_can()'s memo of one call site (fn_extra): its answer for ask, or
 * -1 when it cannot answer; and the decision of ask, remembered.
 */
extern int	phrbac_memo_answer(FunctionCallInfo fcinfo,
							   const PhrbacPrincipal *principal,
							   const PhrbacAsk *ask);
extern void phrbac_memo_remember(FunctionCallInfo fcinfo,
								 const PhrbacPrincipal *principal,
								 const PhrbacUserFacts *user, const PhrbacAsk *ask,
								 const PhrbacDecision *decision);

/*
 * The projects where the current principal holds want (a phrbac_grant)
 * resource-wide, as phrbac_projects(want) lists them (access_list.c).
 */
extern ArrayType *phrbac_allowed_projects(Datum want);

/*
 * The condition "project = ANY (phrbac_projects(want))" that a phrbac_can()
 * call with these arguments stands for exactly, or NULL: with an object or
 * a creator, or a project that is not bigint (access_index.c).
 */
extern ScalarArrayOpExpr *phrbac_exact_project_condition(List *args);

/* True when node is a call of pg_catalog.phrbac_can(). */
extern bool phrbac_is_can_call(Node *node);

/* Installs the planner hook of access_recheck.c; called from _PG_init. */
extern void phrbac_recheck_init(void);

/* Defines phrbac.log_denials; called from _PG_init. */
extern void phrbac_access_init(void);

#endif							/* PHRBAC_ACCESS_H */
