/*
 * literal.h
 *     What every phrbac literal parser shares: limits, status codes and the
 *     error record that the PostgreSQL wrappers turn into ereport().
 *
 * Everything under src/core is plain C99 with no postgres.h: it allocates
 * nothing and reports failures as a PhrbacStatus plus a PhrbacParseError, so
 * the Check unit tests and the libFuzzer target can drive it directly.
 */
#ifndef PHRBAC_CORE_LITERAL_H
#define PHRBAC_CORE_LITERAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Longest literal of any phrbac type, in bytes, after trimming whitespace. */
#define PHRBAC_LITERAL_MAX 256

/* Longest object id in a grant, in bytes (a UUID is 36). */
#define PHRBAC_OBJECT_ID_MAX 128

typedef enum PhrbacStatus
{
	PHRBAC_OK = 0,
	PHRBAC_EMPTY,				/* nothing but whitespace */
	PHRBAC_TOO_LONG,			/* over PHRBAC_LITERAL_MAX bytes */
	PHRBAC_BAD_CHARACTER,		/* inner whitespace, control or non-ASCII byte */
	PHRBAC_MISSING_PART,		/* no resource, no object id, no ":access" */
	PHRBAC_DOUBLED_SEPARATOR,	/* "::", "//", "++", or one left dangling */
	PHRBAC_UNKNOWN_RESOURCE,
	PHRBAC_UNKNOWN_ACTION,
	PHRBAC_UNKNOWN_LEVEL,		/* phrbac_role */
	PHRBAC_SCOPE_ACTION_IN_GRANT,	/* "read" / "write" in a grant */
	PHRBAC_GRANT_ACTION_IN_SCOPE,	/* "view", "editor", ... in a scope */
	PHRBAC_LEVEL_COMBINED,		/* "viewer+create" */
	PHRBAC_REPEATED_ACTION,		/* "view+view" */
	PHRBAC_BAD_OBJECT_ID,		/* characters or length */
	PHRBAC_OBJECT_ON_WILDCARD,	/* an object id on "*" */
	PHRBAC_OBJECT_IN_SCOPE,		/* "feature_flag/42:read" */
	PHRBAC_ACTION_ON_WILDCARD,	/* "*:read" as a scope */
	PHRBAC_OUT_OF_RANGE			/* a binary value no literal can produce */
} PhrbacStatus;

/*
 * Where and why a literal was rejected.  offset/length locate the offending
 * token inside the (untrimmed) input.  suggestion holds the closest valid
 * literal, or the closest valid word when no whole literal could be made
 * valid by one substitution, or "" when nothing is close.
 */
typedef struct PhrbacParseError
{
	PhrbacStatus status;
	size_t		offset;
	size_t		length;
	char		suggestion[PHRBAC_LITERAL_MAX + 1];
} PhrbacParseError;

/*
 * Strips leading and trailing ASCII whitespace from [*text, *text + *len),
 * then checks what every literal must be: non-empty, at most
 * PHRBAC_LITERAL_MAX bytes, printable ASCII only.  On failure fills err (if
 * not NULL); offsets are relative to the original text.
 */
extern PhrbacStatus phrbac_literal_prepare(const char **text, size_t *len,
										   const char *original,
										   PhrbacParseError *err);

/* Records a failure in err (which may be NULL) and returns status. */
extern PhrbacStatus phrbac_parse_fail(PhrbacParseError *err,
									  PhrbacStatus status,
									  const char *original,
									  const char *token, size_t token_len);

/*
 * Checks the access part that ends a grant or a scope ("...:access"):
 * present, and without a second ":".  On failure fills err (if not NULL).
 */
extern PhrbacStatus phrbac_literal_check_access(const char *original,
												const char *access, size_t len,
												PhrbacParseError *err);

/* Lowercase ASCII comparison of a counted token against a NUL-terminated word. */
extern bool phrbac_token_equals(const char *token, size_t len, const char *word);

#endif							/* PHRBAC_CORE_LITERAL_H */
