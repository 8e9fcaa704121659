/*
 * phrbac.c
 *     The module's entry point.
 *
 * phrbac makes PostgreSQL enforce PostHog-style access control: see
 * README.md for the concepts and ../sql/phrbac.sql for the SQL surface.  One
 * file per concept lives beside this one; src/core holds the pure C parsers
 * and rules that those files wrap.
 */
#include "postgres.h"

#include "fmgr.h"

PG_MODULE_MAGIC;
