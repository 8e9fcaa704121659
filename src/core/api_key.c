/*
 * api_key.c
 *     The text and mask of personal API keys, project secret keys and
 *     project tokens: see api_key.h.
 */
#include "api_key.h"

#include <string.h>

/* Writes bytes[0..n) as lower-case hex at out, then a NUL. */
static void
hex_encode(const uint8_t *bytes, size_t n, char *out)
{
	static const char digits[] = "0123456789abcdef";
	size_t		i;

	for (i = 0; i < n; i++)
	{
		out[2 * i] = digits[bytes[i] >> 4];
		out[2 * i + 1] = digits[bytes[i] & 0x0f];
	}
	out[2 * n] = '\0';
}

void
phrbac_token_format(const char *prefix, const uint8_t *random, char *out)
{
	memcpy(out, prefix, PHRBAC_API_KEY_PREFIX_LEN);
	hex_encode(random, PHRBAC_API_KEY_RANDOM_BYTES,
			   out + PHRBAC_API_KEY_PREFIX_LEN);
}

void
phrbac_api_key_format(const uint8_t *random, char *out)
{
	phrbac_token_format(PHRBAC_API_KEY_PREFIX, random, out);
}

void
phrbac_api_key_secure_value(const uint8_t *digest, char *out)
{
	size_t		prefix_len = strlen(PHRBAC_API_KEY_SECURE_VALUE_PREFIX);

	memcpy(out, PHRBAC_API_KEY_SECURE_VALUE_PREFIX, prefix_len);
	hex_encode(digest, PHRBAC_API_KEY_DIGEST_BYTES, out + prefix_len);
}

/* True when text[0..len) is prefix and 64 lower-case hex digits. */
static bool
has_shape(const char *text, size_t len, const char *prefix)
{
	size_t		i;

	if (len != PHRBAC_API_KEY_LEN ||
		memcmp(text, prefix, PHRBAC_API_KEY_PREFIX_LEN) != 0)
		return false;
	for (i = PHRBAC_API_KEY_PREFIX_LEN; i < len; i++)
		if (!((text[i] >= '0' && text[i] <= '9') ||
			  (text[i] >= 'a' && text[i] <= 'f')))
			return false;
	return true;
}

bool
phrbac_api_key_is_well_formed(const char *text, size_t len)
{
	return has_shape(text, len, PHRBAC_API_KEY_PREFIX);
}

PhrbacTokenKind
phrbac_token_kind(const char *text, size_t len)
{
	if (has_shape(text, len, PHRBAC_API_KEY_PREFIX))
		return PHRBAC_TOKEN_PERSONAL_KEY;
	if (has_shape(text, len, PHRBAC_PROJECT_KEY_PREFIX))
		return PHRBAC_TOKEN_PROJECT_KEY;
	if (has_shape(text, len, PHRBAC_PROJECT_TOKEN_PREFIX))
		return PHRBAC_TOKEN_PROJECT_TOKEN;
	return PHRBAC_TOKEN_MALFORMED;
}

void
phrbac_api_key_mask(const char *key, char *out)
{
	memcpy(out, key, PHRBAC_API_KEY_PREFIX_LEN);
	memcpy(out + PHRBAC_API_KEY_PREFIX_LEN, "...", 3);
	memcpy(out + PHRBAC_API_KEY_PREFIX_LEN + 3,
		   key + PHRBAC_API_KEY_LEN - PHRBAC_API_KEY_MASK_TAIL,
		   PHRBAC_API_KEY_MASK_TAIL);
	out[PHRBAC_API_KEY_MASK_LEN] = '\0';
}
