/*
 * The install script of phrbac, joined by the Makefile from the files of
 * sql/install/, one per concept (README, "Layout").  They are not in sql/
 * itself: pg_regress looks for its inputs in ./sql first, and tests share
 * their concepts' names.
 *
 * Types, operators and functions live in pg_catalog: no search_path can
 * shadow them, so an application's unqualified phrbac_can(...) always
 * reaches phrbac.  The catalog lives in schema phrbac.  Every name below is
 * schema-qualified.
 *
 * Functions marked LEAKPROOF raise no error for any stored value and reveal
 * nothing but their result, so the planner may push them below the
 * row-level-security quals that phrbac writes.
 */

\echo Use "CREATE EXTENSION phrbac" to load this file. \quit
