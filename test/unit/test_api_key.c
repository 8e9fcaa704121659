/*
 * test_api_key.c
 *     Check tests of api_key.c: the text of a key, its recognition, the
 *     mask that names it without revealing it, and its stored hash form.
 */
#include <string.h>

#include "suites.h"
#include "core/api_key.h"

START_TEST(format_is_prefix_and_hex)
{
	uint8_t		random[PHRBAC_API_KEY_RANDOM_BYTES];
	char		key[PHRBAC_API_KEY_LEN + 1];
	int			i;

	for (i = 0; i < PHRBAC_API_KEY_RANDOM_BYTES; i++)
		random[i] = (uint8_t) (i * 37 + 11);
	random[0] = 0x00;
	random[PHRBAC_API_KEY_RANDOM_BYTES - 1] = 0xff;
	phrbac_api_key_format(random, key);

	ck_assert_uint_eq(strlen(key), PHRBAC_API_KEY_LEN);
	ck_assert_int_eq(strncmp(key, "phx_00", 6), 0);
	ck_assert_str_eq(key + PHRBAC_API_KEY_LEN - 2, "ff");
	ck_assert(phrbac_api_key_is_well_formed(key, strlen(key)));
}
END_TEST

START_TEST(every_byte_is_kept)
{
	uint8_t		a[PHRBAC_API_KEY_RANDOM_BYTES] = {0};
	uint8_t		b[PHRBAC_API_KEY_RANDOM_BYTES] = {0};
	char		key_a[PHRBAC_API_KEY_LEN + 1];
	char		key_b[PHRBAC_API_KEY_LEN + 1];

	b[_i] = 1;
	phrbac_api_key_format(a, key_a);
	phrbac_api_key_format(b, key_b);
	ck_assert_str_ne(key_a, key_b);
}
END_TEST

#define HEX64 "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"

typedef struct FormCase
{
	const char *text;
	bool		well_formed;
} FormCase;

static const FormCase form_cases[] = {
	{"phx_" HEX64, true},
	{"phx_" HEX64 "0", false},	/* one digit too many */
	{"phx_" "123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", false},
	{"PHX_" HEX64, false},
	{"phc_" HEX64, false},
	{"phx-" HEX64, false},
	{"phx_" "0123456789ABCDEF0123456789abcdef0123456789abcdef0123456789abcdef", false},
	{"phx_" "0123456789abcdeg0123456789abcdef0123456789abcdef0123456789abcdef", false},
	{"phx_" "0123456789abcdef 123456789abcdef0123456789abcdef0123456789abcdef", false},
	{"phx_", false},
	{"", false},
};

START_TEST(well_formed_row)
{
	const FormCase *c = &form_cases[_i];

	ck_assert_msg(phrbac_api_key_is_well_formed(c->text, strlen(c->text)) == c->well_formed,
				  "\"%s\": want %s", c->text, c->well_formed ? "well formed" : "refused");
}
END_TEST

START_TEST(mask_keeps_prefix_and_tail)
{
	char		mask[PHRBAC_API_KEY_MASK_LEN + 1];

	phrbac_api_key_mask("phx_" HEX64, mask);
	ck_assert_str_eq(mask, "phx_...cdef");
	ck_assert_uint_eq(strlen(mask), PHRBAC_API_KEY_MASK_LEN);
}
END_TEST

START_TEST(secure_value_is_tagged_hex)
{
	uint8_t		digest[PHRBAC_API_KEY_DIGEST_BYTES];
	char		stored[PHRBAC_API_KEY_SECURE_VALUE_LEN + 1];
	int			i;

	for (i = 0; i < PHRBAC_API_KEY_DIGEST_BYTES; i++)
		digest[i] = (uint8_t) (0xa0 + i);
	phrbac_api_key_secure_value(digest, stored);
	ck_assert_uint_eq(strlen(stored), PHRBAC_API_KEY_SECURE_VALUE_LEN);
	ck_assert_int_eq(strncmp(stored, "sha256$a0a1a2", 13), 0);
	ck_assert_str_eq(stored + PHRBAC_API_KEY_SECURE_VALUE_LEN - 2, "bf");
}
END_TEST

typedef struct KindCase
{
	const char *text;
	PhrbacTokenKind kind;
} KindCase;

static const KindCase kind_cases[] = {
	{"phx_" HEX64, PHRBAC_TOKEN_PERSONAL_KEY},
	{"phs_" HEX64, PHRBAC_TOKEN_PROJECT_KEY},
	{"phc_" HEX64, PHRBAC_TOKEN_PROJECT_TOKEN},
	{"phs_" HEX64 "0", PHRBAC_TOKEN_MALFORMED},
	{"phc_" "0123456789ABCDEF0123456789abcdef0123456789abcdef0123456789abcdef",
	PHRBAC_TOKEN_MALFORMED},
	{"PHS_" HEX64, PHRBAC_TOKEN_MALFORMED},
	{"phz_" HEX64, PHRBAC_TOKEN_MALFORMED},
	{"phc_", PHRBAC_TOKEN_MALFORMED},
	{"", PHRBAC_TOKEN_MALFORMED},
};

START_TEST(kind_row)
{
	const KindCase *c = &kind_cases[_i];

	ck_assert_msg(phrbac_token_kind(c->text, strlen(c->text)) == c->kind,
				  "\"%s\": kind %d, want %d", c->text,
				  (int) phrbac_token_kind(c->text, strlen(c->text)), (int) c->kind);
}
END_TEST

START_TEST(project_tokens_keep_their_prefix)
{
	uint8_t		random[PHRBAC_API_KEY_RANDOM_BYTES] = {0};
	char		token[PHRBAC_API_KEY_LEN + 1];
	char		mask[PHRBAC_API_KEY_MASK_LEN + 1];

	random[PHRBAC_API_KEY_RANDOM_BYTES - 1] = 0xab;
	phrbac_token_format(PHRBAC_PROJECT_KEY_PREFIX, random, token);
	ck_assert_int_eq(phrbac_token_kind(token, strlen(token)), PHRBAC_TOKEN_PROJECT_KEY);
	phrbac_api_key_mask(token, mask);
	ck_assert_str_eq(mask, "phs_...00ab");
	phrbac_token_format(PHRBAC_PROJECT_TOKEN_PREFIX, random, token);
	ck_assert_int_eq(phrbac_token_kind(token, strlen(token)), PHRBAC_TOKEN_PROJECT_TOKEN);
	ck_assert(!phrbac_api_key_is_well_formed(token, strlen(token)));
}
END_TEST

Suite *
api_key_suite(void)
{
	Suite	   *suite = suite_create("api_key");
	TCase	   *text = tcase_create("text");

	tcase_add_test(text, format_is_prefix_and_hex);
	tcase_add_loop_test(text, every_byte_is_kept, 0, PHRBAC_API_KEY_RANDOM_BYTES);
	tcase_add_loop_test(text, well_formed_row, 0, (int) lengthof(form_cases));
	tcase_add_test(text, mask_keeps_prefix_and_tail);
	tcase_add_test(text, secure_value_is_tagged_hex);
	tcase_add_loop_test(text, kind_row, 0, (int) lengthof(kind_cases));
	tcase_add_test(text, project_tokens_keep_their_prefix);
	suite_add_tcase(suite, text);
	return suite;
}
