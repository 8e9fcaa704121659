/*
 * comparison.h
 *     Generates the six comparison functions of a type from its three-way
 *     comparison, so every phrbac type orders and compares one way only.
 *
 * PHRBAC_COMPARISON_FUNCTIONS(prefix, compare) defines prefix_eq, _ne, _lt,
 * _le, _gt and _ge, each calling compare(fcinfo), which must return -1, 0 or
 * 1 for PG_GETARG(0) against PG_GETARG(1).
 */
#ifndef PHRBAC_COMPARISON_H
#define PHRBAC_COMPARISON_H

#include "fmgr.h"

#define PHRBAC_COMPARISON_FUNCTION(prefix, compare, suffix, test) \
	PG_FUNCTION_INFO_V1(prefix##_##suffix); \
	Datum \
	prefix##_##suffix(PG_FUNCTION_ARGS) \
	{ \
		int			cmp = compare(fcinfo); \
		PG_RETURN_BOOL(test); \
	}

#define PHRBAC_COMPARISON_FUNCTIONS(prefix, compare) \
	PHRBAC_COMPARISON_FUNCTION(prefix, compare, eq, cmp == 0) \
	PHRBAC_COMPARISON_FUNCTION(prefix, compare, ne, cmp != 0) \
	PHRBAC_COMPARISON_FUNCTION(prefix, compare, lt, cmp < 0) \
	PHRBAC_COMPARISON_FUNCTION(prefix, compare, le, cmp <= 0) \
	PHRBAC_COMPARISON_FUNCTION(prefix, compare, gt, cmp > 0) \
	PHRBAC_COMPARISON_FUNCTION(prefix, compare, ge, cmp >= 0)

#endif							/* PHRBAC_COMPARISON_H */
