/*
 * test_action.c
 *     Check tests of action.c: action and level names, normalization (any
 *     non-empty set includes view), coverage and the canonical text of every
 *     set a grant can hold (README, "Types", phrbac_grant).
 */
#include <string.h>

#include "suites.h"
#include "core/action.h"

typedef struct WordCase
{
	const char *word;
	PhrbacActions action;		/* 0: not an action */
	bool		is_level;
	PhrbacActions level;
} WordCase;

static const WordCase word_cases[] = {
	{"view", PHRBAC_ACTION_VIEW, false, 0},
	{"create", PHRBAC_ACTION_CREATE, false, 0},
	{"edit", PHRBAC_ACTION_EDIT, false, 0},
	{"delete", PHRBAC_ACTION_DELETE, false, 0},
	{"manage", PHRBAC_ACTION_MANAGE, false, 0},
	{"MANAGE", PHRBAC_ACTION_MANAGE, false, 0},
	{"none", 0, true, 0x00},
	{"viewer", 0, true, 0x01},
	{"editor", 0, true, 0x0f},
	{"manager", 0, true, 0x1f},
	{"Editor", 0, true, 0x0f},
	{"vie", 0, false, 0},
	{"views", 0, false, 0},
	{"read", 0, false, 0},
	{"write", 0, false, 0},
	{"admin", 0, false, 0},
	{"", 0, false, 0},
};

START_TEST(word_row)
{
	const WordCase *c = &word_cases[_i];
	size_t		len = strlen(c->word);
	PhrbacActions level = 0xee;
	bool		is_level = phrbac_level_lookup(c->word, len, &level);

	ck_assert_msg(phrbac_action_lookup(c->word, len) == c->action,
				  "\"%s\": action 0x%02x, want 0x%02x", c->word,
				  phrbac_action_lookup(c->word, len), c->action);
	ck_assert_msg(is_level == c->is_level, "\"%s\": is_level %d", c->word,
				  is_level);
	if (c->is_level)
		ck_assert_uint_eq(level, c->level);
	else
		ck_assert_uint_eq(level, 0xee);
}
END_TEST

START_TEST(action_names)
{
	static const char *const names[] = {
		"view", "create", "edit", "delete", "manage"
	};
	int			i;

	for (i = 0; i < PHRBAC_ACTION_COUNT; i++)
	{
		ck_assert_str_eq(phrbac_action_name(i), names[i]);
		ck_assert_uint_eq(phrbac_action_lookup(names[i], strlen(names[i])),
						  1u << i);
	}
	ck_assert_ptr_null(phrbac_action_name(-1));
	ck_assert_ptr_null(phrbac_action_name(PHRBAC_ACTION_COUNT));
}
END_TEST

/* Every normalized set, with its canonical text. */
typedef struct FormatCase
{
	PhrbacActions actions;
	const char *text;
	const char *level;			/* NULL: not a level */
} FormatCase;

static const FormatCase format_cases[] = {
	{0x00, "none", "none"},
	{0x01, "viewer", "viewer"},
	{0x03, "view+create", NULL},
	{0x05, "view+edit", NULL},
	{0x07, "view+create+edit", NULL},
	{0x09, "view+delete", NULL},
	{0x0b, "view+create+delete", NULL},
	{0x0d, "view+edit+delete", NULL},
	{0x0f, "editor", "editor"},
	{0x11, "view+manage", NULL},
	{0x13, "view+create+manage", NULL},
	{0x15, "view+edit+manage", NULL},
	{0x17, "view+create+edit+manage", NULL},
	{0x19, "view+delete+manage", NULL},
	{0x1b, "view+create+delete+manage", NULL},
	{0x1d, "view+edit+delete+manage", NULL},
	{0x1f, "manager", "manager"},
};

START_TEST(format_row)
{
	const FormatCase *c = &format_cases[_i];
	char		buf[PHRBAC_ACTIONS_TEXT_MAX];
	size_t		len = phrbac_actions_format(c->actions, buf);
	const char *level = phrbac_level_name(c->actions);

	ck_assert_str_eq(buf, c->text);
	ck_assert_uint_eq(len, strlen(c->text));
	ck_assert_pstr_eq(level, c->level);
	ck_assert(phrbac_actions_are_valid(c->actions));
	ck_assert_uint_eq(phrbac_actions_normalize(c->actions), c->actions);
}
END_TEST

typedef struct NormalizeCase
{
	PhrbacActions actions;
	PhrbacActions normalized;
} NormalizeCase;

static const NormalizeCase normalize_cases[] = {
	{0x00, 0x00},
	{0x01, 0x01},
	{0x02, 0x03},
	{0x04, 0x05},
	{0x08, 0x09},
	{0x10, 0x11},
	{0x0e, 0x0f},
	{0x1e, 0x1f},
};

START_TEST(normalize_row)
{
	const NormalizeCase *c = &normalize_cases[_i];

	ck_assert_uint_eq(phrbac_actions_normalize(c->actions), c->normalized);
}
END_TEST

START_TEST(validity)
{
	ck_assert(phrbac_actions_are_valid(0x00));
	ck_assert(phrbac_actions_are_valid(0x1f));
	ck_assert(!phrbac_actions_are_valid(0x20));
	ck_assert(!phrbac_actions_are_valid(0x21));
	ck_assert(!phrbac_actions_are_valid(0x80));
	ck_assert(!phrbac_actions_are_valid(0xff));
}
END_TEST

typedef struct CoverCase
{
	PhrbacActions have;
	PhrbacActions want;
	bool		covers;
} CoverCase;

static const CoverCase cover_cases[] = {
	{PHRBAC_LEVEL_EDITOR, 0x07, true},
	{0x07, PHRBAC_LEVEL_EDITOR, false},
	{PHRBAC_LEVEL_MANAGER, PHRBAC_LEVEL_EDITOR, true},
	{PHRBAC_LEVEL_EDITOR, PHRBAC_LEVEL_MANAGER, false},
	{0x05, 0x03, false},
	{0x05, 0x05, true},
	{PHRBAC_LEVEL_NONE, PHRBAC_LEVEL_NONE, true},
	{PHRBAC_LEVEL_VIEWER, PHRBAC_LEVEL_NONE, true},
	{PHRBAC_LEVEL_NONE, PHRBAC_LEVEL_VIEWER, false},
};

START_TEST(cover_row)
{
	const CoverCase *c = &cover_cases[_i];

	ck_assert_msg(phrbac_actions_cover(c->have, c->want) == c->covers,
				  "0x%02x covers 0x%02x: want %d", c->have, c->want, c->covers);
}
END_TEST

START_TEST(access_words)
{
	static const char *const expected[] = {
		"none", "viewer", "editor", "manager",
		"view", "create", "edit", "delete", "manage"
	};
	size_t		i;

	ck_assert_uint_eq(PHRBAC_ACCESS_WORD_COUNT, lengthof(expected));
	for (i = 0; i < lengthof(expected); i++)
		ck_assert_str_eq(phrbac_access_words[i], expected[i]);
}
END_TEST

Suite *
action_suite(void)
{
	Suite	   *s = suite_create("action");
	TCase	   *tc;

	tc = tcase_create("names");
	tcase_add_loop_test(tc, word_row, 0, (int) lengthof(word_cases));
	tcase_add_test(tc, action_names);
	tcase_add_test(tc, access_words);
	suite_add_tcase(s, tc);

	tc = tcase_create("sets");
	tcase_add_loop_test(tc, format_row, 0, (int) lengthof(format_cases));
	tcase_add_loop_test(tc, normalize_row, 0, (int) lengthof(normalize_cases));
	tcase_add_test(tc, validity);
	tcase_add_loop_test(tc, cover_row, 0, (int) lengthof(cover_cases));
	suite_add_tcase(s, tc);
	return s;
}
