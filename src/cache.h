/*
 * cache.h
 *     The per-backend cache of catalog facts, and the settings it obeys.
 */
#ifndef PHRBAC_CACHE_H
#define PHRBAC_CACHE_H

#include "postgres.h"

#include "catalog.h"

/* Defines phrbac.cache and registers the invalidation callbacks. */
extern void phrbac_cache_init(void);

/*
 * The facts of one user: from the cache, or freshly loaded (and cached when
 * phrbac.cache is on).  Valid until the current statement ends or changes
 * data (with the cache off, as long as the caller's memory context).
 */
extern const PhrbacUserFacts *phrbac_cache_user(int64 user_id);

/* True when the cache holds the user's facts: phrbac_cache_user() reads nothing. */
extern bool phrbac_cache_holds_user(int64 user_id);

/*
 * The API key whose secret has this SHA-256 digest (id 0 when none), with
 * touched_at, when this backend last wrote the key's last_used_at (0:
 * never), for the caller to update.  Valid until the current statement ends.
 */
typedef struct PhrbacCachedKey
{
	uint8		digest[PHRBAC_API_KEY_DIGEST_BYTES];	/* hash key */
	PhrbacKeyByHash key;
	PhrbacTimestamp touched_at;
} PhrbacCachedKey;

extern PhrbacCachedKey *phrbac_cache_key_by_digest(const uint8 *digest);

/*
 * The projects of an organization as facts that name no user (see
 * phrbac_catalog_load_org_projects): while the cache fills a user, shared
 * by every user it holds; otherwise loaded into context.
 */
extern const PhrbacProjectFacts *phrbac_cache_org_projects(int64 organization_id,
														   int organization,
														   MemoryContext context,
														   int *count);

/* The organization of a project, or 0 when the project does not exist. */
extern int64 phrbac_cache_project_organization(int64 project_id);

/* True when phrbac.cache is on (facts handed out outlive the call). */
extern bool phrbac_cache_is_on(void);

/* True when the phrbac user exists. */
extern bool phrbac_cache_user_exists(int64 user_id);

/* The phrbac user mapped to a database role by users.db_role, or 0. */
extern int64 phrbac_cache_db_role_user(Oid roleid);

/* The instant expiry is judged at: the start of the current statement. */
extern PhrbacTimestamp phrbac_now(void);

#endif							/* PHRBAC_CACHE_H */
