/*
 * resource.h
 *     The one registry of built-in resources (PostHog's API scope objects),
 *     shared by phrbac_scope and phrbac_grant.
 *
 * A resource is stored on disk by its id, so ids are forever: append new
 * resources at the end of the registry, never reorder or remove one.  Text
 * and binary forms carry names, never ids.
 */
#ifndef PHRBAC_CORE_RESOURCE_H
#define PHRBAC_CORE_RESOURCE_H

#include "action.h"
#include "literal.h"

/* "*": every resource.  Built-in resources have ids 1 .. count - 1. */
#define PHRBAC_RESOURCE_ANY 0

/* Number of ids in use, "*" included. */
extern int	phrbac_resource_count(void);

/* True for PHRBAC_RESOURCE_ANY and every built-in id. */
extern bool phrbac_resource_is_valid(int id);

/* The canonical name ("*" for PHRBAC_RESOURCE_ANY), or NULL for a bad id. */
extern const char *phrbac_resource_name(int id);

/* The id of a name (case-insensitive, "*" included), or -1. */
extern int	phrbac_resource_lookup(const char *name, size_t len);

/* The closest built-in name to a misspelt one, or NULL. */
extern const char *phrbac_resource_closest(const char *name, size_t len);

/* Orders ids by name, "*" first: -1, 0 or 1. */
extern int	phrbac_resource_compare(int a, int b);

/*
 * False for the resources whose access comes from membership levels alone
 * (organization, organization_member, project, user): no access rule may
 * name them.
 */
extern bool phrbac_resource_takes_rules(int id);

/*
 * A project member's access to the resource when no access rule applies
 * (the system default): editor, but viewer for activity_log and for the
 * resources that take no rules.
 */
extern PhrbacActions phrbac_resource_default_access(int id);

#endif							/* PHRBAC_CORE_RESOURCE_H */
