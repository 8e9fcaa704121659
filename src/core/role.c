/*
 * role.c
 *     Parsing and naming of membership levels.
 */
#include "role.h"

#include "spelling.h"

#include <string.h>

static const char *const role_names[PHRBAC_ROLE_COUNT] = {
	"none", "viewer", "member", "admin", "owner"
};

/* PostHog's number for each rank; -1 where PostHog has none. */
static const int posthog_levels[PHRBAC_ROLE_COUNT] = {0, -1, 1, 8, 15};

static const char *const posthog_level_texts[PHRBAC_ROLE_COUNT] = {
	"0", NULL, "1", "8", "15"
};

bool
phrbac_role_is_valid(int rank)
{
	return rank >= PHRBAC_ROLE_NONE && rank <= PHRBAC_ROLE_OWNER;
}

const char *
phrbac_role_name(PhrbacRole role)
{
	return phrbac_role_is_valid((int) role) ? role_names[role] : NULL;
}

PhrbacStatus
phrbac_role_parse(const char *text, size_t len, PhrbacRole *role,
				  PhrbacParseError *err)
{
	const char *original = text;
	PhrbacStatus status;
	int			rank;

	status = phrbac_literal_prepare(&text, &len, original, err);
	if (status != PHRBAC_OK)
		return status;

	for (rank = 0; rank < PHRBAC_ROLE_COUNT; rank++)
	{
		if (phrbac_token_equals(text, len, role_names[rank]) ||
			(posthog_level_texts[rank] != NULL &&
			 phrbac_token_equals(text, len, posthog_level_texts[rank])))
		{
			*role = (PhrbacRole) rank;
			return PHRBAC_OK;
		}
	}

	phrbac_parse_fail(err, PHRBAC_UNKNOWN_LEVEL, original, text, len);
	if (err != NULL)
	{
		const char *closest = phrbac_closest_word(text, len, role_names,
												  PHRBAC_ROLE_COUNT);

		if (closest != NULL)
			strcpy(err->suggestion, closest);
	}
	return PHRBAC_UNKNOWN_LEVEL;
}

bool
phrbac_role_to_posthog(PhrbacRole role, int *level)
{
	if (!phrbac_role_is_valid((int) role) || posthog_levels[role] < 0)
		return false;
	*level = posthog_levels[role];
	return true;
}

bool
phrbac_role_from_posthog(long level, PhrbacRole *role)
{
	int			rank;

	for (rank = 0; rank < PHRBAC_ROLE_COUNT; rank++)
		if (posthog_levels[rank] >= 0 && posthog_levels[rank] == level)
		{
			*role = (PhrbacRole) rank;
			return true;
		}
	return false;
}
