/*
 * catalog.h
 *     Running code as the owner of phrbac's catalog (catalog.c), reading what
 *     its queries return, and the single facts looked up in it
 *     (catalog_lookup.c).
 */
#ifndef PHRBAC_CATALOG_H
#define PHRBAC_CATALOG_H

#include "postgres.h"

#include "user_facts.h"

/*
 * Runs fn(arg) as the owner of schema phrbac with search_path set to
 * "pg_catalog, pg_temp", inside SPI: the one way phrbac reads and writes its
 * catalog on its own behalf (its reads, API key stamps and changes, the
 * audit log's verification and pruning), whoever the caller is.
 */
extern void phrbac_as_catalog_owner(void (*fn) (void *arg), void *arg);

/*
 * Runs a read-only query with one bigint parameter ($1), inside fn above.
 * sql must be a string constant: its plan is prepared once per backend and
 * kept under the constant's address (PostgreSQL replans it when the tables
 * it reads change).
 */
extern void phrbac_catalog_query(const char *sql, int64 id);

/*
 * A column of a row the last query returned (SPI_tuptable).  NULL reads as
 * 0 and false.
 */
extern Datum phrbac_result_datum(int row, int col, bool *isnull);
extern int64 phrbac_result_int64(int row, int col);
extern bool phrbac_result_bool(int row, int col);

/* The elements of an int8[] (no NULLs) copied into context; *count of them. */
extern int64 *phrbac_int8_array(Datum array, int *count, MemoryContext context);

/* The key a secret's hash names, revoked or not. */
typedef struct PhrbacKeyByHash
{
	int64		id;				/* 0: no key has this hash */
	int64		user_id;
} PhrbacKeyByHash;

extern PhrbacKeyByHash phrbac_catalog_key_by_hash(const char *secure_value);

/* The phrbac user whose db_role is the database role, or 0. */
extern int64 phrbac_catalog_db_role_user(Oid roleid);

/* The organization of a project, or 0 when the project does not exist. */
extern int64 phrbac_catalog_project_organization(int64 project_id);

/* An organization's name, palloc'd (its id as text when it does not exist). */
extern char *phrbac_catalog_organization_name(int64 organization_id);

#endif							/* PHRBAC_CATALOG_H */
