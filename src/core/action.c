/*
 * action.c
 *     Names, levels and canonical text of action sets.
 */
#include "action.h"

#include <string.h>

static const char *const action_names[PHRBAC_ACTION_COUNT] = {
	"view", "create", "edit", "delete", "manage"
};

typedef struct Level
{
	const char *name;
	PhrbacActions actions;
} Level;

static const Level levels[] = {
	{"none", PHRBAC_LEVEL_NONE},
	{"viewer", PHRBAC_LEVEL_VIEWER},
	{"editor", PHRBAC_LEVEL_EDITOR},
	{"manager", PHRBAC_LEVEL_MANAGER},
};

#define LEVEL_COUNT ((int) (sizeof(levels) / sizeof(levels[0])))

const char *const phrbac_access_words[PHRBAC_ACCESS_WORD_COUNT] = {
	"none", "viewer", "editor", "manager",
	"view", "create", "edit", "delete", "manage"
};

const char *
phrbac_action_name(int i)
{
	return (i >= 0 && i < PHRBAC_ACTION_COUNT) ? action_names[i] : NULL;
}

PhrbacActions
phrbac_action_lookup(const char *name, size_t len)
{
	int			i;

	for (i = 0; i < PHRBAC_ACTION_COUNT; i++)
		if (phrbac_token_equals(name, len, action_names[i]))
			return (PhrbacActions) (1u << i);
	return 0;
}

bool
phrbac_level_lookup(const char *name, size_t len, PhrbacActions *actions)
{
	int			i;

	for (i = 0; i < LEVEL_COUNT; i++)
		if (phrbac_token_equals(name, len, levels[i].name))
		{
			*actions = levels[i].actions;
			return true;
		}
	return false;
}

const char *
phrbac_level_name(PhrbacActions actions)
{
	int			i;

	for (i = 0; i < LEVEL_COUNT; i++)
		if (levels[i].actions == actions)
			return levels[i].name;
	return NULL;
}

PhrbacActions
phrbac_actions_normalize(PhrbacActions actions)
{
	return actions == 0 ? 0 : (PhrbacActions) (actions | PHRBAC_ACTION_VIEW);
}

bool
phrbac_actions_are_valid(PhrbacActions actions)
{
	return (actions & ~PHRBAC_ACTIONS_ALL) == 0;
}

bool
phrbac_actions_cover(PhrbacActions have, PhrbacActions want)
{
	return (want & ~have) == 0;
}

size_t
phrbac_actions_format(PhrbacActions actions, char *buf)
{
	const char *level = phrbac_level_name(actions);
	size_t		len = 0;
	int			i;

	if (level != NULL)
	{
		strcpy(buf, level);
		return strlen(level);
	}
	for (i = 0; i < PHRBAC_ACTION_COUNT; i++)
	{
		if ((actions & (1u << i)) == 0)
			continue;
		if (len > 0)
			buf[len++] = '+';
		strcpy(buf + len, action_names[i]);
		len += strlen(action_names[i]);
	}
	buf[len] = '\0';
	return len;
}
