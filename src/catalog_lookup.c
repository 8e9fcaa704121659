/*
 * catalog_lookup.c
 *     Single facts looked up in phrbac's catalog, as its owner: the key a
 *     secret's hash names, the user a database login is, an organization's
 *     name and a project's organization.
 */
#include "postgres.h"

#include "catalog/pg_type_d.h"
#include "executor/spi.h"
#include "miscadmin.h"
#include "utils/builtins.h"

#include "catalog.h"

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
		lookup->result.id = phrbac_result_int64(0, 1);
		lookup->result.user_id = phrbac_result_int64(0, 2);
	}
}

PhrbacKeyByHash
phrbac_catalog_key_by_hash(const char *secure_value)
{
	LookupKey	lookup = {.secure_value = secure_value};

	phrbac_as_catalog_owner(lookup_key_by_hash, &lookup);
	return lookup.result;
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
		lookup->result = phrbac_result_int64(0, 1);
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

	phrbac_catalog_query("SELECT name FROM phrbac.organizations WHERE id = $1", lookup->id);
	if (SPI_processed == 0)
		return;
	name = phrbac_result_datum(0, 1, &isnull);
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

	phrbac_catalog_query("SELECT organization_id FROM phrbac.projects WHERE id = $1", lookup->id);
	lookup->result = SPI_processed > 0 ? phrbac_result_int64(0, 1) : 0;
}

int64
phrbac_catalog_project_organization(int64 project_id)
{
	LookupById	lookup = {.id = project_id};

	phrbac_as_catalog_owner(lookup_project_organization, &lookup);
	return lookup.result;
}
