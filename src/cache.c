/*
 * cache.c
 *     The per-backend decision cache: each user's catalog facts, loaded
 *     once, so that a check costs a hash lookup and a walk over a few rows;
 *     and the API keys authenticated here, by the hash of their secret.
 *
 * Design note.  Entries live in their own memory context under
 * CacheMemoryContext.  They are dropped together, never patched:
 *
 *   - Every phrbac catalog table has a statement-level trigger,
 *     phrbac_catalog_changed(), that queues a relcache invalidation of the
 *     table.  The invalidation travels with the commit to every backend (and,
 *     through the WAL, to hot standbys, where triggers never fire) and is
 *     replayed locally at the next command, or on abort.  Our relcache
 *     callback only notes the relation; the next lookup drops the cache when
 *     a noted relation is in schema phrbac.
 *   - Lookups accept pending invalidations once per statement, so a change
 *     another session committed is seen by the next statement even inside
 *     a transaction block that takes no new lock.  Between statements (or
 *     commands that changed data) the cache never starts over: every check
 *     sees the same facts, and facts handed out stay valid.
 *   - Entries loaded under a transaction snapshot (REPEATABLE READ and
 *     above) may predate commits already announced, so they are dropped
 *     when that transaction ends.
 *   - Expiry needs no invalidation: every fact carries its expires_at and
 *     the decision procedure ignores it from that instant on.
 *
 * phrbac.cache = off loads the facts afresh for every call, into the
 * caller's memory context.
 */
#include "postgres.h"

#include "access/xact.h"
#include "catalog/namespace.h"
#include "fmgr.h"
#include "miscadmin.h"
#include "storage/sinval.h"
#include "utils/catcache.h"
#include "utils/guc.h"
#include "utils/hsearch.h"
#include "utils/inval.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/syscache.h"

#include "cache.h"
#include "trigger.h"

/* Relations noted by the callback before the cache must simply be dropped. */
#define MAX_NOTED_RELATIONS 16

/* Users whose facts are kept before the cache starts over. */
#define MAX_CACHED_USERS 4096

typedef struct CacheEntry
{
	int64		user_id;		/* hash key */
	PhrbacUserFacts *facts;
} CacheEntry;

static bool cache_enabled = true;

static MemoryContext cache_context = NULL;
static HTAB *cache_users = NULL;
static HTAB *cache_keys = NULL;
static HTAB *cache_projects = NULL;	/* project id -> organization id */

typedef struct CachedProject
{
	int64		project_id;		/* hash key */
	int64		organization_id;
} CachedProject;
static bool cache_stale = true;
static Oid	noted_relations[MAX_NOTED_RELATIONS];
static int	nnoted_relations = 0;
static bool loaded_under_transaction_snapshot = false;
static TimestampTz last_statement_start = 0;
static CommandId last_command = InvalidCommandId;

static Oid	db_role_mapped = InvalidOid;
static int64 db_role_user = 0;
static bool db_role_valid = false;

static void
relation_changed(Datum arg, Oid relid)
{
	if (relid == InvalidOid || nnoted_relations == MAX_NOTED_RELATIONS)
		cache_stale = true;
	else
		noted_relations[nnoted_relations++] = relid;
}

static void
role_changed(Datum arg, int cacheid, uint32 hashvalue)
{
	db_role_valid = false;
}

static void
transaction_ended(XactEvent event, void *arg)
{
	if ((event == XACT_EVENT_COMMIT || event == XACT_EVENT_ABORT ||
		 event == XACT_EVENT_PARALLEL_COMMIT ||
		 event == XACT_EVENT_PARALLEL_ABORT) &&
		loaded_under_transaction_snapshot)
	{
		cache_stale = true;
		loaded_under_transaction_snapshot = false;
	}
}

void
phrbac_cache_init(void)
{
	DefineCustomBoolVariable("phrbac.cache",
							 "Use the per-backend decision cache.",
							 "Off: every check reads the catalog (for tests and comparisons).",
							 &cache_enabled,
							 true,
							 PGC_USERSET,
							 0,
							 NULL, NULL, NULL);
	CacheRegisterRelcacheCallback(relation_changed, (Datum) 0);
	CacheRegisterSyscacheCallback(AUTHOID, role_changed, (Datum) 0);
	RegisterXactCallback(transaction_ended, NULL);
}

PhrbacTimestamp
phrbac_now(void)
{
	return GetCurrentStatementStartTimestamp();
}

/* Drops the cache when a noted relation belongs to schema phrbac. */
static void
settle_noted_relations(void)
{
	Oid			catalog = get_namespace_oid("phrbac", true);
	int			i;

	for (i = 0; i < nnoted_relations && !cache_stale; i++)
		if (get_rel_namespace(noted_relations[i]) == catalog)
			cache_stale = true;
	nnoted_relations = 0;
}

static void
start_over(void)
{
	HASHCTL		ctl;

	if (cache_context == NULL)
		cache_context = AllocSetContextCreate(CacheMemoryContext,
											  "phrbac decision cache",
											  ALLOCSET_DEFAULT_SIZES);
	MemoryContextReset(cache_context);
	ctl.keysize = sizeof(int64);
	ctl.entrysize = sizeof(CacheEntry);
	ctl.hcxt = cache_context;
	cache_users = hash_create("phrbac cached users", 64, &ctl,
							  HASH_ELEM | HASH_BLOBS | HASH_CONTEXT);
	ctl.keysize = PHRBAC_API_KEY_DIGEST_BYTES;
	ctl.entrysize = sizeof(PhrbacCachedKey);
	cache_keys = hash_create("phrbac cached API keys", 64, &ctl,
							 HASH_ELEM | HASH_BLOBS | HASH_CONTEXT);
	ctl.keysize = sizeof(int64);
	ctl.entrysize = sizeof(CachedProject);
	cache_projects = hash_create("phrbac cached project organizations", 64, &ctl,
								 HASH_ELEM | HASH_BLOBS | HASH_CONTEXT);
	db_role_valid = false;
	cache_stale = false;
}

/*
 * Brings the cache up to date with what other sessions committed, once per
 * statement (and after each of this session's own catalog changes inside a
 * function, which advance the command id): between those points every
 * check sees the same facts, and the facts a caller holds stay valid.
 */
static void
refresh(void)
{
	TimestampTz statement_start = GetCurrentStatementStartTimestamp();
	CommandId	command = GetCurrentCommandId(false);

	if (cache_users != NULL && statement_start == last_statement_start &&
		command == last_command)
		return;
	last_statement_start = statement_start;
	last_command = command;
	AcceptInvalidationMessages();
	if (nnoted_relations > 0)
		settle_noted_relations();
	if (cache_stale || cache_users == NULL ||
		hash_get_num_entries(cache_users) >= MAX_CACHED_USERS ||
		hash_get_num_entries(cache_keys) >= MAX_CACHED_USERS ||
		hash_get_num_entries(cache_projects) >= MAX_CACHED_USERS)
		start_over();
}

/* What was just cached may predate commits already announced: see above. */
static void
note_load(void)
{
	if (IsolationUsesXactSnapshot())
		loaded_under_transaction_snapshot = true;
}

/*
 * The entry of table for key, loaded by load(entry) when it is new; an entry
 * whose load fails is removed again, so that no half-loaded entry stays.
 */
static void *
cached_entry(HTAB *table, const void *key, void (*load) (void *entry))
{
	bool		found;
	void	   *entry = hash_search(table, key, HASH_ENTER, &found);

	if (!found)
	{
		PG_TRY();
		{
			load(entry);
		}
		PG_CATCH();
		{
			hash_search(table, key, HASH_REMOVE, NULL);
			PG_RE_THROW();
		}
		PG_END_TRY();
		note_load();
	}
	return entry;
}

static void
load_user_entry(void *entry)
{
	CacheEntry *user = entry;

	user->facts = phrbac_catalog_load_user(user->user_id, cache_context);
}

const PhrbacUserFacts *
phrbac_cache_user(int64 user_id)
{
	CacheEntry *entry;

	if (!cache_enabled)
		return phrbac_catalog_load_user(user_id, CurrentMemoryContext);
	refresh();
	entry = cached_entry(cache_users, &user_id, load_user_entry);
	return entry->facts;
}

PhrbacCachedKey *
phrbac_cache_key_by_digest(const uint8 *digest)
{
	PhrbacCachedKey *entry;
	PhrbacKeyByHash key;
	char		secure_value[PHRBAC_API_KEY_SECURE_VALUE_LEN + 1];

	if (cache_enabled)
	{
		refresh();
		entry = hash_search(cache_keys, digest, HASH_FIND, NULL);
		if (entry != NULL)
			return entry;
	}

	phrbac_api_key_secure_value(digest, secure_value);
	key = phrbac_catalog_key_by_hash(secure_value);
	if (!cache_enabled || key.id == 0)
	{
		/* unknown secrets are not remembered: they are not worth the memory */
		entry = palloc0(sizeof(PhrbacCachedKey));
		memcpy(entry->digest, digest, PHRBAC_API_KEY_DIGEST_BYTES);
	}
	else
	{
		entry = hash_search(cache_keys, digest, HASH_ENTER, NULL);
		entry->touched_at = 0;
		note_load();
	}
	entry->key = key;
	return entry;
}

static void
load_project_entry(void *entry)
{
	CachedProject *project = entry;

	project->organization_id = phrbac_catalog_project_organization(project->project_id);
}

int64
phrbac_cache_project_organization(int64 project_id)
{
	CachedProject *entry;

	if (!cache_enabled)
		return phrbac_catalog_project_organization(project_id);
	refresh();
	entry = cached_entry(cache_projects, &project_id, load_project_entry);
	return entry->organization_id;
}

bool
phrbac_cache_is_on(void)
{
	return cache_enabled;
}

bool
phrbac_cache_user_exists(int64 user_id)
{
	return phrbac_cache_user(user_id)->exists;
}

int64
phrbac_cache_db_role_user(Oid roleid)
{
	if (!cache_enabled)
		return phrbac_catalog_db_role_user(roleid);
	refresh();
	if (!db_role_valid || db_role_mapped != roleid)
	{
		db_role_user = phrbac_catalog_db_role_user(roleid);
		db_role_mapped = roleid;
		db_role_valid = true;
		note_load();
	}
	return db_role_user;
}

/*
 * The statement-level trigger on every phrbac catalog table: announces the
 * change so that every backend's cache, here and on standbys, starts over.
 */
PG_FUNCTION_INFO_V1(phrbac_catalog_changed);
Datum
phrbac_catalog_changed(PG_FUNCTION_ARGS)
{
	TriggerData *trigdata = phrbac_trigger_data(fcinfo, "phrbac_catalog_changed", false);

	CacheInvalidateRelcacheByRelid(RelationGetRelid(trigdata->tg_relation));
	return PointerGetDatum(NULL);
}
