/*
 * test_spelling.c
 *     Check tests of spelling.c: which word counts as a plausible typo of a
 *     token (edit distance with adjacent swaps, length-dependent budget), and
 *     how a "Did you mean" suggestion is built around it.
 */
#include <string.h>

#include "suites.h"
#include "core/action.h"
#include "core/spelling.h"

/* Word lists the closest-word table picks from. */
typedef enum WordList
{
	ACCESS,						/* phrbac_access_words */
	ABC,
	ABD_ABE,
	NULL_VIEW,
	DASHBOARD,
	LONG_WORD,
	NO_WORDS
} WordList;

static const char *const abc_words[] = {"abc"};
static const char *const abd_abe_words[] = {"abd", "abe"};
static const char *const null_view_words[] = {NULL, "view"};
static const char *const dashboard_words[] = {"dashboard"};
static const char *const long_words[] = {X256};

typedef struct ClosestCase
{
	const char *token;
	WordList	list;
	const char *expected;		/* NULL: nothing close enough */
} ClosestCase;

static const ClosestCase closest_cases[] = {
	{"view", ACCESS, "view"},
	{"veiw", ACCESS, "view"},
	{"VEIW", ACCESS, "view"},
	{"edti", ACCESS, "edit"},
	{"mangae", ACCESS, "manage"},
	{"delet", ACCESS, "delete"},
	{"xyzzy", ACCESS, NULL},
	{"zzzzzzzzzzzz", ACCESS, NULL},
	/* up to 3 bytes: one edit; an adjacent swap is one edit */
	{"ab", ABC, "abc"},
	{"bac", ABC, "abc"},
	{"a", ABC, NULL},
	{"xbx", ABC, NULL},
	/* 4 to 7 bytes: two edits */
	{"vixx", ACCESS, "view"},
	{"vxxx", ACCESS, NULL},
	{"dashbrd", DASHBOARD, "dashboard"},
	{"dashbxd", DASHBOARD, NULL},
	/* 8 bytes and more: three edits; two swaps are two edits */
	{"dashbxxd", DASHBOARD, "dashboard"},
	{"dashbxxx", DASHBOARD, NULL},
	{"dahsbaord", DASHBOARD, "dashboard"},
	/* a tie goes to the earlier word; NULL entries are skipped */
	{"abc", ABD_ABE, "abd"},
	{"view", NULL_VIEW, "view"},
	{"view", NO_WORDS, NULL},
	/* the longest token and word a literal can hold, one edit apart */
	{X128 X64 X16 X16 X16 "xxxxxxxxxxxxxxx" "y", LONG_WORD, X256},
};

START_TEST(closest_row)
{
	const ClosestCase *c = &closest_cases[_i];
	const char *const *words = phrbac_access_words;
	size_t		nwords = PHRBAC_ACCESS_WORD_COUNT;
	const char *got;

	switch (c->list)
	{
		case ACCESS:
			break;
		case ABC:
			words = abc_words;
			nwords = lengthof(abc_words);
			break;
		case ABD_ABE:
			words = abd_abe_words;
			nwords = lengthof(abd_abe_words);
			break;
		case NULL_VIEW:
			words = null_view_words;
			nwords = lengthof(null_view_words);
			break;
		case DASHBOARD:
			words = dashboard_words;
			nwords = lengthof(dashboard_words);
			break;
		case LONG_WORD:
			words = long_words;
			nwords = lengthof(long_words);
			break;
		case NO_WORDS:
			nwords = 0;
			break;
	}
	got = phrbac_closest_word(c->token, strlen(c->token), words, nwords);
	ck_assert_msg(got == NULL ? c->expected == NULL :
				  c->expected != NULL && strcmp(got, c->expected) == 0,
				  "\"%s\": got \"%s\", want \"%s\"", c->token,
				  got ? got : "(none)", c->expected ? c->expected : "(none)");
}
END_TEST

/* Validity checks handed to phrbac_suggest: they record what they saw. */
static char checked[PHRBAC_LITERAL_MAX * 2 + 1];
static int	check_calls;

static PhrbacStatus
accept_candidate(const char *text, size_t len)
{
	memcpy(checked, text, len);
	checked[len] = '\0';
	check_calls++;
	return PHRBAC_OK;
}

static PhrbacStatus
reject_candidate(const char *text, size_t len)
{
	accept_candidate(text, len);
	return PHRBAC_UNKNOWN_ACTION;
}

typedef struct SuggestCase
{
	const char *literal;
	size_t		token_offset;
	size_t		token_len;
	const char *word;
	bool		valid;			/* what the check says of the candidate */
	const char *suggestion;
} SuggestCase;

static const SuggestCase suggest_cases[] = {
	{"featureflag:read", 0, 11, "feature_flag", true, "feature_flag:read"},
	{"featureflag:read", 0, 11, "feature_flag", false, "feature_flag"},
	{"insight:raed", 8, 4, "read", true, "insight:read"},
	{"x:view+creat+edit", 7, 5, "create", true, "x:view+create+edit"},
	{"x:write", 2, 5, "editor", true, "x:editor"},
	/* a corrected literal of exactly PHRBAC_LITERAL_MAX bytes still fits */
	{"featureflag:" X128 X64 X16 X16 X16 "xxx", 0, 11, "feature_flag", true,
	"feature_flag:" X128 X64 X16 X16 X16 "xxx"},

	/*
	 * One byte too long to be a literal, so the corrected literal is not
	 * valid: the contract then asks for the word alone.
	 */
	{"featureflag:" X128 X64 X16 X16 X16 "xxxx", 0, 11, "feature_flag", true,
	"feature_flag"},
};

START_TEST(suggest_row)
{
	const SuggestCase *c = &suggest_cases[_i];
	PhrbacParseError err;

	memset(&err, 0, sizeof(err));
	phrbac_suggest(&err, c->literal, strlen(c->literal), c->token_offset,
				   c->token_len, c->word,
				   c->valid ? accept_candidate : reject_candidate);
	ck_assert_msg(strcmp(err.suggestion, c->suggestion) == 0,
				  "row %d: suggestion \"%s\", want \"%s\"", _i, err.suggestion,
				  c->suggestion);
}
END_TEST

START_TEST(suggest_checks_the_corrected_literal)
{
	PhrbacParseError err;

	check_calls = 0;
	phrbac_suggest(&err, "feature_flag:view+creat", 23, 18, 5, "create",
				   reject_candidate);
	ck_assert_int_eq(check_calls, 1);
	ck_assert_str_eq(checked, "feature_flag:view+create");
	ck_assert_str_eq(err.suggestion, "create");
}
END_TEST

START_TEST(suggest_without_word_or_record)
{
	PhrbacParseError err;

	check_calls = 0;
	strcpy(err.suggestion, "kept");
	phrbac_suggest(&err, "zzzz:read", 9, 0, 4, NULL, accept_candidate);
	ck_assert_str_eq(err.suggestion, "kept");
	phrbac_suggest(NULL, "featureflag:read", 16, 0, 11, "feature_flag",
				   accept_candidate);
	ck_assert_int_eq(check_calls, 0);
}
END_TEST

Suite *
spelling_suite(void)
{
	Suite	   *s = suite_create("spelling");
	TCase	   *tc;

	tc = tcase_create("closest_word");
	tcase_add_loop_test(tc, closest_row, 0, (int) lengthof(closest_cases));
	suite_add_tcase(s, tc);

	tc = tcase_create("suggest");
	tcase_add_loop_test(tc, suggest_row, 0, (int) lengthof(suggest_cases));
	tcase_add_test(tc, suggest_checks_the_corrected_literal);
	tcase_add_test(tc, suggest_without_word_or_record);
	suite_add_tcase(s, tc);
	return s;
}
