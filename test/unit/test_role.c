/*
 * test_role.c
 *     Check tests of role.c against README, "Types" (phrbac_role): the five ordered levels, text
 *     input by name or PostHog number, and the casts to and from PostHog's
 *     integers.
 */
#include <string.h>

#include "suites.h"
#include "core/role.h"

#define LIT(s) s, sizeof(s) - 1

typedef struct RoleCase
{
	const char *input;
	size_t		len;
	PhrbacStatus status;
	PhrbacRole	role;			/* OK rows */
	size_t		offset;			/* failing rows */
	size_t		length;
	const char *suggestion;
} RoleCase;

static const RoleCase role_cases[] = {
	{LIT("none"), PHRBAC_OK, PHRBAC_ROLE_NONE, 0, 0, ""},
	{LIT("viewer"), PHRBAC_OK, PHRBAC_ROLE_VIEWER, 0, 0, ""},
	{LIT("member"), PHRBAC_OK, PHRBAC_ROLE_MEMBER, 0, 0, ""},
	{LIT("admin"), PHRBAC_OK, PHRBAC_ROLE_ADMIN, 0, 0, ""},
	{LIT("owner"), PHRBAC_OK, PHRBAC_ROLE_OWNER, 0, 0, ""},
	{LIT("OWNER"), PHRBAC_OK, PHRBAC_ROLE_OWNER, 0, 0, ""},
	{LIT("Admin"), PHRBAC_OK, PHRBAC_ROLE_ADMIN, 0, 0, ""},
	{LIT("vIeWeR"), PHRBAC_OK, PHRBAC_ROLE_VIEWER, 0, 0, ""},
	{LIT(" member\t"), PHRBAC_OK, PHRBAC_ROLE_MEMBER, 0, 0, ""},
	{LIT(SP128 SP128 "admin" SP16), PHRBAC_OK, PHRBAC_ROLE_ADMIN, 0, 0, ""},
	{LIT("0"), PHRBAC_OK, PHRBAC_ROLE_NONE, 0, 0, ""},
	{LIT("1"), PHRBAC_OK, PHRBAC_ROLE_MEMBER, 0, 0, ""},
	{LIT("8"), PHRBAC_OK, PHRBAC_ROLE_ADMIN, 0, 0, ""},
	{LIT("15"), PHRBAC_OK, PHRBAC_ROLE_OWNER, 0, 0, ""},
	{LIT(" 15\n"), PHRBAC_OK, PHRBAC_ROLE_OWNER, 0, 0, ""},

	{LIT(""), PHRBAC_EMPTY, 0, 0, 0, ""},
	{LIT(" \t "), PHRBAC_EMPTY, 0, 0, 3, ""},
	{LIT("ad min"), PHRBAC_BAD_CHARACTER, 0, 2, 1, ""},
	{LIT(" owner\001"), PHRBAC_BAD_CHARACTER, 0, 6, 1, ""},
	{LIT("own\0er"), PHRBAC_BAD_CHARACTER, 0, 3, 1, ""},
	{LIT("admin\303\251"), PHRBAC_BAD_CHARACTER, 0, 5, 1, ""},
	{LIT(X256 "x"), PHRBAC_TOO_LONG, 0, 0, 257, ""},
	{LIT(X256), PHRBAC_UNKNOWN_LEVEL, 0, 0, 256, ""},
	{LIT("owners"), PHRBAC_UNKNOWN_LEVEL, 0, 0, 6, "owner"},
	{LIT("  owners "), PHRBAC_UNKNOWN_LEVEL, 0, 2, 6, "owner"},
	{LIT("admn"), PHRBAC_UNKNOWN_LEVEL, 0, 0, 4, "admin"},
	{LIT("memebr"), PHRBAC_UNKNOWN_LEVEL, 0, 0, 6, "member"},
	{LIT("VIEWR"), PHRBAC_UNKNOWN_LEVEL, 0, 0, 5, "viewer"},
	{LIT("superuser"), PHRBAC_UNKNOWN_LEVEL, 0, 0, 9, ""},
	{LIT("2"), PHRBAC_UNKNOWN_LEVEL, 0, 0, 1, ""},
	{LIT("-1"), PHRBAC_UNKNOWN_LEVEL, 0, 0, 2, ""},
	{LIT("16"), PHRBAC_UNKNOWN_LEVEL, 0, 0, 2, ""},
	{LIT("015"), PHRBAC_UNKNOWN_LEVEL, 0, 0, 3, ""},
	{LIT("+1"), PHRBAC_UNKNOWN_LEVEL, 0, 0, 2, ""},
	{LIT("member+admin"), PHRBAC_UNKNOWN_LEVEL, 0, 0, 12, ""},
};

START_TEST(parse_row)
{
	const RoleCase *c = &role_cases[_i];
	PhrbacRole	role = (PhrbacRole) 99;
	PhrbacParseError err;
	PhrbacStatus got;

	memset(&err, 0, sizeof(err));
	got = phrbac_role_parse(c->input, c->len, &role, &err);
	if (c->status == PHRBAC_OK)
	{
		ck_assert_msg(got == PHRBAC_OK, "\"%s\": status %s", c->input,
					  status_name(got));
		ck_assert_int_eq(role, c->role);
	}
	else
	{
		ck_assert_parse_error(c->input, got, err, c->status, c->offset,
							  c->length, c->suggestion);
		ck_assert_int_eq(role, 99);
	}
	/* the error record is optional */
	ck_assert_int_eq(phrbac_role_parse(c->input, c->len, &role, NULL), got);
}
END_TEST

START_TEST(names_round_trip)
{
	static const char *const names[] = {
		"none", "viewer", "member", "admin", "owner"
	};
	int			rank;

	for (rank = 0; rank < PHRBAC_ROLE_COUNT; rank++)
	{
		PhrbacRole	role;

		ck_assert_str_eq(phrbac_role_name((PhrbacRole) rank), names[rank]);
		ck_assert_int_eq(phrbac_role_parse(names[rank], strlen(names[rank]),
										   &role, NULL), PHRBAC_OK);
		ck_assert_int_eq(role, rank);
	}
	ck_assert_ptr_null(phrbac_role_name((PhrbacRole) PHRBAC_ROLE_COUNT));
}
END_TEST

/* none < viewer < member < admin < owner, compared as stored ranks. */
START_TEST(levels_are_ordered)
{
	static const char *const ascending[] = {
		"none", "viewer", "member", "admin", "owner"
	};
	size_t		i;

	for (i = 1; i < lengthof(ascending); i++)
	{
		PhrbacRole	lower;
		PhrbacRole	higher;

		ck_assert_int_eq(phrbac_role_parse(ascending[i - 1],
										   strlen(ascending[i - 1]),
										   &lower, NULL), PHRBAC_OK);
		ck_assert_int_eq(phrbac_role_parse(ascending[i], strlen(ascending[i]),
										   &higher, NULL), PHRBAC_OK);
		ck_assert_msg(lower < higher, "%s must sort below %s",
					  ascending[i - 1], ascending[i]);
	}
}
END_TEST

START_TEST(rank_validity)
{
	ck_assert(!phrbac_role_is_valid(-1));
	ck_assert(phrbac_role_is_valid(0));
	ck_assert(phrbac_role_is_valid(4));
	ck_assert(!phrbac_role_is_valid(5));
}
END_TEST

typedef struct PosthogCase
{
	long		level;
	bool		known;
	PhrbacRole	role;
} PosthogCase;

static const PosthogCase posthog_cases[] = {
	{0, true, PHRBAC_ROLE_NONE},
	{1, true, PHRBAC_ROLE_MEMBER},
	{8, true, PHRBAC_ROLE_ADMIN},
	{15, true, PHRBAC_ROLE_OWNER},
	{2, false, 0},
	{3, false, 0},
	{-1, false, 0},
	{16, false, 0},
	{4294967311L, false, 0},	/* 15 + 2^32 */
};

START_TEST(from_posthog_row)
{
	const PosthogCase *c = &posthog_cases[_i];
	PhrbacRole	role = (PhrbacRole) 99;
	int			level = -99;

	ck_assert_msg(phrbac_role_from_posthog(c->level, &role) == c->known,
				  "%ld: known %d", c->level, !c->known);
	if (c->known)
	{
		ck_assert_int_eq(role, c->role);
		ck_assert(phrbac_role_to_posthog(role, &level));
		ck_assert_int_eq(level, c->level);
	}
	else
		ck_assert_int_eq(role, 99);
}
END_TEST

START_TEST(viewer_has_no_posthog_number)
{
	int			level = -99;

	ck_assert(!phrbac_role_to_posthog(PHRBAC_ROLE_VIEWER, &level));
	ck_assert(!phrbac_role_to_posthog((PhrbacRole) PHRBAC_ROLE_COUNT, &level));
	ck_assert_int_eq(level, -99);
}
END_TEST

Suite *
role_suite(void)
{
	Suite	   *s = suite_create("role");
	TCase	   *tc;

	tc = tcase_create("parse");
	tcase_add_loop_test(tc, parse_row, 0, (int) lengthof(role_cases));
	tcase_add_test(tc, names_round_trip);
	suite_add_tcase(s, tc);

	tc = tcase_create("levels");
	tcase_add_test(tc, levels_are_ordered);
	tcase_add_test(tc, rank_validity);
	tcase_add_loop_test(tc, from_posthog_row, 0, (int) lengthof(posthog_cases));
	tcase_add_test(tc, viewer_has_no_posthog_number);
	suite_add_tcase(s, tc);
	return s;
}
