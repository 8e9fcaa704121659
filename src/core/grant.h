/*
 * grant.h
 *     Access to a resource: "resource[/object_id]:access".
 *
 * resource is a built-in resource name or "*"; object_id (optional) is one
 * object of it; access is a level name or actions joined by "+" (see
 * action.h).  "feature_flag/42:editor" is editor access to flag 42 only.
 */
#ifndef PHRBAC_CORE_GRANT_H
#define PHRBAC_CORE_GRANT_H

#include "action.h"
#include "literal.h"

typedef struct PhrbacGrant
{
	int			resource;		/* a resource id; PHRBAC_RESOURCE_ANY is "*" */
	PhrbacActions actions;		/* normalized: empty, or includes view */
	const char *object;			/* not NUL-terminated; NULL when none */
	size_t		object_len;		/* 0 exactly when object is NULL */
} PhrbacGrant;

/* Longest canonical text of a grant, with its NUL. */
#define PHRBAC_GRANT_TEXT_MAX (PHRBAC_LITERAL_MAX + 1)

/*
 * The validator shared by text and binary input: a known resource, no object
 * on "*", an object id of 1 to PHRBAC_OBJECT_ID_MAX bytes from
 * [A-Za-z0-9._~-], and a set of known actions that is empty or includes view.
 */
extern PhrbacStatus phrbac_grant_validate(const PhrbacGrant *grant);

/* True when an object id is well-formed (length and characters). */
extern bool phrbac_object_id_is_valid(const char *object, size_t len);

/*
 * Parses a grant.  On success grant->object points into text.  Actions are
 * normalized ("feature_flag:create" is view+create).
 */
extern PhrbacStatus phrbac_grant_parse(const char *text, size_t len,
									   PhrbacGrant *grant,
									   PhrbacParseError *err);

/* Writes the canonical text into buf (PHRBAC_GRANT_TEXT_MAX bytes). */
extern size_t phrbac_grant_format(const PhrbacGrant *grant, char *buf);

/*
 * True when a covers b: same resource or a is "*"; a has no object or the
 * same object; a's actions include all of b's.
 */
extern bool phrbac_grant_covers(const PhrbacGrant *a, const PhrbacGrant *b);

/* Total order: resource ("*" first, then by name), object (none first), actions. */
extern int	phrbac_grant_compare(const PhrbacGrant *a, const PhrbacGrant *b);

#endif							/* PHRBAC_CORE_GRANT_H */
