/*
 * cache.c
 *     The per-backend decision cache: each user's catalog facts, loaded
 *     once, so that a check costs a hash lookup and a walk over a few rows;
 *     and the API keys authenticated here, by the hash of their secret.
 *
 * Design note.  Entries live in their own memory context under
 * CacheMemoryContext, each user's facts in a context of their own.  They are
 * dropped together, never patched, when the catalog changes:
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
 * Between changes, the users' facts are kept in least-recently-used order
 * and the least recently used are evicted once the cache holds more than
 * phrbac.cache_size (never one used in the current statement or command:
 * the facts handed out stay valid), so a backend behind a pooler keeps the
 * users it serves.  The API keys and the projects' organizations are
 * bounded by count instead: past MAX_CACHED_LOOKUPS a table of them starts
 * over on its own, leaving the users.  phrbac_cache_stats() reports
 * entries, bytes, hits, misses and evictions.
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
#include "funcapi.h"
#include "lib/ilist.h"
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

/* API keys, or projects, remembered before their table starts over. */
#define MAX_CACHED_LOOKUPS 4096

typedef struct CacheEntry
{
	int64		user_id;		/* hash key */
	PhrbacUserFacts *facts;
	MemoryContext context;		/* holds facts */
	Size		bytes;			/* what context holds */
	uint64		epoch;			/* the refresh it was last used in */
	dlist_node	lru;			/* most recently used first */
} CacheEntry;

static bool cache_enabled = true;
static int	cache_size_kb = 65536;	/* phrbac.cache_size */

static dlist_head cache_lru = DLIST_STATIC_INIT(cache_lru);
static Size cache_user_bytes = 0;	/* the users' contexts, together */
static uint64 cache_epoch = 0;		/* refreshes so far */
static int64 cache_hits = 0;
static int64 cache_misses = 0;
static int64 cache_evictions = 0;

static MemoryContext cache_context = NULL;
static HTAB *cache_users = NULL;
static HTAB *cache_keys = NULL;
static HTAB *cache_projects = NULL;	/* project id -> organization id */
static HTAB *cache_org_projects = NULL; /* an organization's projects */
static MemoryContext filling = NULL;	/* the user entry being loaded */

typedef struct OrgProjectsKey
{
	int64		organization_id;
	int			organization;	/* its index among a user's organizations */
} OrgProjectsKey;

typedef struct CachedOrgProjects
{
	OrgProjectsKey key;			/* hash key */
	PhrbacProjectFacts *projects;
	int			nprojects;
} CachedOrgProjects;

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
	DefineCustomIntVariable("phrbac.cache_size",
							"Memory the per-backend decision cache keeps users' facts in.",
							"Past it, the least recently used users are evicted.",
							&cache_size_kb,
							65536,
							1024,
							MAX_KILOBYTES,
							PGC_USERSET,
							GUC_UNIT_KB,
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

/* A table of the cache, empty, in cache_context. */
static HTAB *
cache_table(const char *name, Size keysize, Size entrysize)
{
	HASHCTL		ctl;

	ctl.keysize = keysize;
	ctl.entrysize = entrysize;
	ctl.hcxt = cache_context;
	return hash_create(name, 64, &ctl, HASH_ELEM | HASH_BLOBS | HASH_CONTEXT);
}

static HTAB *
api_keys_table(void)
{
	return cache_table("phrbac cached API keys", PHRBAC_API_KEY_DIGEST_BYTES,
					   sizeof(PhrbacCachedKey));
}

static HTAB *
projects_table(void)
{
	return cache_table("phrbac cached project organizations", sizeof(int64),
					   sizeof(CachedProject));
}

/*
 * A table of API keys or projects that reached MAX_CACHED_LOOKUPS starts
 * over on its own: the users' facts, what a pooled backend must keep, stay.
 */
static HTAB *
bounded(HTAB *table, HTAB *(*empty_table) (void))
{
	if (hash_get_num_entries(table) < MAX_CACHED_LOOKUPS)
		return table;
	hash_destroy(table);
	return empty_table();
}

static void
start_over(void)
{
	if (cache_context == NULL)
		cache_context = AllocSetContextCreate(CacheMemoryContext,
											  "phrbac decision cache",
											  ALLOCSET_DEFAULT_SIZES);
	MemoryContextReset(cache_context);
	cache_users = cache_table("phrbac cached users", sizeof(int64), sizeof(CacheEntry));
	cache_keys = api_keys_table();
	cache_projects = projects_table();
	cache_org_projects = cache_table("phrbac cached organization projects",
									 sizeof(OrgProjectsKey), sizeof(CachedOrgProjects));
	dlist_init(&cache_lru);
	cache_user_bytes = 0;
	db_role_valid = false;
	cache_stale = false;
}

/*
 * What the cache holds, in bytes: every user's facts and the organizations'
 * projects.  The hash tables, each in a context of its own (a few dozen
 * bytes an entry), are left out: counting them would mean walking every
 * user's context at each eviction.
 */
static Size
cache_bytes(void)
{
	return cache_context == NULL ? 0 :
		MemoryContextMemAllocated(cache_context, false) + cache_user_bytes;
}

static void
forget_user(CacheEntry *entry)
{
	dlist_delete(&entry->lru);
	cache_user_bytes -= entry->bytes;
	MemoryContextDelete(entry->context);
	hash_search(cache_users, &entry->user_id, HASH_REMOVE, NULL);
}

/*
 * Evicts the least recently used users until the cache fits
 * phrbac.cache_size, sparing those used since the last refresh (their facts
 * may still be in a caller's hands): it may overflow until the next one.
 */
static void
evict(void)
{
	while (cache_bytes() > (Size) cache_size_kb * 1024 && !dlist_is_empty(&cache_lru))
	{
		CacheEntry *oldest = dlist_tail_element(CacheEntry, lru, &cache_lru);

		if (oldest->epoch == cache_epoch)
			break;
		forget_user(oldest);
		cache_evictions++;
	}
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
	cache_epoch++;
	AcceptInvalidationMessages();
	if (nnoted_relations > 0)
		settle_noted_relations();
	if (cache_stale || cache_users == NULL)
	{
		start_over();
		return;
	}
	cache_keys = bounded(cache_keys, api_keys_table);
	cache_projects = bounded(cache_projects, projects_table);
	evict();
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

const PhrbacUserFacts *
phrbac_cache_user(int64 user_id)
{
	CacheEntry *entry;
	MemoryContext context;
	bool		found;

	if (!cache_enabled)
		return phrbac_catalog_load_user(user_id, CurrentMemoryContext);
	refresh();
	entry = hash_search(cache_users, &user_id, HASH_FIND, NULL);
	if (entry != NULL)
	{
		cache_hits++;
		entry->epoch = cache_epoch;
		dlist_move_head(&cache_lru, &entry->lru);
		return entry->facts;
	}

	/* loaded before it is entered: a load that fails leaves nothing behind */
	cache_misses++;
	context = AllocSetContextCreate(cache_context, "phrbac cached user",
									ALLOCSET_SMALL_SIZES);
	PG_TRY();
	{
		PhrbacUserFacts *facts;

		filling = context;
		facts = phrbac_catalog_load_user(user_id, context);
		filling = NULL;
		entry = hash_search(cache_users, &user_id, HASH_ENTER, &found);
		entry->facts = facts;
	}
	PG_CATCH();
	{
		filling = NULL;
		MemoryContextDelete(context);
		PG_RE_THROW();
	}
	PG_END_TRY();
	entry->context = context;
	entry->bytes = MemoryContextMemAllocated(context, true);
	entry->epoch = cache_epoch;
	dlist_push_head(&cache_lru, &entry->lru);
	cache_user_bytes += entry->bytes;
	note_load();
	evict();
	return entry->facts;
}

bool
phrbac_cache_holds_user(int64 user_id)
{
	if (!cache_enabled)
		return false;
	refresh();
	return hash_search(cache_users, &user_id, HASH_FIND, NULL) != NULL;
}

const PhrbacProjectFacts *
phrbac_cache_org_projects(int64 organization_id, int organization,
						  MemoryContext context, int *count)
{
	OrgProjectsKey key;
	CachedOrgProjects *entry;
	bool		found;

	if (filling == NULL)
		return phrbac_catalog_load_org_projects(organization_id, organization,
												context, count);
	memset(&key, 0, sizeof(key));
	key.organization_id = organization_id;
	key.organization = organization;
	entry = hash_search(cache_org_projects, &key, HASH_FIND, NULL);
	if (entry == NULL)
	{
		PhrbacProjectFacts *projects;
		int			nprojects;

		projects = phrbac_catalog_load_org_projects(organization_id, organization,
													cache_context, &nprojects);
		entry = hash_search(cache_org_projects, &key, HASH_ENTER, &found);
		entry->projects = projects;
		entry->nprojects = nprojects;
	}
	*count = entry->nprojects;
	return entry->projects;
}

/*
 * What the cache holds and how it has done in this backend: users cached,
 * bytes, hits, misses and evictions since the backend started, and the
 * limit (phrbac.cache_size) in bytes.
 */
PG_FUNCTION_INFO_V1(phrbac_cache_stats);
Datum
phrbac_cache_stats(PG_FUNCTION_ARGS)
{
	TupleDesc	tupdesc;
	Datum		values[6];
	bool		nulls[6] = {false};

	if (get_call_result_type(fcinfo, NULL, &tupdesc) != TYPEFUNC_COMPOSITE)
		elog(ERROR, "return type must be a row type");
	tupdesc = BlessTupleDesc(tupdesc);
	values[0] = Int64GetDatum(cache_users == NULL || cache_stale ? 0 :
							  (int64) hash_get_num_entries(cache_users));
	values[1] = Int64GetDatum(cache_stale ? 0 : (int64) cache_bytes());
	values[2] = Int64GetDatum(cache_hits);
	values[3] = Int64GetDatum(cache_misses);
	values[4] = Int64GetDatum(cache_evictions);
	values[5] = Int64GetDatum((int64) cache_size_kb * 1024);
	PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(tupdesc, values, nulls)));
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
