/*
 * audit.h
 *     The audit log (README, "Audit log"): what the files of the log share,
 *     and what the rest of phrbac asks of it.
 *
 *     audit_chain.c    a row's canonical content and hash, and the chain lock
 *     audit_write.c    rows waiting in memory, written chained at commit
 *     audit_trigger.c  the row trigger that records a change
 *     audit_verify.c   phrbac_audit_verify()
 *     audit_prune.c    the append-only guard and phrbac_audit_prune()
 *     audit_partition.c the log's monthly partitions
 *     audit_export.c   phrbac_audit_export(), pages for SIEM pollers
 *
 * Design note.  Each organization's rows form one chain (rows with no
 * organization, such as users and API keys, form their own): a row's hash
 * is SHA-256 over the previous row's hash, the row's canonical content and
 * its detail's jsonb bytes.  The trigger only records a row in memory; the
 * transaction writes its rows just before it commits, chain by chain in
 * organization order: it takes a transaction-level advisory lock on the
 * chain, reads the chain's head with a fresh snapshot, and appends.  So
 * concurrent transactions, REPEATABLE READ ones included, extend a chain one
 * after the other, a chain is locked only from a writer's commit to its end
 * (or, for a transaction that causes more than a thousand rows, from then
 * on), and writers of different organizations never wait for each other.
 * Rows of a subtransaction that rolls back are forgotten with it.  The log
 * is append-only: a statement trigger refuses UPDATE, DELETE and TRUNCATE
 * (for its owner too), except while phrbac_audit_prune() removes old rows,
 * which leaves a checkpoint row naming the last pruned row's hash so that
 * the rest still verifies; and INSERT while a principal is set (the DBA's
 * inserts are pg_restore's; the writer's own fire no trigger).
 * phrbac_audit_export() counts on the order of a flush: a writer locks its
 * chain before it draws an id, and the lock goes only once its commit (or
 * abort) is visible (audit_export.c says why).  The log is partitioned by
 * month (audit_partition.c): the writer creates the partitions its rows
 * need before it opens the log, routes each row to its month's, and finds a
 * chain's head in the newest partition that holds the chain, which is why a
 * row is never dated before the row it follows.
 */
#ifndef PHRBAC_AUDIT_H
#define PHRBAC_AUDIT_H

#include "postgres.h"

#include "datatype/timestamp.h"
#include "nodes/pg_list.h"
#include "utils/jsonb.h"
#include "utils/relcache.h"

/* Registers the transaction callbacks that write the log; from _PG_init. */
extern void phrbac_audit_init(void);

/*
 * Runs fn(arg) with every audit row it causes recorded under one activity
 * ("sso_provisioned", "offboarded") instead of the row's own, so that a
 * governance step reads as one act in the log.  Only C callers can label:
 * SQL has no way to.
 */
extern void phrbac_audit_labelled(const char *activity,
								  void (*fn) (void *arg), void *arg);

/* The columns of phrbac.audit_log, in order (sql/install/audit.sql). */
enum
{
	Anum_audit_log_id = 1,
	Anum_audit_log_created_at,
	Anum_audit_log_organization_id,
	Anum_audit_log_project_id,
	Anum_audit_log_user_id,
	Anum_audit_log_api_key_id,
	Anum_audit_log_db_user,
	Anum_audit_log_scope,
	Anum_audit_log_activity,
	Anum_audit_log_item_id,
	Anum_audit_log_detail,
	Anum_audit_log_prev_hash,
	Anum_audit_log_hash,
	Natts_audit_log = Anum_audit_log_hash
};

/* One audit row, before it is chained. */
typedef struct AuditRow
{
	int64		id;
	TimestampTz created_at;
	bool		has_organization;
	int64		organization_id;
	bool		has_project;
	int64		project_id;
	int64		user_id;		/* 0: no principal */
	int64		api_key_id;		/* 0: none */
	const char *db_user;
	const char *scope;
	const char *activity;
	const char *item_id;		/* NULL: none */
	Jsonb	   *detail;
} AuditRow;

/* True when two rows belong to the same chain. */
static inline bool
phrbac_audit_same_chain(const AuditRow *x, const AuditRow *y)
{
	return x->has_organization == y->has_organization &&
		(!x->has_organization || x->organization_id == y->organization_id);
}

/*
 * A row's hash, in hex, palloc'd: SHA-256 over the previous row's hash and
 * the row (audit_chain.c).  The writer and phrbac_audit_verify() hash the
 * same values.
 */
extern char *phrbac_audit_hash(const char *prev_hash, const AuditRow *row);

/* Serializes writers of one chain until the transaction ends. */
extern void phrbac_audit_lock_chain(bool has_organization, int64 organization_id);

/* One chain: an organization's, or the chain of rows with none. */
typedef struct AuditChain
{
	bool		has_organization;
	int64		organization_id;
} AuditChain;

/*
 * The chains whose lock a transaction holds at this moment, prepared ones
 * included: a list of palloc'd AuditChain (audit_chain.c).
 */
extern List *phrbac_audit_locked_chains(void);

/*
 * Records one audit row, with the principal of this moment as its actor,
 * and detail (jsonb) as its detail: it waits in memory until the
 * transaction commits (audit_write.c).
 */
extern void phrbac_audit_append(AuditRow *row, Datum detail);

/*
 * The log's partitions (audit_partition.c).  The log is partitioned by
 * month of created_at; 0.1.0's unpartitioned log, still in place until
 * ALTER EXTENSION phrbac UPDATE, counts as its own one partition.
 */
/* The partition of the log holding moment, or InvalidOid when none does. */
extern Oid	phrbac_audit_partition_of(Relation log, TimestampTz moment);
/* The log's partitions (a list of Oid), newest first. */
extern List *phrbac_audit_partitions_newest_first(Relation log);
/* A partition and the end of its range (bounded false: none). */
typedef struct AuditPartition
{
	Oid			oid;
	bool		bounded;
	TimestampTz upper;
} AuditPartition;
/* The partitions of a partitioned log (AuditPartition), oldest first. */
extern List *phrbac_audit_partition_bounds(Relation log);
/*
 * Creates the partitions that moments need and the log lacks; called
 * before the writer opens the log for writing.
 */
extern void phrbac_audit_partitions_ensure(Oid log, const TimestampTz *moments, int count);

#endif							/* PHRBAC_AUDIT_H */
