/*
 * scope.h
 *     API key scopes: "object:read", "object:write" or "*".
 *
 * write implies read.  A request to view needs read; create, edit, delete
 * and manage need write.  "*" allows everything.
 */
#ifndef PHRBAC_CORE_SCOPE_H
#define PHRBAC_CORE_SCOPE_H

#include "action.h"
#include "literal.h"

#define PHRBAC_SCOPE_READ	1
#define PHRBAC_SCOPE_WRITE	2

typedef struct PhrbacScope
{
	int			resource;		/* a resource id; PHRBAC_RESOURCE_ANY is "*" */
	int			access;			/* PHRBAC_SCOPE_READ or PHRBAC_SCOPE_WRITE */
} PhrbacScope;

/* Longest canonical text of a scope, with its NUL. */
#define PHRBAC_SCOPE_TEXT_MAX 64

/*
 * The validator shared by text and binary input: a known resource, and read
 * or write ("*" is stored as PHRBAC_RESOURCE_ANY with write).
 */
extern PhrbacStatus phrbac_scope_validate(const PhrbacScope *scope);

extern PhrbacStatus phrbac_scope_parse(const char *text, size_t len,
									   PhrbacScope *scope,
									   PhrbacParseError *err);

/* Writes the canonical text into buf (PHRBAC_SCOPE_TEXT_MAX bytes). */
extern size_t phrbac_scope_format(const PhrbacScope *scope, char *buf);

/* The scope access word "read"/"write" by value, or NULL. */
extern const char *phrbac_scope_access_name(int access);

/* The scope access of a word ("read"/"write", case-insensitive), or 0. */
extern int	phrbac_scope_access_lookup(const char *word, size_t len);

/* True when have allows everything want allows. */
extern bool phrbac_scope_covers(const PhrbacScope *have,
								const PhrbacScope *want);

/* The scope access a set of actions needs: read for view alone, else write. */
extern int	phrbac_scope_access_needed(PhrbacActions actions);

/* Total order: "*" first, then by resource name, then read before write. */
extern int	phrbac_scope_compare(const PhrbacScope *a, const PhrbacScope *b);

#endif							/* PHRBAC_CORE_SCOPE_H */
