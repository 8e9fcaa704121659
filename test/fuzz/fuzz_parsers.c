/*
 * fuzz_parsers.c
 *     libFuzzer target for the src/core literal parsers and validators.
 *
 * Every input is handed, as raw bytes, to phrbac_role_parse,
 * phrbac_scope_parse and phrbac_grant_parse.  A failure must fill the error
 * record consistently (same status, a token inside the input, a
 * NUL-terminated suggestion that is a valid literal or a single word); a
 * success must leave it alone, give the same value without an error
 * record, pass the binary validator, and print canonical text that reads
 * back to the same value and the same text.  (Failures are not parsed a
 * second time without a record: the spelling search on long tokens
 * dominates the run, and the record-less path is exercised anyway on every
 * suggestion and canonical text.)
 *
 * The first bytes are also read as a binary value, the way a recv function
 * would hand them to phrbac_grant_validate and phrbac_scope_validate: those
 * must never crash, and every value they accept must have canonical text
 * that reads back to it (recv accepts only what in could produce).
 *
 * Any violation calls abort(), which libFuzzer reports as a crash.  Run by
 * "make fuzz".
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/grant.h"
#include "core/resource.h"
#include "core/role.h"
#include "core/scope.h"

#define require(cond) \
	do { \
		if (!(cond)) \
		{ \
			fprintf(stderr, "%s:%d: invariant failed: %s\n", \
					__FILE__, __LINE__, #cond); \
			abort(); \
		} \
	} while (0)

/* What every byte of the error record holds before a parse. */
#define UNTOUCHED 0xa5

/* A parser run for validity alone, as phrbac_suggest runs it. */
typedef PhrbacStatus (*TextCheck) (const char *text, size_t len);

int			LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static PhrbacStatus
role_text(const char *text, size_t len)
{
	PhrbacRole	role;

	return phrbac_role_parse(text, len, &role, NULL);
}

static PhrbacStatus
scope_text(const char *text, size_t len)
{
	PhrbacScope scope;

	return phrbac_scope_parse(text, len, &scope, NULL);
}

static PhrbacStatus
grant_text(const char *text, size_t len)
{
	PhrbacGrant grant;

	return phrbac_grant_parse(text, len, &grant, NULL);
}

static bool
is_single_word(const char *s)
{
	for (; *s != '\0'; s++)
		if (!((*s >= 'a' && *s <= 'z') || *s == '_'))
			return false;
	return true;
}

/*
 * The error contract of every parser.  status came from a parse of
 * input[0..len) into a record filled with UNTOUCHED.
 */
static void
check_outcome(PhrbacStatus status, const PhrbacParseError *err, size_t len,
			  TextCheck valid)
{
	if (status == PHRBAC_OK)
	{
		const unsigned char *raw = (const unsigned char *) err;
		size_t		i;

		for (i = 0; i < sizeof(*err); i++)
			require(raw[i] == UNTOUCHED);
		return;
	}
	/* OUT_OF_RANGE belongs to binary input: no text produces it */
	require(status > PHRBAC_OK && status < PHRBAC_OUT_OF_RANGE);
	require(err->status == status);
	require(err->offset <= len);
	require(err->length <= len - err->offset);
	require(memchr(err->suggestion, '\0', sizeof(err->suggestion)) != NULL);
	if (err->suggestion[0] != '\0')
		require(valid(err->suggestion, strlen(err->suggestion)) == PHRBAC_OK ||
				is_single_word(err->suggestion));
}

/*
 * A valid scope is read or write on a resource, or "*" (stored as write),
 * and prints canonical text that reads back to it, unchanged.
 */
static void
check_scope_text(const PhrbacScope *scope)
{
	char		text[PHRBAC_SCOPE_TEXT_MAX];
	char		again_text[PHRBAC_SCOPE_TEXT_MAX];
	PhrbacScope again;
	size_t		len;

	require(scope->access == PHRBAC_SCOPE_READ ||
			scope->access == PHRBAC_SCOPE_WRITE);
	require(scope->resource != PHRBAC_RESOURCE_ANY ||
			scope->access == PHRBAC_SCOPE_WRITE);

	len = phrbac_scope_format(scope, text);
	require(len < sizeof(text) && len == strlen(text));
	require(phrbac_scope_parse(text, len, &again, NULL) == PHRBAC_OK);
	require(again.resource == scope->resource);
	require(again.access == scope->access);
	require(phrbac_scope_compare(scope, &again) == 0);
	require(phrbac_scope_covers(scope, &again));
	require(phrbac_scope_format(&again, again_text) == len);
	require(memcmp(again_text, text, len) == 0);
}

/*
 * A valid grant holds what README, "Types", allows (five actions, view in any
 * non-empty set, no object on "*"), and prints canonical text that reads
 * back to it, unchanged.
 */
static void
check_grant_text(const PhrbacGrant *grant)
{
	char		text[PHRBAC_GRANT_TEXT_MAX];
	char		again_text[PHRBAC_GRANT_TEXT_MAX];
	PhrbacGrant again;
	size_t		len;

	require((grant->actions & ~PHRBAC_ACTIONS_ALL) == 0);
	require(grant->actions == 0 || (grant->actions & PHRBAC_ACTION_VIEW) != 0);
	require(grant->object == NULL || grant->resource != PHRBAC_RESOURCE_ANY);

	len = phrbac_grant_format(grant, text);
	require(len < sizeof(text));
	require(phrbac_grant_parse(text, len, &again, NULL) == PHRBAC_OK);
	require(again.resource == grant->resource);
	require(again.actions == grant->actions);
	require(again.object_len == grant->object_len);
	require((again.object == NULL) == (grant->object == NULL));
	require(grant->object == NULL ||
			memcmp(again.object, grant->object, grant->object_len) == 0);
	require(phrbac_grant_compare(grant, &again) == 0);
	require(phrbac_grant_covers(grant, &again));
	require(phrbac_grant_covers(&again, grant));
	require(phrbac_grant_format(&again, again_text) == len);
	require(memcmp(again_text, text, len) == 0);
}

static void
fuzz_role(const char *text, size_t len)
{
	PhrbacParseError err;
	PhrbacRole	role;
	PhrbacRole	quiet;
	PhrbacRole	again;
	PhrbacStatus status;
	const char *name;

	memset(&err, UNTOUCHED, sizeof(err));
	status = phrbac_role_parse(text, len, &role, &err);
	check_outcome(status, &err, len, role_text);
	if (status != PHRBAC_OK)
		return;
	require(phrbac_role_parse(text, len, &quiet, NULL) == PHRBAC_OK);
	require(quiet == role);
	require(phrbac_role_is_valid((int) role));
	name = phrbac_role_name(role);
	require(name != NULL);
	require(phrbac_role_parse(name, strlen(name), &again, NULL) == PHRBAC_OK);
	require(again == role);
}

static void
fuzz_scope(const char *text, size_t len)
{
	PhrbacParseError err;
	PhrbacScope scope;
	PhrbacScope quiet;
	PhrbacStatus status;

	memset(&err, UNTOUCHED, sizeof(err));
	status = phrbac_scope_parse(text, len, &scope, &err);
	check_outcome(status, &err, len, scope_text);
	if (status != PHRBAC_OK)
		return;
	require(phrbac_scope_parse(text, len, &quiet, NULL) == PHRBAC_OK);
	require(quiet.resource == scope.resource && quiet.access == scope.access);
	require(phrbac_scope_validate(&scope) == PHRBAC_OK);
	check_scope_text(&scope);
}

static void
fuzz_grant(const char *text, size_t len)
{
	PhrbacParseError err;
	PhrbacGrant grant;
	PhrbacGrant quiet;
	PhrbacStatus status;

	memset(&err, UNTOUCHED, sizeof(err));
	status = phrbac_grant_parse(text, len, &grant, &err);
	check_outcome(status, &err, len, grant_text);
	if (status != PHRBAC_OK)
		return;
	require(phrbac_grant_parse(text, len, &quiet, NULL) == PHRBAC_OK);
	require(quiet.resource == grant.resource && quiet.actions == grant.actions);
	require(quiet.object == grant.object && quiet.object_len == grant.object_len);
	/* the object id lies inside the input */
	require(grant.object == NULL ||
			(grant.object > text && grant.object + grant.object_len < text + len));
	require(phrbac_grant_validate(&grant) == PHRBAC_OK);
	check_grant_text(&grant);
}

/*
 * The first bytes as binary values:
 *   [0] resource id (signed), [1] actions, [2] object length,
 *   [3] bit 0: no object pointer, [4] scope access (signed),
 *   [5..] object bytes (the length is clamped to what is there).
 */
#define BINARY_HEADER 5

static void
fuzz_binary(const uint8_t *data, size_t size)
{
	PhrbacGrant grant;
	PhrbacScope scope;
	PhrbacRole	role;
	PhrbacStatus status;
	int			level;

	if (size < BINARY_HEADER)
		return;

	grant.resource = (int8_t) data[0];
	grant.actions = data[1];
	grant.object_len = data[2];
	if (grant.object_len > size - BINARY_HEADER)
		grant.object_len = size - BINARY_HEADER;
	grant.object = (data[3] & 1) ? NULL : (const char *) data + BINARY_HEADER;
	status = phrbac_grant_validate(&grant);
	require(status <= PHRBAC_OUT_OF_RANGE);
	if (status == PHRBAC_OK)
		check_grant_text(&grant);

	scope.resource = (int8_t) data[0];
	scope.access = (int8_t) data[4];
	status = phrbac_scope_validate(&scope);
	require(status <= PHRBAC_OUT_OF_RANGE);
	if (status == PHRBAC_OK)
		check_scope_text(&scope);

	/* a stored rank and a PostHog number */
	if (phrbac_role_is_valid((int8_t) data[0]))
	{
		const char *name = phrbac_role_name((PhrbacRole) (int8_t) data[0]);

		require(name != NULL);
		require(phrbac_role_parse(name, strlen(name), &role, NULL) == PHRBAC_OK);
		require((int) role == (int8_t) data[0]);
	}
	else
		require(phrbac_role_name((PhrbacRole) (int8_t) data[0]) == NULL);
	if (phrbac_role_from_posthog((int8_t) data[1], &role))
	{
		require(phrbac_role_to_posthog(role, &level));
		require(level == (int8_t) data[1]);
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *text = (const char *) data;

	fuzz_role(text, size);
	fuzz_scope(text, size);
	fuzz_grant(text, size);
	fuzz_binary(data, size);
	return 0;
}
