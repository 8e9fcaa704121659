/*
 * spelling.h
 *     "Did you mean ...?": the closest valid word for a misspelt token, and a
 *     corrected literal built around it.
 */
#ifndef PHRBAC_CORE_SPELLING_H
#define PHRBAC_CORE_SPELLING_H

#include "literal.h"

/*
 * The word of words[0..nwords) closest to token by case-insensitive edit
 * distance (insertions, deletions, substitutions, adjacent swaps), or NULL
 * when none is close enough to be a plausible typo.  NULL entries are skipped.
 */
extern const char *phrbac_closest_word(const char *token, size_t len,
									   const char *const *words,
									   size_t nwords);

/* A parser run only to see whether a literal is valid (no error record). */
typedef PhrbacStatus (*PhrbacValidityCheck) (const char *text, size_t len);

/*
 * Fills err->suggestion with literal[0..len) where the token at
 * [token_offset, token_offset + token_len) is replaced by word, when that
 * corrected literal passes check; otherwise with word alone.  Does nothing
 * when err or word is NULL.
 */
extern void phrbac_suggest(PhrbacParseError *err,
						   const char *literal, size_t len,
						   size_t token_offset, size_t token_len,
						   const char *word, PhrbacValidityCheck check);

#endif							/* PHRBAC_CORE_SPELLING_H */
