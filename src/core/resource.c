/*
 * resource.c
 *     The built-in resource registry: names, ids and which ones take access
 *     rules.  This table is the only list of resources in phrbac.
 */
#include "resource.h"

#include "spelling.h"

#include <string.h>

typedef struct ResourceEntry
{
	const char *name;
	bool		takes_rules;
} ResourceEntry;

/* Ids are indexes into this array and are stored on disk: append only. */
static const ResourceEntry registry[] = {
	{"*", true},
	{"access_control", true},
	{"action", true},
	{"activity_log", true},
	{"annotation", true},
	{"batch_export", true},
	{"batch_import", true},
	{"cohort", true},
	{"dashboard", true},
	{"dashboard_template", true},
	{"early_access_feature", true},
	{"error_tracking", true},
	{"event", true},
	{"event_definition", true},
	{"experiment", true},
	{"export", true},
	{"feature_flag", true},
	{"file_system", true},
	{"group", true},
	{"hog_function", true},
	{"insight", true},
	{"link", true},
	{"logs", true},
	{"notebook", true},
	{"organization", false},
	{"organization_member", false},
	{"person", true},
	{"plugin", true},
	{"project", false},
	{"property_definition", true},
	{"query", true},
	{"session_recording", true},
	{"session_recording_playlist", true},
	{"sharing_configuration", true},
	{"subscription", true},
	{"survey", true},
	{"user", false},
	{"warehouse_table", true},
	{"warehouse_view", true},
	{"webhook", true},
};

#define REGISTRY_SIZE ((int) (sizeof(registry) / sizeof(registry[0])))

int
phrbac_resource_count(void)
{
	return REGISTRY_SIZE;
}

bool
phrbac_resource_is_valid(int id)
{
	return id >= 0 && id < REGISTRY_SIZE;
}

const char *
phrbac_resource_name(int id)
{
	return phrbac_resource_is_valid(id) ? registry[id].name : NULL;
}

int
phrbac_resource_lookup(const char *name, size_t len)
{
	int			id;

	for (id = 0; id < REGISTRY_SIZE; id++)
		if (phrbac_token_equals(name, len, registry[id].name))
			return id;
	return -1;
}

const char *
phrbac_resource_closest(const char *name, size_t len)
{
	const char *names[REGISTRY_SIZE];
	int			id;

	/* "*" is never a plausible correction of a word. */
	names[PHRBAC_RESOURCE_ANY] = NULL;
	for (id = 1; id < REGISTRY_SIZE; id++)
		names[id] = registry[id].name;
	return phrbac_closest_word(name, len, names, REGISTRY_SIZE);
}

int
phrbac_resource_compare(int a, int b)
{
	int			cmp;

	if (a == b)
		return 0;
	if (a == PHRBAC_RESOURCE_ANY)
		return -1;
	if (b == PHRBAC_RESOURCE_ANY)
		return 1;
	cmp = strcmp(registry[a].name, registry[b].name);
	return cmp < 0 ? -1 : 1;
}

bool
phrbac_resource_takes_rules(int id)
{
	return phrbac_resource_is_valid(id) && registry[id].takes_rules;
}
