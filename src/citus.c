/*
 * citus.c
 *     What phrbac does differently on a Citus cluster (README, "Citus"):
 *     carrying the principal from the node a statement starts on to the
 *     nodes that run its shard queries, and reading the catalog (reference
 *     tables there) from inside those queries.
 *
 * The principal travels the way Citus carries per-transaction settings: a
 * SET LOCAL of phrbac.principal, run through the utility hook with
 * citus.propagate_set_commands = 'local', which Citus sends to every worker
 * connection of the transaction and replays at the start of every new one.
 * What reaches a worker is the principal signed with HMAC-SHA256 under
 * phrbac.cluster_secret, a setting only superusers can read and that every
 * node's configuration holds: principal.c's check hook takes a value from
 * anywhere only when its signature is valid, so a client connecting to a
 * worker cannot make one up.
 */
#include "postgres.h"

#include "common/cryptohash.h"
#include "common/hmac.h"
#include "common/sha2.h"
#include "catalog/pg_type_d.h"
#include "access/relation.h"
#include "executor/spi.h"
#include "fmgr.h"
#include "utils/builtins.h"
#include "utils/guc.h"
#include "utils/rel.h"
#include "utils/resowner.h"

#include "citus.h"
#include "principal.h"

#define CLUSTER_SECRET_SETTING "phrbac.cluster_secret"

/* The shortest secret accepted: 128 bits, written in hex. */
#define CLUSTER_SECRET_MIN_LENGTH 32

static char *cluster_secret = NULL;

/* True when Citus is loaded in this backend (its settings are defined). */
static bool
citus_loaded(void)
{
	return GetConfigOption("citus.propagate_set_commands", true, false) != NULL;
}

/*
 * Sets one of Citus's settings for the caller: until its GUC nest level ends
 * (GUC_ACTION_SAVE) or for the rest of the transaction (GUC_ACTION_LOCAL).
 */
static void
set_citus_setting(const char *name, const char *value, GucAction action)
{
	(void) set_config_option(name, value, PGC_USERSET, PGC_S_SESSION, action,
							 true, 0, false);
}

static bool
check_cluster_secret(char **newval, void **extra, GucSource source)
{
	size_t		len = strlen(*newval);

	if (len != 0 && len < CLUSTER_SECRET_MIN_LENGTH)
	{
		GUC_check_errdetail("The cluster secret must be at least %d characters long (for example: openssl rand -hex 32).",
							CLUSTER_SECRET_MIN_LENGTH);
		return false;
	}
	return true;
}

void
phrbac_citus_init(void)
{
	DefineCustomStringVariable(CLUSTER_SECRET_SETTING,
							   "The key that signs the principal a Citus coordinator sends to its workers.",
							   "The same value on every node of the cluster; empty: no principal crosses nodes.",
							   &cluster_secret,
							   "",
							   PGC_SIGHUP,
							   GUC_SUPERUSER_ONLY | GUC_NO_SHOW_ALL |
							   GUC_NOT_IN_SAMPLE | GUC_DISALLOW_IN_AUTO_FILE,
							   check_cluster_secret, NULL, NULL);
	if (citus_loaded())
		phrbac_citus_pruning_init();
}

/* The signature of principal, in lower-case hex, under the cluster secret. */
static void
sign(const char *principal, char hex[PHRBAC_SIGNATURE_HEX_LEN + 1])
{
	uint8		digest[PG_SHA256_DIGEST_LENGTH];
	pg_hmac_ctx *ctx = pg_hmac_create(PG_SHA256);
	int			i;

	if (ctx == NULL ||
		pg_hmac_init(ctx, (const uint8 *) cluster_secret, strlen(cluster_secret)) < 0 ||
		pg_hmac_update(ctx, (const uint8 *) principal, strlen(principal)) < 0 ||
		pg_hmac_final(ctx, digest, sizeof(digest)) < 0)
	{
		pg_hmac_free(ctx);
		elog(ERROR, "could not compute the principal's signature");
	}
	pg_hmac_free(ctx);
	for (i = 0; i < PG_SHA256_DIGEST_LENGTH; i++)
		sprintf(hex + 2 * i, "%02x", digest[i]);
}

bool
phrbac_citus_signature_valid(const char *principal, const char *signature)
{
	char		expected[PHRBAC_SIGNATURE_HEX_LEN + 1];
	int			difference = 0;
	int			i;

	/* the HMAC needs a resource owner, which every transaction has */
	if (cluster_secret == NULL || cluster_secret[0] == '\0' ||
		strlen(signature) != PHRBAC_SIGNATURE_HEX_LEN || CurrentResourceOwner == NULL)
		return false;
	sign(principal, expected);
	/* in constant time: how much of a guess matched must not show */
	for (i = 0; i < PHRBAC_SIGNATURE_HEX_LEN; i++)
		difference |= expected[i] ^ signature[i];
	return difference == 0;
}

bool
phrbac_citus_carries_principal(void)
{
	return cluster_secret != NULL && cluster_secret[0] != '\0' && citus_loaded();
}

void
phrbac_citus_set_principal(const char *principal)
{
	char		signature[PHRBAC_SIGNATURE_HEX_LEN + 1];
	char	   *command;
	int			nestlevel;

	sign(principal, signature);
	command = psprintf("SET LOCAL " PHRBAC_PRINCIPAL_SETTING " TO %s",
					   quote_literal_cstr(psprintf("%s%c%s", principal,
												   PHRBAC_SIGNATURE_SEPARATOR,
												   signature)));
	/* propagation on for this one command; the SET LOCAL outlives it */
	nestlevel = NewGUCNestLevel();
	set_citus_setting("citus.propagate_set_commands", "local", GUC_ACTION_SAVE);
	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	if (SPI_execute(command, false, 0) != SPI_OK_UTILITY)
		elog(ERROR, "could not set the principal");
	SPI_finish();
	AtEOXact_GUC(true, nestlevel);
}

void
phrbac_citus_allow_catalog_reads(void)
{
	if (citus_loaded())
		set_citus_setting("citus.allow_nested_distributed_execution", "on", GUC_ACTION_SAVE);
}

void
phrbac_citus_sequential_shard_commands(void)
{
	if (citus_loaded())
		set_citus_setting("citus.multi_shard_modify_mode", "sequential", GUC_ACTION_LOCAL);
}

/*
 * True when rel is a Citus shard of a reference table on a node other than
 * the coordinator.  A change to a reference table is made to its copy on
 * every node, and its row triggers fire on each; the coordinator's copy is
 * the one audited, so that each change is logged once, and the one checked
 * against what only the backend that made the change knows (that phrbac's
 * own function is writing an API key) (README, "Citus").
 * What a relation is never changes: the last answer is kept.
 */
bool
phrbac_citus_other_copy(Relation rel)
{
	static Oid	last_relation = InvalidOid;
	static bool last_answer = false;
	const char *name = RelationGetRelationName(rel);
	const char *suffix = strrchr(name, '_');
	Oid			types[2] = {INT8OID, OIDOID};
	Datum		values[2];
	bool		isnull;

	if (!citus_loaded())
		return false;
	if (RelationGetRelid(rel) == last_relation)
		return last_answer;
	last_answer = false;
	if (suffix != NULL && suffix[1] != '\0' &&
		strspn(suffix + 1, "0123456789") == strlen(suffix + 1))
	{
		values[0] = Int64GetDatum(strtoi64(suffix + 1, NULL, 10));
		values[1] = ObjectIdGetDatum(RelationGetRelid(rel));
		if (SPI_connect() != SPI_OK_CONNECT)
			elog(ERROR, "SPI_connect failed");
		if (SPI_execute_with_args("SELECT g.groupid OPERATOR(pg_catalog.<>) 0"
								  " FROM pg_catalog.pg_dist_local_group AS g,"
								  " pg_catalog.pg_dist_shard AS s"
								  " JOIN pg_catalog.pg_dist_partition AS p USING (logicalrelid)"
								  " JOIN pg_catalog.pg_class AS shell ON shell.oid OPERATOR(pg_catalog.=) s.logicalrelid"
								  " JOIN pg_catalog.pg_class AS c ON c.oid OPERATOR(pg_catalog.=) $2"
								  " WHERE s.shardid OPERATOR(pg_catalog.=) $1"
								  " AND p.partmethod OPERATOR(pg_catalog.=) 'n'"
								  " AND c.relnamespace OPERATOR(pg_catalog.=) shell.relnamespace"
								  " AND c.relname OPERATOR(pg_catalog.=) pg_catalog.format('%s_%s', shell.relname, s.shardid)",
								  2, types, values, NULL, true, 1) != SPI_OK_SELECT)
			elog(ERROR, "could not read Citus's metadata");
		if (SPI_processed == 1)
			last_answer = DatumGetBool(SPI_getbinval(SPI_tuptable->vals[0],
													 SPI_tuptable->tupdesc, 1, &isnull));
		SPI_finish();
	}
	last_relation = RelationGetRelid(rel);
	return last_answer;
}

/* phrbac.citus_other_copy(tbl), phrbac_citus_other_copy() for triggers in SQL. */
PG_FUNCTION_INFO_V1(phrbac_citus_other_copy_sql);
Datum
phrbac_citus_other_copy_sql(PG_FUNCTION_ARGS)
{
	Relation	rel = relation_open(PG_GETARG_OID(0), AccessShareLock);
	bool		other = phrbac_citus_other_copy(rel);

	relation_close(rel, AccessShareLock);
	PG_RETURN_BOOL(other);
}
