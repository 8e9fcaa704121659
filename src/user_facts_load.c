/*
 * user_facts_load.c
 *     Loads everything phrbac's catalog says about one user, in five queries
 *     run as the catalog's owner (catalog.c), plus one per organization whose
 *     projects the cache does not hold yet: what a decision about them can
 *     need, whoever the caller is (README, Concepts, "The cache").
 */
#include "postgres.h"

#include "catalog/pg_type_d.h"
#include "executor/spi.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/guc.h"
#include "utils/timestamp.h"

#include "cache.h"
#include "catalog.h"
#include "datum.h"

static PhrbacRole
column_role(int row, int col)
{
	bool		isnull;
	Datum		d = phrbac_result_datum(row, col, &isnull);

	return isnull ? PHRBAC_ROLE_NONE : DatumGetPhrbacRole(d);
}

/* An expiry; NULL is never. */
static PhrbacTimestamp
column_expiry(int row, int col)
{
	bool		isnull;
	Datum		d = phrbac_result_datum(row, col, &isnull);

	return isnull ? PHRBAC_NEVER : DatumGetTimestampTz(d);
}

/* A timestamp that records an event; NULL (it never happened) is 0. */
static PhrbacTimestamp
column_instant(int row, int col)
{
	bool		isnull;
	Datum		d = phrbac_result_datum(row, col, &isnull);

	return isnull ? 0 : DatumGetTimestampTz(d);
}

/* Copies a rule's grant into context. */
static void
column_rule_access(int row, int col, PhrbacRule *rule, MemoryContext context)
{
	bool		isnull;
	PhrbacGrantData *data = DatumGetPhrbacGrantData(phrbac_result_datum(row, col, &isnull));
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

/*
 * Rows are read in several queries, which inside a cascading delete may see
 * a row whose organization or project is already gone (its own deletion
 * follows in the same statement).  Such rows grant nothing and are skipped:
 * the lookups below return -1 or NULL for them.
 */
static int
organization_index(const PhrbacUserFacts *user, int64 organization_id)
{
	const PhrbacOrganizationFacts *organization =
		phrbac_user_organization(user, organization_id);

	return organization == NULL ? -1 : (int) (organization - user->organizations);
}

/* The user's own facts for a project (never the shared ones), or NULL. */
static PhrbacProjectFacts *
project_of_row(PhrbacUserFacts *user, int64 project_id)
{
	int			low = 0;
	int			high = user->nprojects - 1;

	while (low <= high)
	{
		int			mid = low + (high - low) / 2;

		if (user->projects[mid].id == project_id)
			return &user->projects[mid];
		if (user->projects[mid].id < project_id)
			low = mid + 1;
		else
			high = mid - 1;
	}
	return NULL;
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

	phrbac_catalog_query("SELECT o.id, m.id, m.role, m.expires_at, o.enforce_sso,"
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

		organization->id = phrbac_result_int64(i, 1);
		organization->membership.id = phrbac_result_int64(i, 2);
		organization->membership.role = column_role(i, 3);
		organization->membership.expires_at = column_expiry(i, 4);
		organization->enforce_sso = phrbac_result_bool(i, 5);
		organization->members_can_use_api_keys = phrbac_result_bool(i, 6);
		organization->resolution = phrbac_result_bool(i, 7) ? PHRBAC_RESOLUTION_MAX
			: PHRBAC_RESOLUTION_MOST_SPECIFIC;
	}
}

/*
 * The projects of one organization, sorted by id, as facts that name no
 * user (organization is the index given): every user of the organization
 * shares them, through the cache (phrbac_cache_org_projects).
 */
PhrbacProjectFacts *
phrbac_catalog_load_org_projects(int64 organization_id, int organization,
								 MemoryContext context, int *count)
{
	PhrbacProjectFacts *projects;
	int			i;

	phrbac_catalog_query("SELECT id, default_role FROM phrbac.projects"
						 " WHERE organization_id = $1 ORDER BY id",
						 organization_id);
	*count = (int) SPI_processed;
	projects = MemoryContextAllocZero(context,
									  sizeof(PhrbacProjectFacts) * (SPI_processed + 1));
	for (i = 0; i < *count; i++)
	{
		projects[i].id = phrbac_result_int64(i, 1);
		projects[i].organization = organization;
		projects[i].default_role = column_role(i, 2);
	}
	return projects;
}

static void
load_projects(PhrbacUserFacts *user, MemoryContext context)
{
	int			i;

	for (i = 0; i < user->norganizations; i++)
	{
		PhrbacOrganizationFacts *organization = &user->organizations[i];

		int			j;

		organization->projects = phrbac_cache_org_projects(organization->id, i, context,
														   &organization->nprojects);
		for (j = 0; j < organization->nprojects; j++)
			if (organization->projects[j].default_role != PHRBAC_ROLE_NONE)
				organization->nopen_projects++;
	}
}

static int
compare_ids(const void *a, const void *b)
{
	int64		x = *(const int64 *) a;
	int64		y = *(const int64 *) b;

	return x < y ? -1 : x > y;
}

/*
 * The user's own project facts: a copy of the organization's facts of each
 * project that a row or rule of theirs names (column col of the results
 * rows and rules), to hang those rows and rules on.  The other projects of
 * their organizations stay shared.
 */
static void
own_projects(PhrbacUserFacts *user, SPITupleTable *rows, uint64 nrows,
			 SPITupleTable *rules, uint64 nrules, MemoryContext context)
{
	int64	   *ids = palloc(sizeof(int64) * (nrows + nrules + 1));
	int			nids = 0;
	uint64		i;
	int			j;

	SPI_tuptable = rows;
	for (i = 0; i < nrows; i++)
		ids[nids++] = phrbac_result_int64((int) i, 1);
	SPI_tuptable = rules;
	for (i = 0; i < nrules; i++)
		if ((ids[nids] = phrbac_result_int64((int) i, 2)) != 0)
			nids++;
	qsort(ids, nids, sizeof(int64), compare_ids);
	user->projects = MemoryContextAllocZero(context,
											sizeof(PhrbacProjectFacts) * (nids + 1));
	for (j = 0; j < nids; j++)
	{
		const PhrbacProjectFacts *shared;

		if (j > 0 && ids[j] == ids[j - 1])
			continue;
		/* what the user has so far holds smaller ids: this is the shared one */
		shared = phrbac_user_project(user, ids[j]);
		if (shared != NULL)		/* NULL: not in their organizations */
			user->projects[user->nprojects++] = *shared;
	}
	pfree(ids);
}

/*
 * Project rows of the user and of the user's roles, ordered by project so
 * each project's role rows form one slice of a shared array.  Each arm of
 * the query is an index scan (project_members by user_id, then by role_id).
 */
static void
query_project_rows(PhrbacUserFacts *user)
{
	phrbac_catalog_query("SELECT pm.project_id, pm.id, pm.role, true, pm.expires_at"
						 "  FROM phrbac.project_members pm"
						 " WHERE pm.user_id = $1"
						 " UNION ALL "
						 "SELECT pm.project_id, pm.id, pm.role, false,"
						 "       least(pm.expires_at, rm.expires_at)"
						 "  FROM phrbac.role_members rm"
						 "  JOIN phrbac.project_members pm ON pm.role_id = rm.role_id"
						 " WHERE rm.user_id = $1"
						 " ORDER BY 1, 2",
						 user->user_id);
}

static void
load_project_rows(PhrbacUserFacts *user, MemoryContext context)
{
	PhrbacMembership *role_rows;
	int			nrole_rows = 0;
	int			i;

	role_rows = MemoryContextAllocZero(context,
									   sizeof(PhrbacMembership) * (SPI_processed + 1));
	for (i = 0; i < (int) SPI_processed; i++)
	{
		PhrbacProjectFacts *project = project_of_row(user, phrbac_result_int64(i, 1));
		PhrbacMembership row;

		if (project == NULL)
			continue;
		row.id = phrbac_result_int64(i, 2);
		row.role = column_role(i, 3);
		row.expires_at = column_expiry(i, 5);
		if (phrbac_result_bool(i, 4))
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
 * Each arm of the query is an index scan: rules by user_id, by role_id for
 * each of the user's roles, and the organization's rules for everyone
 * (access_rules_everyone); none reads the organization's other rules.
 * Rules of an organization that is not the user's (a cascading delete in
 * progress) are skipped below.
 */
static void
query_rules(PhrbacUserFacts *user)
{
	phrbac_catalog_query("SELECT r.organization_id, r.project_id, r.id, 0, r.access, r.expires_at"
						 "  FROM phrbac.access_rules r"
						 " WHERE r.user_id = $1"
						 " UNION ALL "
						 "SELECT r.organization_id, r.project_id, r.id, 1, r.access,"
						 "       least(r.expires_at, rm.expires_at)"
						 "  FROM phrbac.role_members rm"
						 "  JOIN phrbac.access_rules r ON r.role_id = rm.role_id"
						 " WHERE rm.user_id = $1"
						 " UNION ALL "
						 "SELECT r.organization_id, r.project_id, r.id, 2, r.access, r.expires_at"
						 "  FROM phrbac.access_rules r"
						 " WHERE r.user_id IS NULL AND r.role_id IS NULL"
						 "   AND r.organization_id IN (SELECT organization_id"
						 "                               FROM phrbac.organization_members"
						 "                              WHERE user_id = $1)"
						 " ORDER BY 2 NULLS FIRST, 1, 3",
						 user->user_id);
}

static void
load_rules(PhrbacUserFacts *user, MemoryContext context)
{
	PhrbacRule *rules;
	int			i;

	rules = MemoryContextAllocZero(context, sizeof(PhrbacRule) * (SPI_processed + 1));
	for (i = 0; i < (int) SPI_processed; i++)
	{
		PhrbacRule *rule = &rules[i];
		int64		project_id = phrbac_result_int64(i, 2);
		bool		isnull;

		rule->id = phrbac_result_int64(i, 3);
		rule->subject = (PhrbacSubject) DatumGetInt32(phrbac_result_datum(i, 4, &isnull));
		column_rule_access(i, 5, rule, context);
		rule->expires_at = column_expiry(i, 6);

		if (project_id == 0)
		{
			int			index = organization_index(user, phrbac_result_int64(i, 1));

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

/* An int8[] column into context; NULL stays NULL. */
static int64 *
column_ids(int row, int col, int *count, MemoryContext context)
{
	bool		isnull;
	Datum		d = phrbac_result_datum(row, col, &isnull);

	*count = 0;
	return isnull ? NULL : phrbac_int8_array(d, count, context);
}

/* A phrbac_scope[] column into context. */
static PhrbacScope *
column_scopes(int row, int col, int *count, MemoryContext context)
{
	bool		isnull;
	Datum		d = phrbac_result_datum(row, col, &isnull);
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

	phrbac_catalog_query("SELECT id, expires_at, last_rolled_at, last_used_at,"
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

		key->id = phrbac_result_int64(i, 1);
		key->expires_at = column_expiry(i, 2);
		key->rolled_at = column_instant(i, 3);
		key->last_used_at = column_instant(i, 4);
		strlcpy(key->mask, TextDatumGetCString(phrbac_result_datum(i, 5, &isnull)),
				sizeof(key->mask));
		key->scopes = column_scopes(i, 6, &key->nscopes, context);
		key->projects = column_ids(i, 7, &key->nprojects, context);
		key->organizations = column_ids(i, 8, &key->norganizations, context);
	}
}

static void
load_user(void *arg)
{
	LoadUser   *load = arg;
	PhrbacUserFacts *user = MemoryContextAllocZero(load->context,
												   sizeof(PhrbacUserFacts));
	SPITupleTable *rows;
	SPITupleTable *rules;
	uint64		nrows;
	uint64		nrules;

	user->user_id = load->user_id;
	load->user = user;
	/*
	 * Each query reads a few hundred rows at most, through an index.  A
	 * bitmap scan would build and zero a page bitmap for them on every fill,
	 * a third of a fill's time at the scale of the README's benchmarks: the
	 * queries are planned (once per backend) and run without.
	 */
	(void) set_config_option("enable_bitmapscan", "off", PGC_USERSET, PGC_S_SESSION,
							 GUC_ACTION_SAVE, true, 0, false);
	phrbac_catalog_query("SELECT is_active FROM phrbac.users WHERE id = $1", user->user_id);
	if (SPI_processed == 0)
		return;
	user->exists = true;
	user->is_active = phrbac_result_bool(0, 1);

	load_organizations(user, load->context);
	load_projects(user, load->context);
	query_project_rows(user);
	rows = SPI_tuptable;
	nrows = SPI_processed;
	query_rules(user);
	rules = SPI_tuptable;
	nrules = SPI_processed;
	own_projects(user, rows, nrows, rules, nrules, load->context);
	SPI_tuptable = rows;
	SPI_processed = nrows;
	load_project_rows(user, load->context);
	SPI_tuptable = rules;
	SPI_processed = nrules;
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
