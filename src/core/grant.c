/*
 * grant.c
 *     Parsing, validation, canonical text, ordering and coverage of grants.
 */
#include "grant.h"

#include <string.h>

#include "resource.h"
#include "scope.h"
#include "spelling.h"

static bool
is_object_id_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		(c >= '0' && c <= '9') || c == '.' || c == '_' || c == '~' || c == '-';
}

bool
phrbac_object_id_is_valid(const char *object, size_t len)
{
	size_t		i;

	if (len == 0 || len > PHRBAC_OBJECT_ID_MAX)
		return false;
	for (i = 0; i < len; i++)
		if (!is_object_id_char(object[i]))
			return false;
	return true;
}

PhrbacStatus
phrbac_grant_validate(const PhrbacGrant *grant)
{
	if (!phrbac_resource_is_valid(grant->resource))
		return PHRBAC_UNKNOWN_RESOURCE;
	if ((grant->object == NULL) != (grant->object_len == 0))
		return PHRBAC_MISSING_PART;
	if (grant->object != NULL)
	{
		if (grant->resource == PHRBAC_RESOURCE_ANY)
			return PHRBAC_OBJECT_ON_WILDCARD;
		if (!phrbac_object_id_is_valid(grant->object, grant->object_len))
			return PHRBAC_BAD_OBJECT_ID;
	}
	if (!phrbac_actions_are_valid(grant->actions) ||
		phrbac_actions_normalize(grant->actions) != grant->actions)
		return PHRBAC_OUT_OF_RANGE;
	return PHRBAC_OK;
}

static PhrbacStatus
grant_is_valid_text(const char *text, size_t len)
{
	PhrbacGrant grant;

	return phrbac_grant_parse(text, len, &grant, NULL);
}

/*
 * What a scope access word in a grant probably meant: the level alone
 * ("feature_flag:read" -> viewer), the action among others ("create+read" ->
 * view).
 */
static const char *
scope_word_meaning(int scope_access, bool single)
{
	if (scope_access == PHRBAC_SCOPE_READ)
		return single ? "viewer" : "view";
	return single ? "editor" : "edit";
}

/*
 * Refuses a word of the access part that is neither an action nor a level:
 * a scope's access word, with what it probably meant, or an unknown word,
 * with the closest valid one (single: the word stands alone).
 */
static PhrbacStatus
refuse_access_word(const char *original, const char *text, size_t len,
				   const char *word, size_t word_len, bool single,
				   PhrbacParseError *err)
{
	int			scope_access = phrbac_scope_access_lookup(word, word_len);
	size_t		offset = (size_t) (word - text);
	PhrbacStatus status;

	if (scope_access != 0)
	{
		status = phrbac_parse_fail(err, PHRBAC_SCOPE_ACTION_IN_GRANT,
								   original, word, word_len);
		phrbac_suggest(err, text, len, offset, word_len,
					   scope_word_meaning(scope_access, single),
					   grant_is_valid_text);
	}
	else
	{
		/* among other actions a level cannot stand: offer actions only */
		const char *const *words = single ? phrbac_access_words :
			phrbac_access_words + PHRBAC_LEVEL_WORD_COUNT;
		size_t		nwords = single ? PHRBAC_ACCESS_WORD_COUNT :
			PHRBAC_ACTION_COUNT;

		status = phrbac_parse_fail(err, PHRBAC_UNKNOWN_ACTION, original,
								   word, word_len);
		phrbac_suggest(err, text, len, offset, word_len,
					   phrbac_closest_word(word, word_len, words, nwords),
					   grant_is_valid_text);
	}
	return status;
}

/*
 * Parses the access part: a level alone, or actions joined by "+".  text and
 * len are the whole trimmed literal (for suggestions); access starts at
 * access_offset inside it.
 */
static PhrbacStatus
parse_access(const char *original, const char *text, size_t len,
			 size_t access_offset, PhrbacActions *actions,
			 PhrbacParseError *err)
{
	const char *access = text + access_offset;
	size_t		access_len = len - access_offset;
	const char *end = access + access_len;
	const char *piece = access;
	bool		single = memchr(access, '+', access_len) == NULL;
	PhrbacActions result = 0;
	PhrbacStatus status;

	status = phrbac_literal_check_access(original, access, access_len, err);
	if (status != PHRBAC_OK)
		return status;

	for (;;)
	{
		const char *piece_end = memchr(piece, '+', (size_t) (end - piece));
		size_t		piece_len;
		PhrbacActions bit;
		PhrbacActions level;

		if (piece_end == NULL)
			piece_end = end;
		piece_len = (size_t) (piece_end - piece);

		if (piece_len == 0)
			return phrbac_parse_fail(err, PHRBAC_DOUBLED_SEPARATOR, original,
									 piece < end ? piece : piece - 1, 1);

		bit = phrbac_action_lookup(piece, piece_len);
		if (bit != 0)
		{
			if (result & bit)
				return phrbac_parse_fail(err, PHRBAC_REPEATED_ACTION,
										 original, piece, piece_len);
			result |= bit;
		}
		else if (phrbac_level_lookup(piece, piece_len, &level))
		{
			if (!single)
				return phrbac_parse_fail(err, PHRBAC_LEVEL_COMBINED,
										 original, piece, piece_len);
			result = level;
		}
		else
			return refuse_access_word(original, text, len, piece, piece_len,
									  single, err);

		if (piece_end == end)
			break;
		piece = piece_end + 1;
	}

	*actions = phrbac_actions_normalize(result);
	return PHRBAC_OK;
}

PhrbacStatus
phrbac_grant_parse(const char *text, size_t len, PhrbacGrant *grant,
				   PhrbacParseError *err)
{
	const char *original = text;
	const char *end;
	const char *resource;
	size_t		resource_len;
	const char *object = NULL;
	size_t		object_len = 0;
	const char *p;
	int			resource_id;
	PhrbacActions actions = PHRBAC_LEVEL_NONE;
	PhrbacStatus status;

	status = phrbac_literal_prepare(&text, &len, original, err);
	if (status != PHRBAC_OK)
		return status;
	end = text + len;

	/* resource */
	resource = text;
	for (p = text; p < end && *p != '/' && *p != ':'; p++)
		;
	resource_len = (size_t) (p - resource);
	if (resource_len == 0)
		return phrbac_parse_fail(err, PHRBAC_MISSING_PART, original, resource, 0);
	resource_id = phrbac_resource_lookup(resource, resource_len);
	if (resource_id < 0)
	{
		status = phrbac_parse_fail(err, PHRBAC_UNKNOWN_RESOURCE, original,
								   resource, resource_len);
		phrbac_suggest(err, text, len, 0, resource_len,
					   phrbac_resource_closest(resource, resource_len),
					   grant_is_valid_text);
		return status;
	}

	/* "/object_id" */
	if (p < end && *p == '/')
	{
		object = ++p;
		for (; p < end && *p != ':'; p++)
			if (*p == '/')
				return phrbac_parse_fail(err, PHRBAC_DOUBLED_SEPARATOR,
										 original, p, 1);
		object_len = (size_t) (p - object);
		if (object_len == 0)
			return phrbac_parse_fail(err, PHRBAC_MISSING_PART, original,
									 object, 0);
		if (resource_id == PHRBAC_RESOURCE_ANY)
			return phrbac_parse_fail(err, PHRBAC_OBJECT_ON_WILDCARD, original,
									 object, object_len);
		if (!phrbac_object_id_is_valid(object, object_len))
			return phrbac_parse_fail(err, PHRBAC_BAD_OBJECT_ID, original,
									 object, object_len);
	}

	/* ":access" */
	if (p == end)
		return phrbac_parse_fail(err, PHRBAC_MISSING_PART, original, end, 0);
	status = parse_access(original, text, len, (size_t) (p + 1 - text),
						  &actions, err);
	if (status != PHRBAC_OK)
		return status;

	grant->resource = resource_id;
	grant->actions = actions;
	grant->object = object;
	grant->object_len = object_len;
	return PHRBAC_OK;
}

size_t
phrbac_grant_format(const PhrbacGrant *grant, char *buf)
{
	const char *resource = phrbac_resource_name(grant->resource);
	size_t		len = strlen(resource);

	memcpy(buf, resource, len);
	if (grant->object != NULL)
	{
		buf[len++] = '/';
		memcpy(buf + len, grant->object, grant->object_len);
		len += grant->object_len;
	}
	buf[len++] = ':';
	len += phrbac_actions_format(grant->actions, buf + len);
	return len;
}

bool
phrbac_grant_covers(const PhrbacGrant *a, const PhrbacGrant *b)
{
	if (a->resource != PHRBAC_RESOURCE_ANY && a->resource != b->resource)
		return false;
	if (a->object != NULL &&
		(b->object == NULL || a->object_len != b->object_len ||
		 memcmp(a->object, b->object, a->object_len) != 0))
		return false;
	return phrbac_actions_cover(a->actions, b->actions);
}

int
phrbac_grant_compare(const PhrbacGrant *a, const PhrbacGrant *b)
{
	int			cmp = phrbac_resource_compare(a->resource, b->resource);
	size_t		common;

	if (cmp != 0)
		return cmp;
	if (a->object == NULL || b->object == NULL)
	{
		if (a->object != b->object)
			return a->object == NULL ? -1 : 1;
	}
	else
	{
		common = a->object_len < b->object_len ? a->object_len : b->object_len;
		cmp = memcmp(a->object, b->object, common);
		if (cmp != 0)
			return cmp < 0 ? -1 : 1;
		if (a->object_len != b->object_len)
			return a->object_len < b->object_len ? -1 : 1;
	}
	if (a->actions != b->actions)
		return a->actions < b->actions ? -1 : 1;
	return 0;
}
