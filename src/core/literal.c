/*
 * literal.c
 *     The checks every phrbac literal goes through before its own grammar,
 *     and the error record its parsers fill in.
 */
#include "literal.h"

#include <string.h>

static bool
is_ascii_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' ||
		c == '\f' || c == '\v';
}

PhrbacStatus
phrbac_parse_fail(PhrbacParseError *err, PhrbacStatus status,
				  const char *original, const char *token, size_t token_len)
{
	if (err != NULL)
	{
		err->status = status;
		err->offset = (size_t) (token - original);
		err->length = token_len;
		err->suggestion[0] = '\0';
	}
	return status;
}

PhrbacStatus
phrbac_literal_prepare(const char **text, size_t *len, const char *original,
					   PhrbacParseError *err)
{
	const char *start = *text;
	const char *end = *text + *len;
	const char *p;

	while (start < end && is_ascii_space(*start))
		start++;
	while (end > start && is_ascii_space(end[-1]))
		end--;

	if (start == end)
		return phrbac_parse_fail(err, PHRBAC_EMPTY, original, *text, *len);
	if ((size_t) (end - start) > PHRBAC_LITERAL_MAX)
		return phrbac_parse_fail(err, PHRBAC_TOO_LONG, original, start,
								 (size_t) (end - start));

	/* Printable ASCII only: no inner whitespace, controls or high bytes. */
	for (p = start; p < end; p++)
	{
		unsigned char c = (unsigned char) *p;

		if (c <= 0x20 || c >= 0x7f)
			return phrbac_parse_fail(err, PHRBAC_BAD_CHARACTER, original, p, 1);
	}

	*text = start;
	*len = (size_t) (end - start);
	return PHRBAC_OK;
}

bool
phrbac_token_equals(const char *token, size_t len, const char *word)
{
	size_t		i;

	for (i = 0; i < len; i++)
	{
		char		c = token[i];

		if (word[i] == '\0')
			return false;
		if (c >= 'A' && c <= 'Z')
			c = (char) (c - 'A' + 'a');
		if (c != word[i])
			return false;
	}
	return word[len] == '\0';
}

PhrbacStatus
phrbac_literal_check_access(const char *original, const char *access, size_t len,
							PhrbacParseError *err)
{
	const char *colon;

	if (len == 0)
		return phrbac_parse_fail(err, PHRBAC_MISSING_PART, original, access, 0);
	colon = memchr(access, ':', len);
	if (colon != NULL)
		return phrbac_parse_fail(err, PHRBAC_DOUBLED_SEPARATOR, original, colon, 1);
	return PHRBAC_OK;
}
