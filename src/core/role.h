/*
 * role.h
 *     Membership levels: none < viewer < member < admin < owner.
 *
 * Organization membership uses member, admin and owner (PostHog's levels 1,
 * 8 and 15); project membership uses none, viewer, member and admin.  A
 * level is stored as its rank, so comparing ranks compares levels.
 */
#ifndef PHRBAC_CORE_ROLE_H
#define PHRBAC_CORE_ROLE_H

#include "literal.h"

typedef enum PhrbacRole
{
	PHRBAC_ROLE_NONE = 0,
	PHRBAC_ROLE_VIEWER = 1,
	PHRBAC_ROLE_MEMBER = 2,
	PHRBAC_ROLE_ADMIN = 3,
	PHRBAC_ROLE_OWNER = 4
} PhrbacRole;

#define PHRBAC_ROLE_COUNT 5

/* True for the five ranks above (the shared validator of text and binary). */
extern bool phrbac_role_is_valid(int rank);

/* The level's name, or NULL for an invalid rank. */
extern const char *phrbac_role_name(PhrbacRole role);

/*
 * Parses a level: a name (case-insensitive) or PostHog's number "0", "1",
 * "8" or "15", with surrounding whitespace ignored.
 */
extern PhrbacStatus phrbac_role_parse(const char *text, size_t len,
									  PhrbacRole *role,
									  PhrbacParseError *err);

/*
 * PostHog's number for a level: none 0, member 1, admin 8, owner 15.  Returns
 * false for viewer, which has no PostHog number.
 */
extern bool phrbac_role_to_posthog(PhrbacRole role, int *level);

/* The level of a PostHog number, or false when the number is not one. */
extern bool phrbac_role_from_posthog(long level, PhrbacRole *role);

#endif							/* PHRBAC_CORE_ROLE_H */
