/*
 * test_literal.c
 *     Check tests of literal.c: the trimming and character checks every
 *     literal goes through, the error record and token comparison.
 */
#include <string.h>

#include "suites.h"

/* A string literal and its length, NUL bytes included. */
#define LIT(s) s, sizeof(s) - 1

typedef struct PrepareCase
{
	const char *input;
	size_t		len;
	PhrbacStatus status;
	size_t		offset;			/* OK: where the trimmed text starts */
	size_t		length;			/* OK: the trimmed length */
} PrepareCase;

static const PrepareCase prepare_cases[] = {
	{LIT(""), PHRBAC_EMPTY, 0, 0},
	{LIT("   "), PHRBAC_EMPTY, 0, 3},
	{LIT(" \t\n\r\f\v"), PHRBAC_EMPTY, 0, 6},
	{LIT("abc"), PHRBAC_OK, 0, 3},
	{LIT(" abc "), PHRBAC_OK, 1, 3},
	{LIT("\t\n abc\r\f\v"), PHRBAC_OK, 3, 3},
	{LIT("a b"), PHRBAC_BAD_CHARACTER, 1, 1},
	{LIT("a\tb"), PHRBAC_BAD_CHARACTER, 1, 1},
	{LIT("  a\nb  "), PHRBAC_BAD_CHARACTER, 3, 1},
	{LIT("a\001b"), PHRBAC_BAD_CHARACTER, 1, 1},
	{LIT("\001ab"), PHRBAC_BAD_CHARACTER, 0, 1},
	{LIT("ab\033"), PHRBAC_BAD_CHARACTER, 2, 1},
	{LIT("a\0b"), PHRBAC_BAD_CHARACTER, 1, 1},
	{LIT("a\177"), PHRBAC_BAD_CHARACTER, 1, 1},
	{LIT("\200"), PHRBAC_BAD_CHARACTER, 0, 1},
	{LIT("ab\303\251"), PHRBAC_BAD_CHARACTER, 2, 1},
	{LIT("ab\377"), PHRBAC_BAD_CHARACTER, 2, 1},
	{LIT("!~"), PHRBAC_OK, 0, 2},
	{LIT(X256), PHRBAC_OK, 0, 256},
	{LIT(SP16 X256 SP16), PHRBAC_OK, 16, 256},
	{LIT(X256 "x"), PHRBAC_TOO_LONG, 0, 257},
	{LIT(SP16 X256 "x" SP16), PHRBAC_TOO_LONG, 16, 257},
	/* The length check comes before the character check. */
	{LIT(X128 " " X128), PHRBAC_TOO_LONG, 0, 257},
};

START_TEST(prepare_row)
{
	const PrepareCase *c = &prepare_cases[_i];
	const char *text = c->input;
	size_t		len = c->len;
	PhrbacParseError err;
	PhrbacStatus got;

	memset(&err, 0, sizeof(err));
	strcpy(err.suggestion, "stale");
	got = phrbac_literal_prepare(&text, &len, c->input, &err);
	ck_assert_msg(got == c->status, "row %d: status %s, want %s", _i,
				  status_name(got), status_name(c->status));
	if (c->status == PHRBAC_OK)
	{
		ck_assert_ptr_eq(text, c->input + c->offset);
		ck_assert_uint_eq(len, c->length);
	}
	else
	{
		ck_assert_parse_error("prepare", got, err, c->status, c->offset,
							  c->length, "");
		/* a failure leaves the caller's text alone */
		ck_assert_ptr_eq(text, c->input);
		ck_assert_uint_eq(len, c->len);
	}
}
END_TEST

START_TEST(prepare_without_error_record)
{
	const char *text = " a b ";
	size_t		len = 5;

	ck_assert_int_eq(phrbac_literal_prepare(&text, &len, text, NULL),
					 PHRBAC_BAD_CHARACTER);
	text = "";
	len = 0;
	ck_assert_int_eq(phrbac_literal_prepare(&text, &len, text, NULL),
					 PHRBAC_EMPTY);
}
END_TEST

START_TEST(parse_fail_fills_record)
{
	const char *original = "feature_flag:xyz";
	PhrbacParseError err;

	strcpy(err.suggestion, "stale");
	ck_assert_int_eq(phrbac_parse_fail(&err, PHRBAC_UNKNOWN_ACTION, original,
									   original + 13, 3),
					 PHRBAC_UNKNOWN_ACTION);
	ck_assert_int_eq(err.status, PHRBAC_UNKNOWN_ACTION);
	ck_assert_uint_eq(err.offset, 13);
	ck_assert_uint_eq(err.length, 3);
	ck_assert_str_eq(err.suggestion, "");
	ck_assert_int_eq(phrbac_parse_fail(NULL, PHRBAC_EMPTY, original,
									   original, 0),
					 PHRBAC_EMPTY);
}
END_TEST

typedef struct TokenCase
{
	const char *token;
	const char *word;
	bool		equal;
} TokenCase;

static const TokenCase token_cases[] = {
	{"view", "view", true},
	{"VIEW", "view", true},
	{"ViEw", "view", true},
	{"vie", "view", false},
	{"views", "view", false},
	{"vieq", "view", false},
	{"", "", true},
	{"", "view", false},
	{"*", "*", true},
	{"FEATURE_FLAG", "feature_flag", true},
	/* only ASCII letters fold: '@' + 32 is '`' */
	{"@", "`", false},
};

START_TEST(token_equals_row)
{
	const TokenCase *c = &token_cases[_i];

	ck_assert_msg(phrbac_token_equals(c->token, strlen(c->token), c->word) ==
				  c->equal, "\"%s\" vs \"%s\": want %d", c->token, c->word,
				  c->equal);
}
END_TEST

START_TEST(token_equals_counts_length)
{
	/* the token is counted, not NUL-terminated */
	ck_assert(phrbac_token_equals("viewer", 4, "view"));
	ck_assert(!phrbac_token_equals("view", 3, "view"));
}
END_TEST

Suite *
literal_suite(void)
{
	Suite	   *s = suite_create("literal");
	TCase	   *tc;

	tc = tcase_create("prepare");
	tcase_add_loop_test(tc, prepare_row, 0, (int) lengthof(prepare_cases));
	tcase_add_test(tc, prepare_without_error_record);
	tcase_add_test(tc, parse_fail_fills_record);
	suite_add_tcase(s, tc);

	tc = tcase_create("token_equals");
	tcase_add_loop_test(tc, token_equals_row, 0, (int) lengthof(token_cases));
	tcase_add_test(tc, token_equals_counts_length);
	suite_add_tcase(s, tc);
	return s;
}
