/*
 * user_facts_load.c
 *     Loads everything phrbac's catalog says about one user, in six queries
 *     run as the catalog's owner (catalog.c): what a decision about them can
 *     need, whoever the caller is.
 */
#include "postgres.h"

#include "catalog/pg_type_d.h"
#include "executor/spi.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/timestamp.h"

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

static void
load_projects(PhrbacUserFacts *user, MemoryContext context)
{
	int			i;

	phrbac_catalog_query("SELECT p.id, p.organization_id, p.default_role"
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

		project->organization = organization_index(user, phrbac_result_int64(i, 2));
		if (project->organization < 0)
			continue;
		project->id = phrbac_result_int64(i, 1);
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

	phrbac_catalog_query("SELECT pm.project_id, pm.id, pm.role, pm.user_id IS NOT NULL,"
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
 */
static void
load_rules(PhrbacUserFacts *user, MemoryContext context)
{
	PhrbacRule *rules;
	int			i;

	phrbac_catalog_query("SELECT r.organization_id, r.project_id, r.id,"
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

	user->user_id = load->user_id;
	load->user = user;
	phrbac_catalog_query("SELECT is_active FROM phrbac.users WHERE id = $1", user->user_id);
	if (SPI_processed == 0)
		return;
	user->exists = true;
	user->is_active = phrbac_result_bool(0, 1);

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
