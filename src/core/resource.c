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
	PhrbacActions default_access;	/* a project member's access when no
									 * rule applies */
} ResourceEntry;

#define RULES true, PHRBAC_LEVEL_EDITOR
#define MEMBERSHIP_ONLY false, PHRBAC_LEVEL_VIEWER

/*
 * Ids are indexes into this array and are stored on disk: append only.
 * Resources whose access comes from membership alone take no rules, and a
 * member may view them; activity_log is view-only by default.
 */
static const ResourceEntry registry[] = {
	{"*", RULES},
	{"access_control", RULES},
	{"action", RULES},
	{"activity_log", true, PHRBAC_LEVEL_VIEWER},
	{"annotation", RULES},
	{"batch_export", RULES},
	{"batch_import", RULES},
	{"cohort", RULES},
	{"dashboard", RULES},
	{"dashboard_template", RULES},
	{"early_access_feature", RULES},
	{"error_tracking", RULES},
	{"event", RULES},
	{"event_definition", RULES},
	{"experiment", RULES},
	{"export", RULES},
	{"feature_flag", RULES},
	{"file_system", RULES},
	{"group", RULES},
	{"hog_function", RULES},
	{"insight", RULES},
	{"link", RULES},
	{"logs", RULES},
	{"notebook", RULES},
	{"organization", MEMBERSHIP_ONLY},
	{"organization_member", MEMBERSHIP_ONLY},
	{"person", RULES},
	{"plugin", RULES},
	{"project", MEMBERSHIP_ONLY},
	{"property_definition", RULES},
	{"query", RULES},
	{"session_recording", RULES},
	{"session_recording_playlist", RULES},
	{"sharing_configuration", RULES},
	{"subscription", RULES},
	{"survey", RULES},
	{"user", MEMBERSHIP_ONLY},
	{"warehouse_table", RULES},
	{"warehouse_view", RULES},
	{"webhook", RULES},
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

PhrbacActions
phrbac_resource_default_access(int id)
{
	return phrbac_resource_is_valid(id) ? registry[id].default_access
		: PHRBAC_LEVEL_NONE;
}
