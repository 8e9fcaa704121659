/*
 * scope.c
 *     Parsing, canonical text, ordering and coverage of API key scopes.
 */
#include "scope.h"

#include <string.h>

#include "resource.h"
#include "spelling.h"

static const char *const scope_access_words[] = {"read", "write"};

const char *
phrbac_scope_access_name(int access)
{
	if (access == PHRBAC_SCOPE_READ)
		return "read";
	if (access == PHRBAC_SCOPE_WRITE)
		return "write";
	return NULL;
}

int
phrbac_scope_access_lookup(const char *word, size_t len)
{
	if (phrbac_token_equals(word, len, "read"))
		return PHRBAC_SCOPE_READ;
	if (phrbac_token_equals(word, len, "write"))
		return PHRBAC_SCOPE_WRITE;
	return 0;
}

PhrbacStatus
phrbac_scope_validate(const PhrbacScope *scope)
{
	if (!phrbac_resource_is_valid(scope->resource))
		return PHRBAC_UNKNOWN_RESOURCE;
	if (scope->access != PHRBAC_SCOPE_READ && scope->access != PHRBAC_SCOPE_WRITE)
		return PHRBAC_UNKNOWN_ACTION;
	if (scope->resource == PHRBAC_RESOURCE_ANY && scope->access != PHRBAC_SCOPE_WRITE)
		return PHRBAC_ACTION_ON_WILDCARD;
	return PHRBAC_OK;
}

static PhrbacStatus
scope_is_valid_text(const char *text, size_t len)
{
	PhrbacScope scope;

	return phrbac_scope_parse(text, len, &scope, NULL);
}

/*
 * The scope access a grant word probably meant: view and viewer read, every
 * other grant action or level writes.  NULL when word is not a grant word.
 */
static const char *
scope_access_for_grant_word(const char *word, size_t len)
{
	PhrbacActions actions = phrbac_action_lookup(word, len);

	if (actions == 0 && !phrbac_level_lookup(word, len, &actions))
		return NULL;
	if (actions == PHRBAC_LEVEL_NONE)
		return NULL;			/* "none" has no scope spelling */
	return phrbac_scope_access_name(phrbac_scope_access_needed(actions));
}

/*
 * Parses the access part, read or write.  text and len are the whole
 * trimmed literal (for suggestions); access starts at access_offset inside
 * it.
 */
static PhrbacStatus
parse_scope_access(const char *original, const char *text, size_t len,
				   size_t access_offset, int *access_value,
				   PhrbacParseError *err)
{
	const char *access = text + access_offset;
	size_t		access_len = len - access_offset;
	const char *meant;
	PhrbacStatus status;

	status = phrbac_literal_check_access(original, access, access_len, err);
	if (status != PHRBAC_OK)
		return status;
	*access_value = phrbac_scope_access_lookup(access, access_len);
	if (*access_value != 0)
		return PHRBAC_OK;
	meant = scope_access_for_grant_word(access, access_len);
	if (meant != NULL)
	{
		status = phrbac_parse_fail(err, PHRBAC_GRANT_ACTION_IN_SCOPE,
								   original, access, access_len);
		phrbac_suggest(err, text, len, access_offset, access_len, meant,
					   scope_is_valid_text);
		return status;
	}
	status = phrbac_parse_fail(err, PHRBAC_UNKNOWN_ACTION, original,
							   access, access_len);
	phrbac_suggest(err, text, len, access_offset, access_len,
				   phrbac_closest_word(access, access_len,
									   scope_access_words, 2),
				   scope_is_valid_text);
	return status;
}

PhrbacStatus
phrbac_scope_parse(const char *text, size_t len, PhrbacScope *scope,
				   PhrbacParseError *err)
{
	const char *original = text;
	const char *resource;
	size_t		resource_len;
	const char *colon;
	PhrbacStatus status;
	int			resource_id;
	int			access_value;

	status = phrbac_literal_prepare(&text, &len, original, err);
	if (status != PHRBAC_OK)
		return status;

	colon = memchr(text, ':', len);
	resource = text;
	resource_len = colon ? (size_t) (colon - text) : len;

	if (resource_len == 1 && resource[0] == '*')
	{
		if (colon == NULL)
		{
			scope->resource = PHRBAC_RESOURCE_ANY;
			scope->access = PHRBAC_SCOPE_WRITE;
			return PHRBAC_OK;
		}
		status = phrbac_parse_fail(err, PHRBAC_ACTION_ON_WILDCARD, original,
								   colon, len - resource_len);
		phrbac_suggest(err, text, len, 0, len, "*", scope_is_valid_text);
		return status;
	}

	if (resource_len == 0)
		return phrbac_parse_fail(err, PHRBAC_MISSING_PART, original, text, 0);
	if (memchr(resource, '/', resource_len) != NULL)
		return phrbac_parse_fail(err, PHRBAC_OBJECT_IN_SCOPE, original,
								 resource, resource_len);
	if (colon == NULL)
		return phrbac_parse_fail(err, PHRBAC_MISSING_PART, original,
								 text + len, 0);

	resource_id = phrbac_resource_lookup(resource, resource_len);
	if (resource_id < 0)
	{
		status = phrbac_parse_fail(err, PHRBAC_UNKNOWN_RESOURCE, original,
								   resource, resource_len);
		phrbac_suggest(err, text, len, 0, resource_len,
					   phrbac_resource_closest(resource, resource_len),
					   scope_is_valid_text);
		return status;
	}

	status = parse_scope_access(original, text, len, (size_t) (colon + 1 - text),
								&access_value, err);
	if (status != PHRBAC_OK)
		return status;
	scope->resource = resource_id;
	scope->access = access_value;
	return PHRBAC_OK;
}

size_t
phrbac_scope_format(const PhrbacScope *scope, char *buf)
{
	const char *resource = phrbac_resource_name(scope->resource);
	const char *access = phrbac_scope_access_name(scope->access);

	if (scope->resource == PHRBAC_RESOURCE_ANY)
	{
		strcpy(buf, "*");
		return 1;
	}
	strcpy(buf, resource);
	strcat(buf, ":");
	strcat(buf, access);
	return strlen(buf);
}

bool
phrbac_scope_covers(const PhrbacScope *have, const PhrbacScope *want)
{
	if (have->resource == PHRBAC_RESOURCE_ANY)
		return true;
	return have->resource == want->resource && have->access >= want->access;
}

int
phrbac_scope_access_needed(PhrbacActions actions)
{
	return (actions & ~PHRBAC_ACTION_VIEW) == 0 ? PHRBAC_SCOPE_READ
		: PHRBAC_SCOPE_WRITE;
}

int
phrbac_scope_compare(const PhrbacScope *a, const PhrbacScope *b)
{
	int			cmp = phrbac_resource_compare(a->resource, b->resource);

	if (cmp != 0)
		return cmp;
	if (a->access != b->access)
		return a->access < b->access ? -1 : 1;
	return 0;
}
