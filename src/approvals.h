/*
 * approvals.h
 *     Change requests and access requests (approvals.c): what the audit
 *     log asks of them.
 */
#ifndef PHRBAC_APPROVALS_H
#define PHRBAC_APPROVALS_H

#include "postgres.h"

#include "access/htup.h"
#include "access/tupdesc.h"

/*
 * The audit activity of a change to one of the request tables
 * (change_requests, change_request_votes, access_requests), or NULL for
 * any other table: change_requested, change_applied, access_approved, ...
 */
extern const char *phrbac_request_activity(const char *table, bool insert,
										   bool delete, HeapTuple new,
										   TupleDesc desc);

#endif							/* PHRBAC_APPROVALS_H */
