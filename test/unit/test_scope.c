/*
 * test_scope.c
 *     Check tests of scope.c against README, "Types" (phrbac_scope): parsing "object:read",
 *     "object:write" and "*" with their errors and hints, canonical text,
 *     the binary validator, coverage (write implies read) and ordering.
 */
#include <string.h>

#include "suites.h"
#include "core/resource.h"
#include "core/scope.h"

#define LIT(s) s, sizeof(s) - 1

typedef struct ScopeCase
{
	const char *input;
	size_t		len;
	PhrbacStatus status;
	const char *canonical;		/* OK rows */
	size_t		offset;			/* failing rows */
	size_t		length;
	const char *suggestion;
} ScopeCase;

static const ScopeCase scope_cases[] = {
	{LIT("*"), PHRBAC_OK, "*", 0, 0, ""},
	{LIT("  *\t"), PHRBAC_OK, "*", 0, 0, ""},
	{LIT("feature_flag:read"), PHRBAC_OK, "feature_flag:read", 0, 0, ""},
	{LIT("feature_flag:write"), PHRBAC_OK, "feature_flag:write", 0, 0, ""},
	{LIT("FEATURE_FLAG:Read"), PHRBAC_OK, "feature_flag:read", 0, 0, ""},
	{LIT("\tinsight:WRITE\n"), PHRBAC_OK, "insight:write", 0, 0, ""},
	{LIT("event:read"), PHRBAC_OK, "event:read", 0, 0, ""},
	{LIT("organization:read"), PHRBAC_OK, "organization:read", 0, 0, ""},
	{LIT("session_recording_playlist:write"), PHRBAC_OK,
	"session_recording_playlist:write", 0, 0, ""},
	{LIT(SP128 SP128 "webhook:read" SP16), PHRBAC_OK, "webhook:read", 0, 0, ""},

	{LIT(""), PHRBAC_EMPTY, NULL, 0, 0, ""},
	{LIT("   "), PHRBAC_EMPTY, NULL, 0, 3, ""},
	{LIT("feature flag:read"), PHRBAC_BAD_CHARACTER, NULL, 7, 1, ""},
	{LIT(" feature_flag :read"), PHRBAC_BAD_CHARACTER, NULL, 13, 1, ""},
	{LIT("feature_flag:read\001"), PHRBAC_BAD_CHARACTER, NULL, 17, 1, ""},
	{LIT("feature_flag:r\303\251ad"), PHRBAC_BAD_CHARACTER, NULL, 14, 1, ""},
	{LIT("insight:read\0"), PHRBAC_BAD_CHARACTER, NULL, 12, 1, ""},
	{LIT(X256 "x"), PHRBAC_TOO_LONG, NULL, 0, 257, ""},
	{LIT(" " X128 ":" X128), PHRBAC_TOO_LONG, NULL, 1, 257, ""},
	/* 256 bytes pass the length check and fail on the grammar */
	{LIT(X256), PHRBAC_MISSING_PART, NULL, 256, 0, ""},
	{LIT("feature_flag"), PHRBAC_MISSING_PART, NULL, 12, 0, ""},
	{LIT(":read"), PHRBAC_MISSING_PART, NULL, 0, 0, ""},
	{LIT("feature_flag:"), PHRBAC_MISSING_PART, NULL, 13, 0, ""},
	{LIT("feature_flag::read"), PHRBAC_DOUBLED_SEPARATOR, NULL, 13, 1, ""},
	{LIT("feature_flag:read:write"), PHRBAC_DOUBLED_SEPARATOR, NULL, 17, 1, ""},
	{LIT("featureflag:read"), PHRBAC_UNKNOWN_RESOURCE, NULL, 0, 11,
	"feature_flag:read"},
	{LIT(" evnt:write"), PHRBAC_UNKNOWN_RESOURCE, NULL, 1, 4, "event:write"},
	{LIT("featureflag:raed"), PHRBAC_UNKNOWN_RESOURCE, NULL, 0, 11,
	"feature_flag"},
	{LIT("zzzzzz:read"), PHRBAC_UNKNOWN_RESOURCE, NULL, 0, 6, ""},
	{LIT("insight:raed"), PHRBAC_UNKNOWN_ACTION, NULL, 8, 4, "insight:read"},
	{LIT("insight:wirte"), PHRBAC_UNKNOWN_ACTION, NULL, 8, 5, "insight:write"},
	{LIT("insight:xyz"), PHRBAC_UNKNOWN_ACTION, NULL, 8, 3, ""},
	{LIT("insight:read+write"), PHRBAC_UNKNOWN_ACTION, NULL, 8, 10, ""},
	{LIT("insight:none"), PHRBAC_UNKNOWN_ACTION, NULL, 8, 4, ""},
	{LIT("insight:view"), PHRBAC_GRANT_ACTION_IN_SCOPE, NULL, 8, 4,
	"insight:read"},
	{LIT("insight:viewer"), PHRBAC_GRANT_ACTION_IN_SCOPE, NULL, 8, 6,
	"insight:read"},
	{LIT("insight:editor"), PHRBAC_GRANT_ACTION_IN_SCOPE, NULL, 8, 6,
	"insight:write"},
	{LIT("insight:create"), PHRBAC_GRANT_ACTION_IN_SCOPE, NULL, 8, 6,
	"insight:write"},
	{LIT("insight:manager"), PHRBAC_GRANT_ACTION_IN_SCOPE, NULL, 8, 7,
	"insight:write"},
	{LIT("*:read"), PHRBAC_ACTION_ON_WILDCARD, NULL, 1, 5, "*"},
	{LIT("*:write"), PHRBAC_ACTION_ON_WILDCARD, NULL, 1, 6, "*"},
	{LIT("  *:read "), PHRBAC_ACTION_ON_WILDCARD, NULL, 3, 5, "*"},
	{LIT("*/1:read"), PHRBAC_OBJECT_IN_SCOPE, NULL, 0, 3, ""},
	{LIT("feature_flag/42:read"), PHRBAC_OBJECT_IN_SCOPE, NULL, 0, 15, ""},
	{LIT("feature_flag/42"), PHRBAC_OBJECT_IN_SCOPE, NULL, 0, 15, ""},
};

START_TEST(parse_row)
{
	const ScopeCase *c = &scope_cases[_i];
	PhrbacScope scope = {-7, -7};
	PhrbacParseError err;
	PhrbacStatus got;

	memset(&err, 0, sizeof(err));
	got = phrbac_scope_parse(c->input, c->len, &scope, &err);
	if (c->status == PHRBAC_OK)
	{
		char		buf[PHRBAC_SCOPE_TEXT_MAX];
		size_t		len;

		ck_assert_msg(got == PHRBAC_OK, "\"%s\": status %s", c->input,
					  status_name(got));
		len = phrbac_scope_format(&scope, buf);
		ck_assert_str_eq(buf, c->canonical);
		ck_assert_uint_eq(len, strlen(c->canonical));
		ck_assert_int_eq(phrbac_scope_validate(&scope), PHRBAC_OK);
	}
	else
	{
		ck_assert_parse_error(c->input, got, err, c->status, c->offset,
							  c->length, c->suggestion);
		ck_assert_int_eq(scope.resource, -7);
		ck_assert_int_eq(scope.access, -7);
	}
	ck_assert_int_eq(phrbac_scope_parse(c->input, c->len, &scope, NULL), got);
}
END_TEST

/* The n-th row that parses. */
static const ScopeCase *
valid_row(int n)
{
	size_t		i;

	for (i = 0; i < lengthof(scope_cases); i++)
		if (scope_cases[i].status == PHRBAC_OK && n-- == 0)
			return &scope_cases[i];
	return NULL;
}

/* parse(format(parse(s))) == parse(s) for every valid row. */
START_TEST(round_trip_row)
{
	const ScopeCase *c = valid_row(_i);
	PhrbacScope first;
	PhrbacScope second;
	char		buf[PHRBAC_SCOPE_TEXT_MAX];
	char		again[PHRBAC_SCOPE_TEXT_MAX];
	size_t		len;

	ck_assert_int_eq(phrbac_scope_parse(c->input, c->len, &first, NULL),
					 PHRBAC_OK);
	len = phrbac_scope_format(&first, buf);
	ck_assert_int_eq(phrbac_scope_parse(buf, len, &second, NULL), PHRBAC_OK);
	ck_assert_int_eq(second.resource, first.resource);
	ck_assert_int_eq(second.access, first.access);
	ck_assert_int_eq(phrbac_scope_compare(&first, &second), 0);
	phrbac_scope_format(&second, again);
	ck_assert_str_eq(again, buf);
}
END_TEST

START_TEST(any_is_stored_as_write)
{
	PhrbacScope scope;

	ck_assert_int_eq(phrbac_scope_parse("*", 1, &scope, NULL), PHRBAC_OK);
	ck_assert_int_eq(scope.resource, PHRBAC_RESOURCE_ANY);
	ck_assert_int_eq(scope.access, PHRBAC_SCOPE_WRITE);
}
END_TEST

typedef struct ValidateCase
{
	const char *resource;		/* NULL: use bad_id */
	int			bad_id;
	int			access;
	PhrbacStatus status;
} ValidateCase;

#define BAD_ID_COUNT (-100)		/* stands for phrbac_resource_count() */

static const ValidateCase validate_cases[] = {
	{"feature_flag", 0, PHRBAC_SCOPE_READ, PHRBAC_OK},
	{"feature_flag", 0, PHRBAC_SCOPE_WRITE, PHRBAC_OK},
	{"webhook", 0, PHRBAC_SCOPE_READ, PHRBAC_OK},
	{"*", 0, PHRBAC_SCOPE_WRITE, PHRBAC_OK},
	{"*", 0, PHRBAC_SCOPE_READ, PHRBAC_ACTION_ON_WILDCARD},
	{"feature_flag", 0, 0, PHRBAC_UNKNOWN_ACTION},
	{"feature_flag", 0, 3, PHRBAC_UNKNOWN_ACTION},
	{"feature_flag", 0, -1, PHRBAC_UNKNOWN_ACTION},
	{"*", 0, 0, PHRBAC_UNKNOWN_ACTION},
	{NULL, -1, PHRBAC_SCOPE_READ, PHRBAC_UNKNOWN_RESOURCE},
	{NULL, BAD_ID_COUNT, PHRBAC_SCOPE_READ, PHRBAC_UNKNOWN_RESOURCE},
	{NULL, 1000, PHRBAC_SCOPE_WRITE, PHRBAC_UNKNOWN_RESOURCE},
};

START_TEST(validate_row)
{
	const ValidateCase *c = &validate_cases[_i];
	PhrbacScope scope;
	PhrbacStatus got;

	if (c->resource != NULL)
		scope.resource = phrbac_resource_lookup(c->resource,
												strlen(c->resource));
	else if (c->bad_id == BAD_ID_COUNT)
		scope.resource = phrbac_resource_count();
	else
		scope.resource = c->bad_id;
	scope.access = c->access;
	got = phrbac_scope_validate(&scope);
	ck_assert_msg(got == c->status, "row %d: %s, want %s", _i,
				  status_name(got), status_name(c->status));
}
END_TEST

typedef struct CoverCase
{
	const char *have;
	const char *want;
	bool		covers;
} CoverCase;

static const CoverCase cover_cases[] = {
	{"feature_flag:write", "feature_flag:read", true},
	{"feature_flag:read", "feature_flag:write", false},
	{"feature_flag:read", "feature_flag:read", true},
	{"feature_flag:write", "feature_flag:write", true},
	{"*", "feature_flag:write", true},
	{"*", "webhook:read", true},
	{"*", "*", true},
	{"feature_flag:write", "*", false},
	{"feature_flag:write", "insight:read", false},
	{"event:write", "event_definition:read", false},
};

static void
parse_scope_or_fail(const char *text, PhrbacScope *scope)
{
	ck_assert_msg(phrbac_scope_parse(text, strlen(text), scope, NULL) ==
				  PHRBAC_OK, "fixture \"%s\" does not parse", text);
}

START_TEST(cover_row)
{
	const CoverCase *c = &cover_cases[_i];
	PhrbacScope have;
	PhrbacScope want;

	parse_scope_or_fail(c->have, &have);
	parse_scope_or_fail(c->want, &want);
	ck_assert_msg(phrbac_scope_covers(&have, &want) == c->covers,
				  "%s covers %s: want %d", c->have, c->want, c->covers);
}
END_TEST

typedef struct NeededCase
{
	PhrbacActions actions;
	int			access;
} NeededCase;

static const NeededCase needed_cases[] = {
	{PHRBAC_ACTION_VIEW, PHRBAC_SCOPE_READ},
	{PHRBAC_ACTION_VIEW | PHRBAC_ACTION_CREATE, PHRBAC_SCOPE_WRITE},
	{PHRBAC_ACTION_VIEW | PHRBAC_ACTION_EDIT, PHRBAC_SCOPE_WRITE},
	{PHRBAC_ACTION_VIEW | PHRBAC_ACTION_DELETE, PHRBAC_SCOPE_WRITE},
	{PHRBAC_ACTION_VIEW | PHRBAC_ACTION_MANAGE, PHRBAC_SCOPE_WRITE},
	{PHRBAC_LEVEL_EDITOR, PHRBAC_SCOPE_WRITE},
	{PHRBAC_LEVEL_MANAGER, PHRBAC_SCOPE_WRITE},
};

START_TEST(needed_row)
{
	const NeededCase *c = &needed_cases[_i];

	ck_assert_int_eq(phrbac_scope_access_needed(c->actions), c->access);
}
END_TEST

START_TEST(access_words)
{
	ck_assert_str_eq(phrbac_scope_access_name(PHRBAC_SCOPE_READ), "read");
	ck_assert_str_eq(phrbac_scope_access_name(PHRBAC_SCOPE_WRITE), "write");
	ck_assert_ptr_null(phrbac_scope_access_name(0));
	ck_assert_ptr_null(phrbac_scope_access_name(3));
	ck_assert_int_eq(phrbac_scope_access_lookup("READ", 4), PHRBAC_SCOPE_READ);
	ck_assert_int_eq(phrbac_scope_access_lookup("Write", 5),
					 PHRBAC_SCOPE_WRITE);
	ck_assert_int_eq(phrbac_scope_access_lookup("writes", 6), 0);
	ck_assert_int_eq(phrbac_scope_access_lookup("view", 4), 0);
}
END_TEST

/* "*" first, then by resource name, then read before write. */
static const char *const sorted_scopes[] = {
	"*", "access_control:read", "action:read", "action:write", "event:read",
	"event:write", "event_definition:read", "feature_flag:read",
	"feature_flag:write", "webhook:read"
};

START_TEST(compare_row)
{
	PhrbacScope a;
	size_t		j;

	parse_scope_or_fail(sorted_scopes[_i], &a);
	for (j = 0; j < lengthof(sorted_scopes); j++)
	{
		PhrbacScope b;
		int			want = (size_t) _i < j ? -1 : (size_t) _i > j ? 1 : 0;

		parse_scope_or_fail(sorted_scopes[j], &b);
		ck_assert_msg(phrbac_scope_compare(&a, &b) == want,
					  "compare(%s, %s) = %d, want %d", sorted_scopes[_i],
					  sorted_scopes[j], phrbac_scope_compare(&a, &b), want);
	}
}
END_TEST

Suite *
scope_suite(void)
{
	Suite	   *s = suite_create("scope");
	TCase	   *tc;
	int			valid = 0;

	while (valid_row(valid) != NULL)
		valid++;

	tc = tcase_create("parse");
	tcase_add_loop_test(tc, parse_row, 0, (int) lengthof(scope_cases));
	tcase_add_loop_test(tc, round_trip_row, 0, valid);
	tcase_add_test(tc, any_is_stored_as_write);
	suite_add_tcase(s, tc);

	tc = tcase_create("validate");
	tcase_add_loop_test(tc, validate_row, 0, (int) lengthof(validate_cases));
	suite_add_tcase(s, tc);

	tc = tcase_create("semantics");
	tcase_add_loop_test(tc, cover_row, 0, (int) lengthof(cover_cases));
	tcase_add_loop_test(tc, needed_row, 0, (int) lengthof(needed_cases));
	tcase_add_test(tc, access_words);
	tcase_add_loop_test(tc, compare_row, 0, (int) lengthof(sorted_scopes));
	suite_add_tcase(s, tc);
	return s;
}
