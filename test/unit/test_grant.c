/*
 * test_grant.c
 *     Check tests of grant.c against README, "Types" (phrbac_grant): parsing
 *     "resource[/object_id]:access" with its errors and hints, canonical
 *     text, the binary validator, coverage (@>) and the total order.
 */
#include <string.h>

#include "suites.h"
#include "core/grant.h"
#include "core/resource.h"

#define LIT(s) s, sizeof(s) - 1

#define UUID "550e8400-e29b-41d4-a716-446655440000"
#define UUID_UPPER "550E8400-E29B-41D4-A716-446655440000"

typedef struct GrantCase
{
	const char *input;
	size_t		len;
	PhrbacStatus status;
	const char *canonical;		/* OK rows: the canonical text */
	PhrbacActions actions;		/* OK rows: the normalized set */
	const char *object;			/* OK rows: the object id, or NULL */
	size_t		offset;			/* failing rows */
	size_t		length;
	const char *suggestion;
} GrantCase;

#define GOOD(input, canonical, actions, object) \
	{LIT(input), PHRBAC_OK, canonical, actions, object, 0, 0, ""}
#define BAD(input, status, offset, length, suggestion) \
	{LIT(input), status, NULL, 0, NULL, offset, length, suggestion}

static const GrantCase grant_cases[] = {
	GOOD("feature_flag:view+create+edit", "feature_flag:view+create+edit",
		 0x07, NULL),
	GOOD("feature_flag:view+create+edit+delete", "feature_flag:editor",
		 0x0f, NULL),
	GOOD("feature_flag:create", "feature_flag:view+create", 0x03, NULL),
	GOOD("feature_flag:none", "feature_flag:none", 0x00, NULL),
	GOOD("FEATURE_FLAG:NONE", "feature_flag:none", 0x00, NULL),
	GOOD("feature_flag:viewer", "feature_flag:viewer", 0x01, NULL),
	GOOD("feature_flag:view", "feature_flag:viewer", 0x01, NULL),
	GOOD("*:manager", "*:manager", 0x1f, NULL),
	GOOD("*:view+create+edit+delete+manage", "*:manager", 0x1f, NULL),
	GOOD("*:none", "*:none", 0x00, NULL),
	GOOD("insight:edit+view", "insight:view+edit", 0x05, NULL),
	GOOD("insight:manage+delete", "insight:view+delete+manage", 0x19, NULL),
	GOOD("dashboard:create+edit+delete", "dashboard:editor", 0x0f, NULL),
	GOOD("event:view", "event:viewer", 0x01, NULL),
	GOOD("organization:viewer", "organization:viewer", 0x01, NULL),
	GOOD("Feature_Flag/AbC-1:VIEW+Edit", "feature_flag/AbC-1:view+edit",
		 0x05, "AbC-1"),
	GOOD("  feature_flag/42:editor\t", "feature_flag/42:editor", 0x0f, "42"),
	GOOD("feature_flag/" UUID ":viewer", "feature_flag/" UUID ":viewer",
		 0x01, UUID),
	GOOD("Insight/" UUID_UPPER ":MANAGER", "insight/" UUID_UPPER ":manager",
		 0x1f, UUID_UPPER),
	GOOD("insight/a.b_c~d-e:none", "insight/a.b_c~d-e:none", 0x00,
		 "a.b_c~d-e"),
	GOOD("feature_flag/" X128 ":viewer", "feature_flag/" X128 ":viewer",
		 0x01, X128),
	GOOD(SP128 SP128 "event/7:edit" SP16, "event/7:view+edit", 0x05, "7"),
	GOOD("session_recording_playlist/9:create+delete+manage",
		 "session_recording_playlist/9:view+create+delete+manage", 0x1b, "9"),

	BAD("", PHRBAC_EMPTY, 0, 0, ""),
	BAD(" \t\n", PHRBAC_EMPTY, 0, 3, ""),
	BAD("feature_flag: view", PHRBAC_BAD_CHARACTER, 13, 1, ""),
	BAD("feature_flag:view\001", PHRBAC_BAD_CHARACTER, 17, 1, ""),
	BAD("feature_flag:vi\177ew", PHRBAC_BAD_CHARACTER, 15, 1, ""),
	BAD("feature_flag/\303\251:view", PHRBAC_BAD_CHARACTER, 13, 1, ""),
	BAD("feature_flag:view\0", PHRBAC_BAD_CHARACTER, 17, 1, ""),
	BAD(X256 "x", PHRBAC_TOO_LONG, 0, 257, ""),
	BAD(SP16 X256 "x", PHRBAC_TOO_LONG, 16, 257, ""),
	/* 256 bytes pass the length check (no valid grant is that long) */
	BAD(X256, PHRBAC_UNKNOWN_RESOURCE, 0, 256, ""),
	BAD("featureflag:view", PHRBAC_UNKNOWN_RESOURCE, 0, 11,
		"feature_flag:view"),
	/* the corrected literal still fails, so only the word is offered */
	BAD("featureflag:read", PHRBAC_UNKNOWN_RESOURCE, 0, 11, "feature_flag"),
	BAD("FeatureFlg/1:view", PHRBAC_UNKNOWN_RESOURCE, 0, 10,
		"feature_flag/1:view"),
	BAD("zzzzzz:view", PHRBAC_UNKNOWN_RESOURCE, 0, 6, ""),
	BAD("a::b", PHRBAC_UNKNOWN_RESOURCE, 0, 1, ""),
	/* the corrected literal would be 257 bytes: the word alone is offered */
	BAD("featureflag:" X128 X64 X16 X16 X16 "xxxx", PHRBAC_UNKNOWN_RESOURCE,
		0, 11, "feature_flag"),
	BAD("feature_flag:veiw", PHRBAC_UNKNOWN_ACTION, 13, 4,
		"feature_flag:view"),
	BAD("feature_flag:edtior", PHRBAC_UNKNOWN_ACTION, 13, 6,
		"feature_flag:editor"),
	BAD("feature_flag:view+creat", PHRBAC_UNKNOWN_ACTION, 18, 5,
		"feature_flag:view+create"),
	BAD("feature_flag:xyzzy", PHRBAC_UNKNOWN_ACTION, 13, 5, ""),
	BAD("feature_flag:editr", PHRBAC_UNKNOWN_ACTION, 13, 5,
		"feature_flag:editor"),

	/*
	 * Among other actions a level cannot stand, so the closest valid
	 * spelling is the action ("editr" is one edit from both).
	 */
	BAD("feature_flag:view+editr", PHRBAC_UNKNOWN_ACTION, 18, 5,
		"feature_flag:view+edit"),
	BAD("feature_flag:create+viewr", PHRBAC_UNKNOWN_ACTION, 20, 5,
		"feature_flag:create+view"),
	BAD("feature_flag:read", PHRBAC_SCOPE_ACTION_IN_GRANT, 13, 4,
		"feature_flag:viewer"),
	BAD("feature_flag:write", PHRBAC_SCOPE_ACTION_IN_GRANT, 13, 5,
		"feature_flag:editor"),
	BAD("*:read", PHRBAC_SCOPE_ACTION_IN_GRANT, 2, 4, "*:viewer"),
	BAD("feature_flag:create+read", PHRBAC_SCOPE_ACTION_IN_GRANT, 20, 4,
		"feature_flag:create+view"),
	BAD("feature_flag:view+write", PHRBAC_SCOPE_ACTION_IN_GRANT, 18, 5,
		"feature_flag:view+edit"),
	BAD("feature_flag:view+read", PHRBAC_SCOPE_ACTION_IN_GRANT, 18, 4,
		"view"),
	BAD("feature_flag:viewer+create", PHRBAC_LEVEL_COMBINED, 13, 6, ""),
	BAD("feature_flag:create+editor", PHRBAC_LEVEL_COMBINED, 20, 6, ""),
	BAD("feature_flag:none+view", PHRBAC_LEVEL_COMBINED, 13, 4, ""),
	BAD("feature_flag:view+view", PHRBAC_REPEATED_ACTION, 18, 4, ""),
	BAD("feature_flag:view+edit+VIEW", PHRBAC_REPEATED_ACTION, 23, 4, ""),
	BAD("feature_flag/:view", PHRBAC_MISSING_PART, 13, 0, ""),
	BAD("feature_flag", PHRBAC_MISSING_PART, 12, 0, ""),
	BAD("  feature_flag  ", PHRBAC_MISSING_PART, 14, 0, ""),
	BAD("feature_flag/42", PHRBAC_MISSING_PART, 15, 0, ""),
	BAD("feature_flag:", PHRBAC_MISSING_PART, 13, 0, ""),
	BAD(":view", PHRBAC_MISSING_PART, 0, 0, ""),
	BAD("/42:view", PHRBAC_MISSING_PART, 0, 0, ""),
	BAD("*/:view", PHRBAC_MISSING_PART, 2, 0, ""),
	BAD("feature_flag::view", PHRBAC_DOUBLED_SEPARATOR, 13, 1, ""),
	BAD("feature_flag//1:view", PHRBAC_DOUBLED_SEPARATOR, 13, 1, ""),
	BAD("feature_flag/1/2:view", PHRBAC_DOUBLED_SEPARATOR, 14, 1, ""),
	BAD("feature_flag:view++edit", PHRBAC_DOUBLED_SEPARATOR, 18, 1, ""),
	BAD("feature_flag:+view", PHRBAC_DOUBLED_SEPARATOR, 13, 1, ""),
	BAD("feature_flag:view+", PHRBAC_DOUBLED_SEPARATOR, 17, 1, ""),
	BAD("feature_flag:+", PHRBAC_DOUBLED_SEPARATOR, 13, 1, ""),
	BAD("feature_flag:view:edit", PHRBAC_DOUBLED_SEPARATOR, 17, 1, ""),
	BAD("feature_flag/" X128 "x:viewer", PHRBAC_BAD_OBJECT_ID, 13, 129, ""),
	BAD("feature_flag/a@b:view", PHRBAC_BAD_OBJECT_ID, 13, 3, ""),
	BAD("feature_flag/a+b:view", PHRBAC_BAD_OBJECT_ID, 13, 3, ""),
	BAD("feature_flag/a*b:view", PHRBAC_BAD_OBJECT_ID, 13, 3, ""),
	BAD("feature_flag/{1}:view", PHRBAC_BAD_OBJECT_ID, 13, 3, ""),
	BAD("*/1:view", PHRBAC_OBJECT_ON_WILDCARD, 2, 1, ""),
	BAD("*/abc:none", PHRBAC_OBJECT_ON_WILDCARD, 2, 3, ""),
};

START_TEST(parse_row)
{
	const GrantCase *c = &grant_cases[_i];
	PhrbacGrant grant = {-7, 0xee, NULL, 7};
	PhrbacParseError err;
	PhrbacStatus got;

	memset(&err, 0, sizeof(err));
	got = phrbac_grant_parse(c->input, c->len, &grant, &err);
	if (c->status == PHRBAC_OK)
	{
		char		buf[PHRBAC_GRANT_TEXT_MAX];
		size_t		len;

		ck_assert_msg(got == PHRBAC_OK, "\"%s\": status %s", c->input,
					  status_name(got));
		len = phrbac_grant_format(&grant, buf);
		ck_assert_uint_lt(len, sizeof(buf));
		buf[len] = '\0';
		ck_assert_str_eq(buf, c->canonical);
		ck_assert_uint_eq(grant.actions, c->actions);
		if (c->object == NULL)
		{
			ck_assert_ptr_null(grant.object);
			ck_assert_uint_eq(grant.object_len, 0);
		}
		else
		{
			/* the object id points into the input and keeps its case */
			ck_assert_uint_eq(grant.object_len, strlen(c->object));
			ck_assert_mem_eq(grant.object, c->object, grant.object_len);
			ck_assert(grant.object > c->input &&
					  grant.object + grant.object_len < c->input + c->len);
		}
		ck_assert_int_eq(phrbac_grant_validate(&grant), PHRBAC_OK);
	}
	else
	{
		ck_assert_parse_error(c->input, got, err, c->status, c->offset,
							  c->length, c->suggestion);
		ck_assert_int_eq(grant.resource, -7);
		ck_assert_uint_eq(grant.actions, 0xee);
	}
	ck_assert_int_eq(phrbac_grant_parse(c->input, c->len, &grant, NULL), got);
}
END_TEST

/* The n-th row that parses. */
static const GrantCase *
valid_row(int n)
{
	size_t		i;

	for (i = 0; i < lengthof(grant_cases); i++)
		if (grant_cases[i].status == PHRBAC_OK && n-- == 0)
			return &grant_cases[i];
	return NULL;
}

/* parse(format(parse(s))) == parse(s), and the canonical text is a fixed point. */
START_TEST(round_trip_row)
{
	const GrantCase *c = valid_row(_i);
	PhrbacGrant first;
	PhrbacGrant second;
	char		buf[PHRBAC_GRANT_TEXT_MAX];
	char		again[PHRBAC_GRANT_TEXT_MAX];
	size_t		len;
	size_t		again_len;

	ck_assert_int_eq(phrbac_grant_parse(c->input, c->len, &first, NULL),
					 PHRBAC_OK);
	len = phrbac_grant_format(&first, buf);
	ck_assert_int_eq(phrbac_grant_parse(buf, len, &second, NULL), PHRBAC_OK);
	ck_assert_int_eq(second.resource, first.resource);
	ck_assert_uint_eq(second.actions, first.actions);
	ck_assert_uint_eq(second.object_len, first.object_len);
	if (first.object != NULL)
		ck_assert_mem_eq(second.object, first.object, first.object_len);
	ck_assert_int_eq(phrbac_grant_compare(&first, &second), 0);
	again_len = phrbac_grant_format(&second, again);
	ck_assert_uint_eq(again_len, len);
	ck_assert_mem_eq(again, buf, len);
}
END_TEST

typedef struct ValidateCase
{
	const char *resource;		/* NULL: use bad_id */
	int			bad_id;
	PhrbacActions actions;
	const char *object;
	size_t		object_len;
	PhrbacStatus status;
} ValidateCase;

#define BAD_ID_COUNT (-100)		/* stands for phrbac_resource_count() */

static const ValidateCase validate_cases[] = {
	{"feature_flag", 0, 0x01, NULL, 0, PHRBAC_OK},
	{"feature_flag", 0, 0x00, NULL, 0, PHRBAC_OK},
	{"feature_flag", 0, 0x1d, NULL, 0, PHRBAC_OK},
	{"*", 0, 0x1f, NULL, 0, PHRBAC_OK},
	{"feature_flag", 0, 0x0f, "42", 2, PHRBAC_OK},
	{"feature_flag", 0, 0x01, UUID, 36, PHRBAC_OK},
	{"feature_flag", 0, 0x01, X128, 128, PHRBAC_OK},
	{"feature_flag", 0, 0x01, "42:", 2, PHRBAC_OK},
	{NULL, -1, 0x01, NULL, 0, PHRBAC_UNKNOWN_RESOURCE},
	{NULL, BAD_ID_COUNT, 0x01, NULL, 0, PHRBAC_UNKNOWN_RESOURCE},
	{NULL, 100000, 0x01, NULL, 0, PHRBAC_UNKNOWN_RESOURCE},
	{"*", 0, 0x01, "42", 2, PHRBAC_OBJECT_ON_WILDCARD},
	{"feature_flag", 0, 0x01, "a@b", 3, PHRBAC_BAD_OBJECT_ID},
	{"feature_flag", 0, 0x01, "a b", 3, PHRBAC_BAD_OBJECT_ID},
	{"feature_flag", 0, 0x01, "a:b", 3, PHRBAC_BAD_OBJECT_ID},
	{"feature_flag", 0, 0x01, "a/b", 3, PHRBAC_BAD_OBJECT_ID},
	{"feature_flag", 0, 0x01, X128 "x", 129, PHRBAC_BAD_OBJECT_ID},
	{"feature_flag", 0, 0x21, NULL, 0, PHRBAC_OUT_OF_RANGE},
	{"feature_flag", 0, 0x81, NULL, 0, PHRBAC_OUT_OF_RANGE},
	{"feature_flag", 0, 0xff, NULL, 0, PHRBAC_OUT_OF_RANGE},
	{"feature_flag", 0, 0x02, NULL, 0, PHRBAC_OUT_OF_RANGE},
	{"feature_flag", 0, 0x1e, NULL, 0, PHRBAC_OUT_OF_RANGE},
	{"feature_flag", 0, 0x01, "42", 0, PHRBAC_MISSING_PART},
	{"feature_flag", 0, 0x01, NULL, 2, PHRBAC_MISSING_PART},
};

START_TEST(validate_row)
{
	const ValidateCase *c = &validate_cases[_i];
	PhrbacGrant grant;
	PhrbacStatus got;

	if (c->resource != NULL)
		grant.resource = phrbac_resource_lookup(c->resource,
												strlen(c->resource));
	else if (c->bad_id == BAD_ID_COUNT)
		grant.resource = phrbac_resource_count();
	else
		grant.resource = c->bad_id;
	grant.actions = c->actions;
	grant.object = c->object;
	grant.object_len = c->object_len;
	got = phrbac_grant_validate(&grant);
	ck_assert_msg(got == c->status, "row %d: %s, want %s", _i,
				  status_name(got), status_name(c->status));
}
END_TEST

typedef struct ObjectIdCase
{
	const char *object;
	bool		valid;
} ObjectIdCase;

static const ObjectIdCase object_id_cases[] = {
	{"42", true},
	{"AbC", true},
	{UUID, true},
	{"a.b_c~d-e", true},
	{X128, true},
	{X128 "x", false},
	{"", false},
	{"a b", false},
	{"a+b", false},
	{"a%20b", false},
	{"\303\251", false},
};

START_TEST(object_id_row)
{
	const ObjectIdCase *c = &object_id_cases[_i];

	ck_assert_msg(phrbac_object_id_is_valid(c->object, strlen(c->object)) ==
				  c->valid, "\"%s\": want %d", c->object, c->valid);
}
END_TEST

static void
parse_grant_or_fail(const char *text, PhrbacGrant *grant)
{
	ck_assert_msg(phrbac_grant_parse(text, strlen(text), grant, NULL) ==
				  PHRBAC_OK, "fixture \"%s\" does not parse", text);
}

typedef struct CoverCase
{
	const char *a;
	const char *b;
	bool		covers;
} CoverCase;

static const CoverCase cover_cases[] = {
	{"*:viewer", "feature_flag:viewer", true},
	{"*:viewer", "feature_flag/42:viewer", true},
	{"*:manager", "*:editor", true},
	{"feature_flag:viewer", "*:viewer", false},
	{"insight:manager", "feature_flag:viewer", false},
	{"feature_flag:editor", "feature_flag/42:edit", true},
	{"feature_flag/42:editor", "feature_flag:edit", false},
	{"feature_flag/42:editor", "feature_flag/43:edit", false},
	{"feature_flag/42:editor", "feature_flag/42:edit", true},
	{"feature_flag/42:editor", "feature_flag/420:view", false},
	{"feature_flag/420:editor", "feature_flag/42:view", false},
	{"feature_flag/abc:viewer", "feature_flag/ABC:viewer", false},
	{"feature_flag:view+create+edit", "feature_flag:create+edit", true},
	{"feature_flag:view+create+edit", "feature_flag:delete", false},
	{"feature_flag:editor", "feature_flag:manage", false},
	{"feature_flag:manager", "feature_flag:editor", true},
	{"feature_flag:view+manage", "feature_flag:view+edit", false},
	{"feature_flag:viewer", "feature_flag:none", true},
	{"feature_flag:none", "feature_flag:none", true},
	{"feature_flag:none", "feature_flag:viewer", false},
};

START_TEST(cover_row)
{
	const CoverCase *c = &cover_cases[_i];
	PhrbacGrant a;
	PhrbacGrant b;

	parse_grant_or_fail(c->a, &a);
	parse_grant_or_fail(c->b, &b);
	ck_assert_msg(phrbac_grant_covers(&a, &b) == c->covers,
				  "%s @> %s: want %d", c->a, c->b, c->covers);
}
END_TEST

/*
 * Ascending: resource ("*" first, then by name), then object (none first,
 * then byte order), then actions.
 */
static const char *const sorted_grants[] = {
	"*:none", "*:viewer", "*:view+create", "*:manager",
	"action:viewer",
	"event:none", "event:viewer", "event:editor",
	"event/1:viewer", "event/1:manager", "event/10:none", "event/2:none",
	"event/A:none", "event/a:none",
	"event_definition:viewer",
	"feature_flag:viewer",
	"webhook:none",
};

START_TEST(compare_row)
{
	PhrbacGrant a;
	size_t		j;

	parse_grant_or_fail(sorted_grants[_i], &a);
	for (j = 0; j < lengthof(sorted_grants); j++)
	{
		PhrbacGrant b;
		int			want = (size_t) _i < j ? -1 : (size_t) _i > j ? 1 : 0;

		parse_grant_or_fail(sorted_grants[j], &b);
		ck_assert_msg(phrbac_grant_compare(&a, &b) == want,
					  "compare(%s, %s) = %d, want %d", sorted_grants[_i],
					  sorted_grants[j], phrbac_grant_compare(&a, &b), want);
	}
}
END_TEST

/* Equal values from different spellings and buffers compare equal. */
START_TEST(equal_values_compare_equal)
{
	char		left[] = "FEATURE_FLAG/Ab-9:VIEW";
	char		right[] = " feature_flag/Ab-9:viewer ";
	PhrbacGrant a;
	PhrbacGrant b;

	parse_grant_or_fail(left, &a);
	parse_grant_or_fail(right, &b);
	ck_assert_ptr_ne(a.object, b.object);
	ck_assert_int_eq(phrbac_grant_compare(&a, &b), 0);
	ck_assert(phrbac_grant_covers(&a, &b));
	ck_assert(phrbac_grant_covers(&b, &a));
}
END_TEST

Suite *
grant_suite(void)
{
	Suite	   *s = suite_create("grant");
	TCase	   *tc;
	int			valid = 0;

	while (valid_row(valid) != NULL)
		valid++;

	tc = tcase_create("parse");
	tcase_add_loop_test(tc, parse_row, 0, (int) lengthof(grant_cases));
	tcase_add_loop_test(tc, round_trip_row, 0, valid);
	suite_add_tcase(s, tc);

	tc = tcase_create("validate");
	tcase_add_loop_test(tc, validate_row, 0, (int) lengthof(validate_cases));
	tcase_add_loop_test(tc, object_id_row, 0, (int) lengthof(object_id_cases));
	suite_add_tcase(s, tc);

	tc = tcase_create("semantics");
	tcase_add_loop_test(tc, cover_row, 0, (int) lengthof(cover_cases));
	tcase_add_loop_test(tc, compare_row, 0, (int) lengthof(sorted_grants));
	tcase_add_test(tc, equal_values_compare_equal);
	suite_add_tcase(s, tc);
	return s;
}
