/*
 * audit_chain.c
 *     The hash chain of the audit log (README, "Audit log"): a row's
 *     canonical content, its hash over the row before it, and the lock that
 *     makes writers of one chain take turns.
 */
#include "postgres.h"

#include "common/cryptohash.h"
#include "common/sha2.h"
#include "miscadmin.h"
#include "storage/lock.h"
#include "utils/builtins.h"

#include "audit.h"

/* Advisory lock space of the chain locks ("ph" in the fourth field). */
#define CHAIN_LOCK_SPACE 0x7068

/* Appends an optional bigint, "" for none, then the field separator. */
static void
append_id(StringInfo buf, bool present, int64 value)
{
	if (present)
		appendStringInfo(buf, INT64_FORMAT, value);
	appendStringInfoChar(buf, '\x1f');
}

/*
 * The canonical content of a row's columns but the detail and the hashes,
 * in order, separated by the ASCII unit separator.  The writer and
 * phrbac_audit_verify() build it from the same values.
 */
static char *
audit_row_content(const AuditRow *row)
{
	StringInfoData buf;

	initStringInfo(&buf);
	append_id(&buf, true, row->id);
	append_id(&buf, true, row->created_at);
	append_id(&buf, row->has_organization, row->organization_id);
	append_id(&buf, row->has_project, row->project_id);
	append_id(&buf, row->user_id != 0, row->user_id);
	append_id(&buf, row->api_key_id != 0, row->api_key_id);
	appendStringInfo(&buf, "%s\x1f%s\x1f%s\x1f%s\x1f", row->db_user, row->scope,
					 row->activity, row->item_id ? row->item_id : "");
	return buf.data;
}

/*
 * SHA-256 over the previous row's hash, the record separator, the row's
 * content and its detail's jsonb bytes (jsonb's binary form is canonical:
 * one value, one form, whatever text it came from, so the bytes stay the
 * same through dumps and restores).
 */
char *
phrbac_audit_hash(const char *prev_hash, const AuditRow *row)
{
	pg_cryptohash_ctx *ctx = pg_cryptohash_create(PG_SHA256);
	char	   *content = audit_row_content(row);
	uint8		digest[PG_SHA256_DIGEST_LENGTH];
	char	   *hex = palloc(2 * PG_SHA256_DIGEST_LENGTH + 1);

	if (ctx == NULL || pg_cryptohash_init(ctx) < 0 ||
		pg_cryptohash_update(ctx, (const uint8 *) prev_hash, strlen(prev_hash)) < 0 ||
		pg_cryptohash_update(ctx, (const uint8 *) "\x1e", 1) < 0 ||
		pg_cryptohash_update(ctx, (const uint8 *) content, strlen(content)) < 0 ||
		pg_cryptohash_update(ctx, (const uint8 *) VARDATA_ANY(row->detail),
							 VARSIZE_ANY_EXHDR(row->detail)) < 0 ||
		pg_cryptohash_final(ctx, digest, sizeof(digest)) < 0)
		elog(ERROR, "could not hash an audit row: %s",
			 ctx ? pg_cryptohash_error(ctx) : "out of memory");
	pg_cryptohash_free(ctx);
	hex[hex_encode((const char *) digest, sizeof(digest), hex)] = '\0';
	pfree(content);
	return hex;
}

/* The lock of the chain of rows without organization differs from every organization's. */
void
phrbac_audit_lock_chain(bool has_organization, int64 organization_id)
{
	LOCKTAG		tag;

	SET_LOCKTAG_ADVISORY(tag, MyDatabaseId,
						 (uint32) ((uint64) organization_id >> 32),
						 (uint32) organization_id,
						 CHAIN_LOCK_SPACE + (has_organization ? 0 : 1));
	(void) LockAcquire(&tag, ExclusiveLock, false, false);
}

/*
 * The chains some transaction has locked and not yet released, read from
 * the lock manager.  A writer takes its chain's lock before it draws an id
 * and releases it only once its commit (or abort) is visible to everyone.
 */
List *
phrbac_audit_locked_chains(void)
{
	LockData   *locks = GetLockStatusData();
	List	   *chains = NIL;
	int			i;

	for (i = 0; i < locks->nelements; i++)
	{
		const LockInstanceData *lock = &locks->locks[i];
		const LOCKTAG *tag = &lock->locktag;
		AuditChain *chain;

		if (tag->locktag_type != LOCKTAG_ADVISORY ||
			tag->locktag_field1 != MyDatabaseId ||
			(tag->locktag_field4 != CHAIN_LOCK_SPACE &&
			 tag->locktag_field4 != CHAIN_LOCK_SPACE + 1) ||
			lock->holdMask == 0)
			continue;
		chain = palloc(sizeof(AuditChain));
		chain->has_organization = tag->locktag_field4 == CHAIN_LOCK_SPACE;
		chain->organization_id = (int64) (((uint64) tag->locktag_field2 << 32) |
										  (uint64) tag->locktag_field3);
		chains = lappend(chains, chain);
	}
	return chains;
}
