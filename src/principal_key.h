/*
 * principal_key.h
 *     The API key a principal acts through (principal_key.c): as deciding
 *     sees it, and the errors of a key that no longer works or lacks a
 *     scope.
 */
#ifndef PHRBAC_PRINCIPAL_KEY_H
#define PHRBAC_PRINCIPAL_KEY_H

#include "postgres.h"

#include "compat.h"

#include "principal.h"
#include "user_facts.h"

/*
 * The key the principal acts through, as step 1 of deciding sees it in a
 * project (project NULL: outside the user's organizations, or no project at
 * all); key->present is false without one.  A key that is no longer among
 * the user's live keys, or was rolled since the principal authenticated
 * with it, is revoked.
 */
extern void phrbac_principal_key(const PhrbacPrincipal *principal,
								 const PhrbacUserFacts *user,
								 const PhrbacProjectFacts *project,
								 PhrbacKey *key);

/*
 * Raises the one error of an unusable API key, 28000 "invalid API key",
 * with why in detail.  The statement stays out of the server log: a
 * statement that presents a key holds it.
 */
extern pg_noreturn void phrbac_refuse_key(const char *detail);

/* Raises that error for the key the principal acts through. */
extern pg_noreturn void phrbac_refuse_principal_key(int64 key_id);

/* The SHA-256 digest of a key's text (api_key.c), 32 bytes. */
extern void phrbac_api_key_digest(const char *key, size_t len, uint8 *digest);

/* Raises 42501 for a request the principal's key has no scope for. */
extern pg_noreturn void phrbac_refuse_missing_scope(const PhrbacScope *needed);

#endif							/* PHRBAC_PRINCIPAL_KEY_H */
