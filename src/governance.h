/*
 * governance.h
 *     Calling a SQL body of phrbac through fmgr (governance.c), for the C
 *     functions that label or wrap what a body does.
 */
#ifndef PHRBAC_GOVERNANCE_H
#define PHRBAC_GOVERNANCE_H

#include "postgres.h"

#define GOVERNANCE_MAX_ARGS 6

/* One call of a body: its name, arguments and result. */
typedef struct GovernanceCall
{
	const char *body;			/* in schema phrbac */
	int			nargs;
	Oid			types[GOVERNANCE_MAX_ARGS];
	Datum		args[GOVERNANCE_MAX_ARGS];
	bool		nulls[GOVERNANCE_MAX_ARGS];
	Datum		result;
} GovernanceCall;

/*
 * Calls the body (a GovernanceCall *) without the caller's EXECUTE on it;
 * its result must not be NULL.  Fits phrbac_audit_labelled().
 */
extern void phrbac_governance_call(void *arg);

#endif							/* PHRBAC_GOVERNANCE_H */
