/*
 * phrbac.c
 *     The module's entry point.
 *
 * phrbac makes PostgreSQL enforce PostHog-style access control: see
 * README.md for the concepts and ../sql/install/ for the SQL surface.  One
 * file per concept lives beside this one; src/core holds the pure C parsers
 * and rules that those files wrap.
 */
#include "postgres.h"

#include "fmgr.h"
#include "utils/guc.h"

#include "access.h"
#include "audit.h"
#include "cache.h"
#include "citus.h"
#include "principal.h"

PG_MODULE_MAGIC;

void		_PG_init(void);

/* Defines phrbac's settings and registers its cache callbacks. */
void
_PG_init(void)
{
	phrbac_citus_init();			/* the principal's check hook needs it */
	phrbac_principal_init();
	phrbac_cache_init();
	phrbac_access_init();
	phrbac_recheck_init();
	phrbac_audit_init();
	MarkGUCPrefixReserved("phrbac");
}
