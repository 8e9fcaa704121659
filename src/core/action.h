/*
 * action.h
 *     Action sets: the five actions on a resource and PostHog's resource
 *     access levels, which are named sets of them.
 *
 *     none    = {}
 *     viewer  = {view}
 *     editor  = {view, create, edit, delete}
 *     manager = {view, create, edit, delete, manage}
 *
 * Any non-empty set includes view.
 */
#ifndef PHRBAC_CORE_ACTION_H
#define PHRBAC_CORE_ACTION_H

#include "literal.h"

typedef uint8_t PhrbacActions;

#define PHRBAC_ACTION_VIEW		0x01
#define PHRBAC_ACTION_CREATE	0x02
#define PHRBAC_ACTION_EDIT		0x04
#define PHRBAC_ACTION_DELETE	0x08
#define PHRBAC_ACTION_MANAGE	0x10
#define PHRBAC_ACTIONS_ALL		0x1f

#define PHRBAC_LEVEL_NONE		((PhrbacActions) 0)
#define PHRBAC_LEVEL_VIEWER		((PhrbacActions) PHRBAC_ACTION_VIEW)
#define PHRBAC_LEVEL_EDITOR		((PhrbacActions) 0x0f)
#define PHRBAC_LEVEL_MANAGER	((PhrbacActions) PHRBAC_ACTIONS_ALL)

#define PHRBAC_ACTION_COUNT 5

/* The name of the action bit at position i (0 = view ... 4 = manage). */
extern const char *phrbac_action_name(int i);

/* The bit of one action name (case-insensitive), or 0. */
extern PhrbacActions phrbac_action_lookup(const char *name, size_t len);

/* True when name is a level name; *actions receives its set. */
extern bool phrbac_level_lookup(const char *name, size_t len,
								PhrbacActions *actions);

/* The level name whose set equals actions, or NULL. */
extern const char *phrbac_level_name(PhrbacActions actions);

/* Adds view to a non-empty set (what every set means). */
extern PhrbacActions phrbac_actions_normalize(PhrbacActions actions);

/* True when actions uses only the five action bits. */
extern bool phrbac_actions_are_valid(PhrbacActions actions);

/* True when every action of want is in have. */
extern bool phrbac_actions_cover(PhrbacActions have, PhrbacActions want);

/*
 * Writes the canonical text of a set into buf (a level name when the set is
 * one, else actions joined by "+" in the order above) and returns its length.
 * buf must hold PHRBAC_ACTIONS_TEXT_MAX bytes.
 */
#define PHRBAC_ACTIONS_TEXT_MAX 32
extern size_t phrbac_actions_format(PhrbacActions actions, char *buf);

/*
 * Every word an access may be spelt with, for "Did you mean" hints: the
 * PHRBAC_LEVEL_WORD_COUNT levels first, then the actions.  NULL-free,
 * PHRBAC_ACCESS_WORD_COUNT entries.
 */
#define PHRBAC_LEVEL_WORD_COUNT 4
#define PHRBAC_ACCESS_WORD_COUNT (PHRBAC_LEVEL_WORD_COUNT + PHRBAC_ACTION_COUNT)
extern const char *const phrbac_access_words[PHRBAC_ACCESS_WORD_COUNT];

#endif							/* PHRBAC_CORE_ACTION_H */
