/*
 * citus.h
 *     phrbac on a Citus cluster: the principal across nodes, catalog reads
 *     inside shard queries (citus.c), shards pruned by the principal's
 *     projects (citus_pruning.c).
 */
#ifndef PHRBAC_CITUS_H
#define PHRBAC_CITUS_H

#include "postgres.h"

#include "utils/relcache.h"

/* A signed principal is "<principal>/<signature>". */
#define PHRBAC_SIGNATURE_SEPARATOR '/'
#define PHRBAC_SIGNATURE_HEX_LEN 64

/* Defines phrbac.cluster_secret; called from _PG_init before the principal. */
extern void phrbac_citus_init(void);

/* True when signature is the cluster secret's signature of principal. */
extern bool phrbac_citus_signature_valid(const char *principal,
										 const char *signature);

/*
 * True when this backend runs under Citus and the cluster secret is set:
 * the principal must then be set through phrbac_citus_set_principal().
 */
extern bool phrbac_citus_carries_principal(void);

/*
 * Sets phrbac.principal to principal, signed, for the transaction, with a
 * SET LOCAL that Citus sends to every node the transaction reaches.  The
 * caller authorizes the change (principal.c).
 */
extern void phrbac_citus_set_principal(const char *principal);

/*
 * Lets the catalog be read, until the caller's GUC nest level ends, from
 * inside a shard query, where the catalog's reference tables are read from
 * the node's own placement.  Nothing without Citus.
 */
extern void phrbac_citus_allow_catalog_reads(void);

/*
 * On Citus, makes the rest of the transaction's multi-shard commands use one
 * connection per node: Citus refuses to modify a reference table that
 * another references by a foreign key (most of the catalog) once a command
 * of the transaction has run in parallel, and phrbac_offboard() changes
 * distributed tables before the catalog.  Elsewhere, nothing.
 */
extern void phrbac_citus_sequential_shard_commands(void);

/*
 * True when rel is a Citus reference table's copy on a node other than the
 * coordinator: the coordinator's copy of a change is the one phrbac's row
 * triggers audit and check against backend-local state.
 */
extern bool phrbac_citus_other_copy(Relation rel);

/*
 * Makes the planner write the principal's projects into SELECTs on tables
 * distributed by their project, for Citus to prune shards by, and each plan
 * that holds them used once (citus_pruning.c); called from
 * phrbac_citus_init() under Citus.
 */
extern void phrbac_citus_pruning_init(void);

#endif							/* PHRBAC_CITUS_H */
