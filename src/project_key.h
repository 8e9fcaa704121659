/*
 * project_key.h
 *     Project credentials (project_key.c, README "Project keys and
 *     tokens"): authenticating with a project secret key (phs_) or a
 *     project token (phc_), and what such a principal may do.
 */
#ifndef PHRBAC_PROJECT_KEY_H
#define PHRBAC_PROJECT_KEY_H

#include "postgres.h"

#include "utils/array.h"

#include "access.h"
#include "core/api_key.h"
#include "principal.h"

/*
 * Makes a project key or project token the principal (kind says which;
 * text is a well-formed token of that kind) and returns the project key's
 * id, 0 for a project token.  Raises 28000 for a token that does not work.
 */
extern int64 phrbac_project_authenticate(PhrbacTokenKind kind, const char *text,
										 bool is_local);

/*
 * phrbac_can() for a project credential's principal: 1 or 0, or -1 when
 * the principal is none.
 */
extern int	phrbac_credential_can(const PhrbacPrincipal *principal, const PhrbacAsk *ask);

/*
 * phrbac_require() for a project credential's principal: returns when it
 * may, raises with why when it may not; false when the principal is none.
 */
extern bool phrbac_credential_require(const PhrbacAsk *ask);

/*
 * The projects (bigint[]) where a project credential's principal holds
 * want: its own project or none.
 */
extern ArrayType *phrbac_credential_projects(const PhrbacPrincipal *principal,
											 const PhrbacGrant *want);

/* Raises 42501: a project credential changes nothing in phrbac's catalog. */
extern pg_noreturn void phrbac_refuse_credential_catalog_write(const PhrbacPrincipal *principal);

/* Raises 42501: a project credential cannot look at users' access. */
extern pg_noreturn void phrbac_refuse_credential_inspection(const PhrbacPrincipal *principal);

#endif							/* PHRBAC_PROJECT_KEY_H */
