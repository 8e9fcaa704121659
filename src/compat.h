/*
 * compat.h: every difference between the PostgreSQL major versions phrbac
 * supports (README, "Compatibility"), in one place.  Code elsewhere is
 * written for the newest version; the shims here give older ones its names.
 */
#ifndef PHRBAC_COMPAT_H
#define PHRBAC_COMPAT_H

#include "postgres.h"

/* The headers of what is shimmed, so that no later include sees a macro. */
#include "access/genam.h"
#include "executor/executor.h"
#include "utils/guc.h"

/* 16 moved VARSIZE and the other varlena macros out of postgres.h. */
#if PG_VERSION_NUM >= 160000
#include "varatt.h"
#endif

/*
 * 18 marks functions that do not return with pg_noreturn, placed before the
 * declaration; older versions had pg_attribute_noreturn() after it.
 */
#ifndef pg_noreturn
#define pg_noreturn pg_attribute_noreturn()
#endif

/*
 * 16 keeps settings' values and check hooks' "extra" data in a memory
 * context and frees them with pfree; before, they were malloc'd and freed.
 */
#if PG_VERSION_NUM < 160000
#define guc_malloc(elevel, size) malloc(size)
#endif

/* 18 passes index scans somewhere to count their work (NULL: nowhere). */
#if PG_VERSION_NUM < 180000
#define index_beginscan(heap, index, snapshot, instrument, nkeys, norderbys) \
	index_beginscan(heap, index, snapshot, nkeys, norderbys)
#endif

/*
 * 16 asks ExecInsertIndexTuples whether only summarizing indexes (BRIN)
 * need the new tuple, which is true after a HOT update only.
 */
#if PG_VERSION_NUM < 160000
#define ExecInsertIndexTuples(info, slot, estate, update, no_dup_err, spec_conflict, \
							  arbiter_indexes, only_summarizing) \
	ExecInsertIndexTuples(info, slot, estate, update, no_dup_err, spec_conflict, \
						  arbiter_indexes)
#endif

#endif							/* PHRBAC_COMPAT_H */
