/*
 * principal.h
 *     Who is asking: the principal of the current request.
 */
#ifndef PHRBAC_PRINCIPAL_H
#define PHRBAC_PRINCIPAL_H

#include "postgres.h"

/* The setting that holds it (principal.c). */
#define PHRBAC_PRINCIPAL_SETTING "phrbac.principal"

/* Longest auth method name ("google-oauth2"). */
#define PHRBAC_AUTH_METHOD_MAX 32

/* The auth method of a principal that authenticated with an API key. */
#define PHRBAC_AUTH_METHOD_API_KEY "api-key"

/*
 * The auth methods of a project credential's principal (README, "Project
 * keys and tokens"): no user, only a project.
 */
#define PHRBAC_AUTH_METHOD_PROJECT_KEY "project-key"
#define PHRBAC_AUTH_METHOD_PROJECT_TOKEN "project-token"

typedef struct PhrbacPrincipal
{
	int64		user_id;		/* 0: no principal */
	char		auth_method[PHRBAC_AUTH_METHOD_MAX + 1];
	int64		api_key_id;		/* 0: not acting through a key */
	int64		api_key_rolled_at;	/* the key's last_rolled_at when it was
									 * authenticated (0: never rolled); a
									 * roll since then kills the principal */
	int64		project_id;		/* a project credential's project (user_id
								 * 0, api_key_id its project key, 0 for a
								 * project token whose reset instant
								 * api_key_rolled_at holds); 0 otherwise */
} PhrbacPrincipal;

/* True when a principal is set: a user, or a project credential. */
static inline bool
phrbac_principal_is_set(const PhrbacPrincipal *principal)
{
	return principal->user_id != 0 || principal->project_id != 0;
}

/* Defines the phrbac.principal setting; called from _PG_init. */
extern void phrbac_principal_init(void);

/*
 * The current principal: the one set by phrbac_set_user() and friends, else
 * the phrbac user whose db_role is the session user, else none
 * (user_id 0).
 */
extern void phrbac_current_principal(PhrbacPrincipal *principal);

/*
 * Sets the principal (user_id 0 clears it), for the transaction when
 * is_local, else for the session.  The only way to change phrbac.principal.
 */
extern void phrbac_principal_set(const PhrbacPrincipal *principal,
								 bool is_local);

/*
 * Clears the principal until phrbac_principal_resume() with the level this
 * returns brings the one before back, as a function's SET clause would (an
 * error brings it back too).
 */
extern int	phrbac_principal_suspend(void);
extern void phrbac_principal_resume(int level);

#endif							/* PHRBAC_PRINCIPAL_H */
