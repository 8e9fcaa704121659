/*
 * catalog_table.c
 *     phrbac's catalog tables as its triggers see them, one row each: the
 *     scope the audit log records their changes under, what an API key
 *     needs write scope on to change them (README, "API keys"), what the
 *     audit log calls those changes and where a row's organization and
 *     project are (README, "Audit log").  The install script attaches the
 *     triggers to these tables (sql/install/catalog_triggers.sql); this is
 *     the one place that says what each table means to them.
 */
#include "postgres.h"

#include "catalog/namespace.h"

#include "catalog_table.h"

static const PhrbacCatalogTable catalog_tables[] = {
	{"users", "User", "user", PHRBAC_ACTIVITIES_ROWS, NULL, NULL},
	{"organizations", "Organization", "organization", PHRBAC_ACTIVITIES_ROWS, "id", NULL},
	{"projects", "Project", "project", PHRBAC_ACTIVITIES_ROWS, "organization_id", "id"},
	{"organization_members", "OrganizationMembership", "organization_member",
	PHRBAC_ACTIVITIES_MEMBERS, "organization_id", NULL},
	{"roles", "Role", "access_control", PHRBAC_ACTIVITIES_ROWS, "organization_id", NULL},
	{"role_members", "Role", "access_control", PHRBAC_ACTIVITIES_MEMBERS, "organization_id", NULL},
	{"project_members", "AccessControl", "access_control", PHRBAC_ACTIVITIES_MEMBERS,
	"organization_id", "project_id"},
	{"access_rules", "AccessControl", "access_control", PHRBAC_ACTIVITIES_ROWS,
	"organization_id", "project_id"},
	{"sso_group_mappings", "Organization", "access_control", PHRBAC_ACTIVITIES_ROWS,
	"organization_id", NULL},
	{"api_keys", "PersonalAPIKey", NULL, PHRBAC_ACTIVITIES_API_KEYS, NULL, NULL},
	{"approval_policies", "ApprovalPolicy", "access_control", PHRBAC_ACTIVITIES_ROWS,
	"organization_id", "project_id"},
	/* requests and votes: their functions judge a key's scopes on what is asked */
	{"change_requests", "ChangeRequest", NULL, PHRBAC_ACTIVITIES_REQUESTS,
	"organization_id", "project_id"},
	{"change_request_votes", "ChangeRequest", NULL, PHRBAC_ACTIVITIES_REQUESTS,
	"organization_id", NULL},
	{"access_requests", "AccessRequest", NULL, PHRBAC_ACTIVITIES_REQUESTS,
	"organization_id", "project_id"},
	/* the IdP's link to a membership; SCIM's acts label their rows */
	{"scim_identities", "OrganizationMembership", "organization_member", PHRBAC_ACTIVITIES_ROWS,
	"organization_id", NULL},
	/* project credentials (project_key.sql): keys never change them */
	{"project_tokens", "ProjectToken", "project", PHRBAC_ACTIVITIES_ROWS, "organization_id", "project_id"},
	{"project_keys", "ProjectSecretAPIKey", NULL, PHRBAC_ACTIVITIES_API_KEYS,
	"organization_id", "project_id"},
};

/*
 * True when name is table's, or that of one of its Citus shards
 * ("<table>_<shard id>", which Citus creates beside it in schema phrbac,
 * where no one else creates tables): the relation a trigger fires on there.
 */
static bool
names_table(const char *name, const char *table)
{
	size_t		len = strlen(table);

	if (strncmp(name, table, len) != 0)
		return false;
	if (name[len] == '\0')
		return true;
	if (name[len] != '_' || name[len + 1] == '\0')
		return false;
	return strspn(name + len + 1, "0123456789") == strlen(name + len + 1);
}

const PhrbacCatalogTable *
phrbac_catalog_table(Relation rel)
{
	const char *name = RelationGetRelationName(rel);
	size_t		i;

	if (RelationGetNamespace(rel) != get_namespace_oid("phrbac", true))
		return NULL;
	for (i = 0; i < lengthof(catalog_tables); i++)
		if (names_table(name, catalog_tables[i].name))
			return &catalog_tables[i];
	return NULL;
}
