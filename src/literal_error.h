/*
 * literal_error.h
 *     Turns a rejected phrbac literal (text or binary) into a PostgreSQL
 *     error with a detail and, where one exists, a "Did you mean" hint.
 */
#ifndef PHRBAC_LITERAL_ERROR_H
#define PHRBAC_LITERAL_ERROR_H

#include "compat.h"
#include "core/literal.h"

/* Which type a literal was meant for: names the value in messages. */
typedef enum PhrbacLiteralKind
{
	PHRBAC_LITERAL_ROLE,
	PHRBAC_LITERAL_SCOPE,
	PHRBAC_LITERAL_GRANT
} PhrbacLiteralKind;

/* Raises 22P02: invalid <kind>: "<input>", with err's detail and hint. */
pg_noreturn extern void phrbac_report_invalid_literal(PhrbacLiteralKind kind,
													  const char *input,
													  const PhrbacParseError *err);

/*
 * Raises 22P03 for a binary value that fails the type's validator; token is
 * the offending part (a resource name, say) or "".
 */
pg_noreturn extern void phrbac_report_invalid_binary(PhrbacLiteralKind kind,
													 PhrbacStatus status,
													 const char *token);

/* Reads and checks the version byte that opens every phrbac binary value. */
extern void phrbac_check_binary_version(PhrbacLiteralKind kind, int version);

/* The version byte every phrbac binary value starts with. */
#define PHRBAC_BINARY_VERSION 1

/*
 * An excerpt of s fit for a message: at most PHRBAC_EXCERPT_MAX bytes of s,
 * cut on a character boundary and followed by "..." when cut, with control
 * bytes spelt "\x01" so that no input can break a log line.
 */
#define PHRBAC_EXCERPT_MAX 64
extern char *phrbac_excerpt(const char *s, size_t len);

#endif							/* PHRBAC_LITERAL_ERROR_H */
