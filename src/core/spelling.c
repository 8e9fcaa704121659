/*
 * spelling.c
 *     Optimal-string-alignment edit distance over short ASCII tokens, used to
 *     put a "Did you mean ...?" hint on rejected literals.
 */
#include "spelling.h"

#include <string.h>

/* Tokens are bounded by PHRBAC_LITERAL_MAX, so the DP rows fit on the stack. */
#define ROW (PHRBAC_LITERAL_MAX + 2)

static char
lower(char c)
{
	return (c >= 'A' && c <= 'Z') ? (char) (c - 'A' + 'a') : c;
}

static size_t
min3(size_t a, size_t b, size_t c)
{
	size_t		m = a < b ? a : b;

	return m < c ? m : c;
}

static size_t
edit_distance(const char *a, size_t alen, const char *b, size_t blen)
{
	size_t		before[ROW], previous[ROW], current[ROW];
	size_t		i, j;

	for (j = 0; j <= blen; j++)
		previous[j] = j;
	for (i = 1; i <= alen; i++)
	{
		current[0] = i;
		for (j = 1; j <= blen; j++)
		{
			size_t		cost = lower(a[i - 1]) == lower(b[j - 1]) ? 0 : 1;

			current[j] = min3(previous[j] + 1, current[j - 1] + 1,
							  previous[j - 1] + cost);
			if (i > 1 && j > 1 &&
				lower(a[i - 1]) == lower(b[j - 2]) &&
				lower(a[i - 2]) == lower(b[j - 1]) &&
				before[j - 2] + 1 < current[j])
				current[j] = before[j - 2] + 1;
		}
		memcpy(before, previous, sizeof(size_t) * (blen + 1));
		memcpy(previous, current, sizeof(size_t) * (blen + 1));
	}
	return previous[blen];
}

/* How many edits still read as a typo of a word of this length. */
static size_t
typo_budget(size_t len)
{
	if (len <= 3)
		return 1;
	if (len <= 7)
		return 2;
	return 3;
}

const char *
phrbac_closest_word(const char *token, size_t len, const char *const *words,
					size_t nwords)
{
	const char *best = NULL;
	size_t		best_distance = typo_budget(len) + 1;
	size_t		i;

	if (len > PHRBAC_LITERAL_MAX)
		return NULL;
	for (i = 0; i < nwords; i++)
	{
		size_t		wlen;
		size_t		distance;

		if (words[i] == NULL)
			continue;
		wlen = strlen(words[i]);
		if (wlen > PHRBAC_LITERAL_MAX)
			continue;
		distance = edit_distance(token, len, words[i], wlen);
		if (distance < best_distance)
		{
			best = words[i];
			best_distance = distance;
		}
	}
	return best;
}

void
phrbac_suggest(PhrbacParseError *err, const char *literal, size_t len,
			   size_t token_offset, size_t token_len, const char *word,
			   PhrbacValidityCheck check)
{
	char		candidate[PHRBAC_LITERAL_MAX * 2 + 1];
	size_t		word_len;
	size_t		tail_len;

	if (err == NULL || word == NULL)
		return;
	word_len = strlen(word);
	tail_len = len - token_offset - token_len;
	if (word_len > PHRBAC_LITERAL_MAX)
	{
		err->suggestion[0] = '\0';
		return;
	}
	if (token_offset + word_len + tail_len > PHRBAC_LITERAL_MAX)
	{
		/* the corrected literal would be too long to be valid */
		strcpy(err->suggestion, word);
		return;
	}
	memcpy(candidate, literal, token_offset);
	memcpy(candidate + token_offset, word, word_len);
	memcpy(candidate + token_offset + word_len,
		   literal + token_offset + token_len, tail_len);
	candidate[token_offset + word_len + tail_len] = '\0';

	if (check(candidate, token_offset + word_len + tail_len) == PHRBAC_OK)
		strcpy(err->suggestion, candidate);
	else
		strcpy(err->suggestion, word);
}
