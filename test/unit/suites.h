/*
 * suites.h
 *     The Check suites of the src/core unit tests, one per concept, and the
 *     small helpers their tables share.
 *
 * run_unit.c runs every suite declared here; each test_<concept>.c defines
 * one of them.
 */
#ifndef PHRBAC_TEST_SUITES_H
#define PHRBAC_TEST_SUITES_H

#include <check.h>

#include "core/literal.h"

extern Suite *literal_suite(void);
extern Suite *spelling_suite(void);
extern Suite *resource_suite(void);
extern Suite *action_suite(void);
extern Suite *role_suite(void);
extern Suite *scope_suite(void);
extern Suite *grant_suite(void);
extern Suite *decision_suite(void);
extern Suite *api_key_suite(void);

/* Number of rows of a test table. */
#define lengthof(array) (sizeof(array) / sizeof((array)[0]))

/* Long literals for the length edges, built by string concatenation. */
#define X16		"xxxxxxxxxxxxxxxx"
#define X64		X16 X16 X16 X16
#define X128	X64 X64
#define X256	X128 X128
#define SP16	"                "
#define SP128	SP16 SP16 SP16 SP16 SP16 SP16 SP16 SP16

/* A status's enum name, for failure messages. */
static inline const char *
status_name(PhrbacStatus status)
{
	static const char *const names[] = {
		"OK", "EMPTY", "TOO_LONG", "BAD_CHARACTER", "MISSING_PART",
		"DOUBLED_SEPARATOR", "UNKNOWN_RESOURCE", "UNKNOWN_ACTION",
		"UNKNOWN_LEVEL", "SCOPE_ACTION_IN_GRANT", "GRANT_ACTION_IN_SCOPE",
		"LEVEL_COMBINED", "REPEATED_ACTION", "BAD_OBJECT_ID",
		"OBJECT_ON_WILDCARD", "OBJECT_IN_SCOPE", "ACTION_ON_WILDCARD",
		"OUT_OF_RANGE"
	};

	if ((unsigned) status < lengthof(names))
		return names[status];
	return "(not a status)";
}

/*
 * Asserts that a failed parse reported status and located the offending
 * token at [offset, offset + length) with the given suggestion ("" for
 * none).  what names the row in the failure message.
 */
#define ck_assert_parse_error(what, got, err, want_status, want_offset, \
							  want_length, want_suggestion) \
	do { \
		ck_assert_msg((got) == (want_status), "%s: status %s, want %s", \
					  (what), status_name(got), status_name(want_status)); \
		ck_assert_msg((err).status == (want_status), \
					  "%s: err.status %s, want %s", (what), \
					  status_name((err).status), status_name(want_status)); \
		ck_assert_msg((err).offset == (size_t) (want_offset), \
					  "%s: offset %zu, want %d", (what), (err).offset, \
					  (int) (want_offset)); \
		ck_assert_msg((err).length == (size_t) (want_length), \
					  "%s: length %zu, want %d", (what), (err).length, \
					  (int) (want_length)); \
		ck_assert_msg(strcmp((err).suggestion, (want_suggestion)) == 0, \
					  "%s: suggestion \"%s\", want \"%s\"", (what), \
					  (err).suggestion, (want_suggestion)); \
	} while (0)

#endif							/* PHRBAC_TEST_SUITES_H */
