/*
 * catalog.c
 *     Reads phrbac's catalog: every fact about one user that a decision can
 *     need, in six queries, whoever the caller is.
 *
 * Reads run as the owner of schema phrbac (normally the superuser who ran
 * CREATE EXTENSION), with search_path pinned to "pg_catalog, pg_temp" and
 * every name qualified, so the caller can neither lack the privilege to
 * read the catalog nor redirect the read.
 */
#include "postgres.h"

#include "access/htup_details.h"
#include "catalog/namespace.h"
#include "catalog/pg_namespace.h"
#include "catalog/pg_type_d.h"
#include "executor/spi.h"
#include "miscadmin.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/guc.h"
#include "utils/lsyscache.h"
#include "utils/syscache.h"
#include "utils/timestamp.h"

#include "catalog.h"
#include "datum.h"

#define CATALOG_SCHEMA "phrbac"

/* The role that owns schema phrbac. */
static Oid
catalog_owner(void)
{
	Oid			namespace = get_namespace_oid(CATALOG_SCHEMA, false);
	HeapTuple	tuple = SearchSysCache1(NAMESPACEOID, ObjectIdGetDatum(namespace));
	Oid			owner;

	if (!HeapTupleIsValid(tuple))
		elog(ERROR, "cache lookup failed for namespace %u", namespace);
	owner = ((Form_pg_namespace) GETSTRUCT(tuple))->nspowner;
	ReleaseSysCache(tuple);
	return owner;
}

void
phrbac_as_catalog_owner(void (*fn) (void *arg), void *arg)
{
	Oid			saved_user;
	int			saved_context;
	int			nestlevel;

	GetUserIdAndSecContext(&saved_user, &saved_context);
	SetUserIdAndSecContext(catalog_owner(),
						   saved_context | SECURITY_LOCAL_USERID_CHANGE);
	nestlevel = NewGUCNestLevel();
	PG_TRY();
	{
		(void) set_config_option("search_path", "pg_catalog, pg_temp",
								 PGC_USERSET, PGC_S_SESSION, GUC_ACTION_SAVE,
								 true, 0, false);
		if (SPI_connect() != SPI_OK_CONNECT)
			elog(ERROR, "SPI_connect failed");
		fn(arg);
		SPI_finish();
	}
	PG_FINALLY();
	{
		AtEOXact_GUC(true, nestlevel);
		SetUserIdAndSecContext(saved_user, saved_context);
	}
	PG_END_TRY();
}

/* Runs a read-only query with one bigint parameter. */
static void
query_by_id(const char *sql, int64 id)
{
	Oid			types[1] = {INT8OID};
	Datum		values[1] = {Int64GetDatum(id)};

	if (SPI_execute_with_args(sql, 1, types, values, NULL, true, 0) != SPI_OK_SELECT)
		elog(ERROR, "phrbac catalog query failed: %s", sql);
}

static Datum
column(int row, int col, bool *isnull)
{
	return SPI_getbinval(SPI_tuptable->vals[row], SPI_tuptable->tupdesc, col,
						 isnull);
}

static int64
column_int64(int row, int col)
{
	bool		isnull;
	Datum		d = column(row, col, &isnull);

	return isnull ? 0 : DatumGetInt64(d);
}

static bool
column_bool(int row, int col)
{
	bool		isnull;
	Datum		d = column(row, col, &isnull);

	return !isnull && DatumGetBool(d);
}

static PhrbacRole
column_role(int row, int col)
{
	bool		isnull;
	Datum		d = column(row, col, &isnull);

	return isnull ? PHRBAC_ROLE_NONE : DatumGetPhrbacRole(d);
}

/* An expiry; NULL is never. */
static PhrbacTimestamp
column_expiry(int row, int col)
{
	bool		isnull;
	Datum		d = column(row, col, &isnull);

	return isnull ? PHRBAC_NEVER : DatumGetTimestampTz(d);
}

/* A timestamp that records an event; NULL (it never happened) is 0. */
static PhrbacTimestamp
column_instant(int row, int col)
{
	bool		isnull;
	Datum		d = column(row, col, &isnull);

	return isnull ? 0 : DatumGetTimestampTz(d);
}

/* Copies a rule's grant into context. */
static void
column_rule_access(int row, int col, PhrbacRule *rule, MemoryContext context)
{
	bool		isnull;
	PhrbacGrantData *data = DatumGetPhrbacGrantData(column(row, col, &isnull));
	PhrbacGrant grant = phrbac_grant_unpack(data);

	rule->resource = grant.resource;
	rule->actions = grant.actions;
	rule->object_len = grant.object_len;
	rule->object = NULL;
	if (grant.object != NULL)
	{
		char	   *object = MemoryContextAlloc(context, grant.object_len);

		memcpy(object, grant.object, grant.object_len);
		rule->object = object;
	}
}

const PhrbacProjectFacts *
phrbac_user_project(const PhrbacUserFacts *user, int64 project_id)
{
	int			low = 0;
	int			high = user->nprojects - 1;

	while (low <= high)
	{
		int			mid = low + (high - low) / 2;
		int64		id = user->projects[mid].id;

		if (id == project_id)
			return &user->projects[mid];
		if (id < project_id)
			low = mid + 1;
		else
			high = mid - 1;
	}
	return NULL;
}

const PhrbacOrganizationFacts *
phrbac_user_organization(const PhrbacUserFacts *user, int64 organization_id)
{
	int			i;

	for (i = 0; i < user->norganizations; i++)
		if (user->organizations[i].id == organization_id)
			return &user->organizations[i];
	return NULL;
}

/*
 * Rows are read in several queries, which inside a cascading delete may see
 * a row whose organization or project is already gone (its own deletion
 * follows in the same statement).  Such rows grant nothing and are skipped:
 * the lookups below return -1 or NULL for them.
 */
PhrbacRole
phrbac_user_org_role(const PhrbacUserFacts *user, int64 organization_id,
					 PhrbacTimestamp now)
{
	const PhrbacOrganizationFacts *organization =
		phrbac_user_organization(user, organization_id);

	if (organization == NULL || !user->is_active ||
		!phrbac_is_live(organization->membership.expires_at, now))
		return PHRBAC_ROLE_NONE;
	return organization->membership.role;
}

static int
organization_index(const PhrbacUserFacts *user, int64 organization_id)
{
	const PhrbacOrganizationFacts *organization =
		phrbac_user_organization(user, organization_id);

	return organization == NULL ? -1 : (int) (organization - user->organizations);
}

static PhrbacProjectFacts *
project_of_row(PhrbacUserFacts *user, int64 project_id)
{
	return (PhrbacProjectFacts *) phrbac_user_project(user, project_id);
}

typedef struct LoadUser
{
	int64		user_id;
	MemoryContext context;
	PhrbacUserFacts *user;
} LoadUser;

static void
load_organizations(PhrbacUserFacts *user, MemoryContext context)
{
	int			i;

	query_by_id("SELECT o.id, m.id, m.role, m.expires_at, o.enforce_sso,"
				"       o.members_can_use_api_keys, o.resolution = 'max'"
				"  FROM phrbac.organization_members m"
				"  JOIN phrbac.organizations o ON o.id = m.organization_id"
				" WHERE m.user_id = $1 ORDER BY o.id",
				user->user_id);
	user->norganizations = (int) SPI_processed;
	user->organizations = MemoryContextAllocZero(context,
												 sizeof(PhrbacOrganizationFacts) * (SPI_processed + 1));
	for (i = 0; i < user->norganizations; i++)
	{
		PhrbacOrganizationFacts *organization = &user->organizations[i];

		organization->id = column_int64(i, 1);
		organization->membership.id = column_int64(i, 2);
		organization->membership.role = column_role(i, 3);
		organization->membership.expires_at = column_expiry(i, 4);
		organization->enforce_sso = column_bool(i, 5);
		organization->members_can_use_api_keys = column_bool(i, 6);
		organization->resolution = column_bool(i, 7) ? PHRBAC_RESOLUTION_MAX
			: PHRBAC_RESOLUTION_MOST_SPECIFIC;
	}
}

static void
load_projects(PhrbacUserFacts *user, MemoryContext context)
{
	int			i;

	query_by_id("SELECT p.id, p.organization_id, p.default_role"
				"  FROM phrbac.projects p"
				" WHERE p.organization_id IN (SELECT organization_id"
				"                               FROM phrbac.organization_members"
				"                              WHERE user_id = $1)"
				" ORDER BY p.id",
				user->user_id);
	user->projects = MemoryContextAllocZero(context,
											sizeof(PhrbacProjectFacts) * (SPI_processed + 1));
	for (i = 0; i < (int) SPI_processed; i++)
	{
		PhrbacProjectFacts *project = &user->projects[user->nprojects];

		project->organization = organization_index(user, column_int64(i, 2));
		if (project->organization < 0)
			continue;
		project->id = column_int64(i, 1);
		project->default_role = column_role(i, 3);
		user->nprojects++;
	}
}

/*
 * Project rows of the user and of the user's roles, ordered by project so
 * each project's role rows form one slice of a shared array.
 */
static void
load_project_rows(PhrbacUserFacts *user, MemoryContext context)
{
	PhrbacMembership *role_rows;
	int			nrole_rows = 0;
	int			i;

	query_by_id("SELECT pm.project_id, pm.id, pm.role, pm.user_id IS NOT NULL,"
				"       least(pm.expires_at, rm.expires_at)"
				"  FROM phrbac.project_members pm"
				"  LEFT JOIN phrbac.role_members rm"
				"         ON rm.role_id = pm.role_id AND rm.user_id = $1"
				" WHERE pm.user_id = $1 OR rm.id IS NOT NULL"
				" ORDER BY pm.project_id, pm.id",
				user->user_id);
	role_rows = MemoryContextAllocZero(context,
									   sizeof(PhrbacMembership) * (SPI_processed + 1));
	for (i = 0; i < (int) SPI_processed; i++)
	{
		PhrbacProjectFacts *project = project_of_row(user, column_int64(i, 1));
		PhrbacMembership row;

		if (project == NULL)
			continue;
		row.id = column_int64(i, 2);
		row.role = column_role(i, 3);
		row.expires_at = column_expiry(i, 5);
		if (column_bool(i, 4))
		{
			project->user_row = row;
			continue;
		}
		if (project->nrole_rows == 0)
			project->role_rows = &role_rows[nrole_rows];
		role_rows[nrole_rows++] = row;
		project->nrole_rows++;
	}
}

/*
 * Rules naming the user, a role of theirs, or everyone, in the user's
 * organizations: organization-wide ones first, grouped by organization, then
 * project ones grouped by project, so each group is a slice of one array.
 */
static void
load_rules(PhrbacUserFacts *user, MemoryContext context)
{
	PhrbacRule *rules;
	int			i;

	query_by_id("SELECT r.organization_id, r.project_id, r.id,"
				"       CASE WHEN r.user_id IS NOT NULL THEN 0"
				"            WHEN r.role_id IS NOT NULL THEN 1 ELSE 2 END,"
				"       r.access, least(r.expires_at, rm.expires_at)"
				"  FROM phrbac.access_rules r"
				"  LEFT JOIN phrbac.role_members rm"
				"         ON rm.role_id = r.role_id AND rm.user_id = $1"
				" WHERE r.organization_id IN (SELECT organization_id"
				"                               FROM phrbac.organization_members"
				"                              WHERE user_id = $1)"
				"   AND (r.user_id = $1 OR rm.id IS NOT NULL"
				"        OR (r.user_id IS NULL AND r.role_id IS NULL))"
				" ORDER BY r.project_id NULLS FIRST, r.organization_id, r.id",
				user->user_id);
	rules = MemoryContextAllocZero(context, sizeof(PhrbacRule) * (SPI_processed + 1));
	for (i = 0; i < (int) SPI_processed; i++)
	{
		PhrbacRule *rule = &rules[i];
		int64		project_id = column_int64(i, 2);
		bool		isnull;

		rule->id = column_int64(i, 3);
		rule->subject = (PhrbacSubject) DatumGetInt32(column(i, 4, &isnull));
		column_rule_access(i, 5, rule, context);
		rule->expires_at = column_expiry(i, 6);

		if (project_id == 0)
		{
			int			index = organization_index(user, column_int64(i, 1));

			if (index < 0)
				continue;
			if (user->organizations[index].nrules == 0)
				user->organizations[index].rules = rule;
			user->organizations[index].nrules++;
		}
		else
		{
			PhrbacProjectFacts *project = project_of_row(user, project_id);

			if (project == NULL)
				continue;
			if (project->nrules == 0)
				project->rules = rule;
			project->nrules++;
		}
	}
}

int64 *
phrbac_int8_array(Datum array, int *count, MemoryContext context)
{
	Datum	   *elements;
	int64	   *ids;
	int			i;

	deconstruct_array(DatumGetArrayTypeP(array), INT8OID, sizeof(int64),
					  FLOAT8PASSBYVAL, TYPALIGN_DOUBLE, &elements, NULL, count);
	ids = MemoryContextAlloc(context, sizeof(int64) * (*count + 1));
	for (i = 0; i < *count; i++)
		ids[i] = DatumGetInt64(elements[i]);
	return ids;
}

/* An int8[] column into context; NULL stays NULL. */
static int64 *
column_ids(int row, int col, int *count, MemoryContext context)
{
	bool		isnull;
	Datum		d = column(row, col, &isnull);

	*count = 0;
	return isnull ? NULL : phrbac_int8_array(d, count, context);
}

/* A phrbac_scope[] column into context. */
static PhrbacScope *
column_scopes(int row, int col, int *count, MemoryContext context)
{
	bool		isnull;
	Datum		d = column(row, col, &isnull);
	Datum	   *elements;
	PhrbacScope *scopes;
	int			i;

	*count = 0;
	if (isnull)
		return NULL;
	deconstruct_array(DatumGetArrayTypeP(d), ARR_ELEMTYPE(DatumGetArrayTypeP(d)),
					  sizeof(int32), true, TYPALIGN_INT, &elements, NULL, count);
	scopes = MemoryContextAlloc(context, sizeof(PhrbacScope) * (*count + 1));
	for (i = 0; i < *count; i++)
		scopes[i] = DatumGetPhrbacScope(elements[i]);
	return scopes;
}

static void
load_keys(PhrbacUserFacts *user, MemoryContext context)
{
	int			i;

	query_by_id("SELECT id, expires_at, last_rolled_at, last_used_at,"
				"       mask_value, scopes, scoped_projects, scoped_organizations"
				"  FROM phrbac.api_keys"
				" WHERE user_id = $1 AND revoked_at IS NULL ORDER BY id",
				user->user_id);
	user->nkeys = (int) SPI_processed;
	user->keys = MemoryContextAllocZero(context,
										sizeof(PhrbacKeyFacts) * (SPI_processed + 1));
	for (i = 0; i < user->nkeys; i++)
	{
		PhrbacKeyFacts *key = &user->keys[i];
		bool		isnull;

		key->id = column_int64(i, 1);
		key->expires_at = column_expiry(i, 2);
		key->rolled_at = column_instant(i, 3);
		key->last_used_at = column_instant(i, 4);
		strlcpy(key->mask, TextDatumGetCString(column(i, 5, &isnull)),
				sizeof(key->mask));
		key->scopes = column_scopes(i, 6, &key->nscopes, context);
		key->projects = column_ids(i, 7, &key->nprojects, context);
		key->organizations = column_ids(i, 8, &key->norganizations, context);
	}
}

const PhrbacKeyFacts *
phrbac_user_key(const PhrbacUserFacts *user, int64 key_id)
{
	int			i;

	for (i = 0; i < user->nkeys; i++)
		if (user->keys[i].id == key_id)
			return &user->keys[i];
	return NULL;
}

typedef struct LookupKey
{
	const char *secure_value;
	PhrbacKeyByHash result;
} LookupKey;

static void
lookup_key_by_hash(void *arg)
{
	LookupKey  *lookup = arg;
	Oid			types[1] = {TEXTOID};
	Datum		values[1] = {CStringGetTextDatum(lookup->secure_value)};

	if (SPI_execute_with_args("SELECT id, user_id FROM phrbac.api_keys"
							  " WHERE secure_value = $1",
							  1, types, values, NULL, true, 1) != SPI_OK_SELECT)
		elog(ERROR, "phrbac catalog query failed");
	if (SPI_processed > 0)
	{
		lookup->result.id = column_int64(0, 1);
		lookup->result.user_id = column_int64(0, 2);
	}
}

PhrbacKeyByHash
phrbac_catalog_key_by_hash(const char *secure_value)
{
	LookupKey	lookup = {.secure_value = secure_value};

	phrbac_as_catalog_owner(lookup_key_by_hash, &lookup);
	return lookup.result;
}

static void
load_user(void *arg)
{
	LoadUser   *load = arg;
	PhrbacUserFacts *user = MemoryContextAllocZero(load->context,
												   sizeof(PhrbacUserFacts));

	user->user_id = load->user_id;
	load->user = user;
	query_by_id("SELECT is_active FROM phrbac.users WHERE id = $1", user->user_id);
	if (SPI_processed == 0)
		return;
	user->exists = true;
	user->is_active = column_bool(0, 1);

	load_organizations(user, load->context);
	load_projects(user, load->context);
	load_project_rows(user, load->context);
	load_rules(user, load->context);
	load_keys(user, load->context);
}

PhrbacUserFacts *
phrbac_catalog_load_user(int64 user_id, MemoryContext context)
{
	LoadUser	load = {.user_id = user_id, .context = context};

	phrbac_as_catalog_owner(load_user, &load);
	return load.user;
}

void
phrbac_project_decision_facts(const PhrbacUserFacts *user,
							  const PhrbacProjectFacts *project,
							  PhrbacFacts *facts)
{
	const PhrbacOrganizationFacts *organization;

	memset(facts, 0, sizeof(*facts));
	facts->user_active = user->exists && user->is_active;
	if (project == NULL)
		return;
	organization = &user->organizations[project->organization];
	facts->organization = organization->membership;
	facts->enforce_sso = organization->enforce_sso;
	facts->members_can_use_api_keys = organization->members_can_use_api_keys;
	facts->resolution = organization->resolution;
	facts->project_default_role = project->default_role;
	facts->project_user = project->user_row;
	facts->project_roles = project->role_rows;
	facts->nproject_roles = project->nrole_rows;
	facts->project_rules = project->rules;
	facts->nproject_rules = project->nrules;
	facts->organization_rules = organization->rules;
	facts->norganization_rules = organization->nrules;
}

typedef struct LookupById
{
	int64		id;
	int64		result;
} LookupById;

static void
lookup_db_role_user(void *arg)
{
	LookupById *lookup = arg;
	Oid			types[1] = {NAMEOID};
	Datum		values[1];
	char	   *rolename = GetUserNameFromId((Oid) lookup->id, true);

	lookup->result = 0;
	if (rolename == NULL)
		return;
	values[0] = CStringGetDatum(rolename);
	values[0] = DirectFunctionCall1(namein, values[0]);
	if (SPI_execute_with_args("SELECT id FROM phrbac.users WHERE db_role = $1",
							  1, types, values, NULL, true, 1) != SPI_OK_SELECT)
		elog(ERROR, "phrbac catalog query failed");
	if (SPI_processed > 0)
		lookup->result = column_int64(0, 1);
}

int64
phrbac_catalog_db_role_user(Oid roleid)
{
	LookupById	lookup = {.id = roleid};

	phrbac_as_catalog_owner(lookup_db_role_user, &lookup);
	return lookup.result;
}

typedef struct LookupName
{
	int64		id;
	MemoryContext context;		/* where the name is copied */
	char	   *name;
} LookupName;

static void
lookup_organization_name(void *arg)
{
	LookupName *lookup = arg;
	bool		isnull;
	Datum		name;

	query_by_id("SELECT name FROM phrbac.organizations WHERE id = $1", lookup->id);
	if (SPI_processed == 0)
		return;
	name = column(0, 1, &isnull);
	if (!isnull)
		lookup->name = MemoryContextStrdup(lookup->context, TextDatumGetCString(name));
}

char *
phrbac_catalog_organization_name(int64 organization_id)
{
	LookupName	lookup = {.id = organization_id, .context = CurrentMemoryContext};

	phrbac_as_catalog_owner(lookup_organization_name, &lookup);
	return lookup.name != NULL ? lookup.name : psprintf(INT64_FORMAT, organization_id);
}

static void
lookup_project_organization(void *arg)
{
	LookupById *lookup = arg;

	query_by_id("SELECT organization_id FROM phrbac.projects WHERE id = $1", lookup->id);
	lookup->result = SPI_processed > 0 ? column_int64(0, 1) : 0;
}

int64
phrbac_catalog_project_organization(int64 project_id)
{
	LookupById	lookup = {.id = project_id};

	phrbac_as_catalog_owner(lookup_project_organization, &lookup);
	return lookup.result;
}
