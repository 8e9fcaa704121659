/*
 * project_key.c
 *     Project credentials (README, "Project keys and tokens"): project
 *     secret keys (phs_) and project tokens (phc_) belong to a project, not
 *     to a person.  This file authenticates them and decides for the
 *     principal they make; sql/install/project_key.sql creates, rolls,
 *     resets and revokes them.
 *
 * Such a principal has no user (user_id 0) and carries its project (see
 * principal.h).  A project token may only create events in its project; a
 * project key may do in its project what its scopes cover.  Every statement
 * reads the credential's row again (with its snapshot, on a standby too),
 * so a reset, a roll, a revocation or an expiry refuses it from the next
 * statement on, in every session.  Errors about a presented
 * credential hide the statement from the server log, as personal keys' do.
 */
#include "postgres.h"

#include "compat.h"

#include "access/xact.h"
#include "access/xlog.h"
#include "catalog/pg_type_d.h"
#include "executor/spi.h"
#include "fmgr.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/timestamp.h"

#include "cache.h"
#include "catalog.h"
#include "core/resource.h"
#include "core/scope.h"
#include "datum.h"
#include "principal_key.h"
#include "project_key.h"

/* How stale last_used_at may grow before an authentication rewrites it. */
#define LAST_USED_RESOLUTION USECS_PER_HOUR

/* A project credential's row, as a decision or an authentication needs it. */
typedef struct Credential
{
	bool		is_token;
	int64		key_id;			/* project keys: the key; tokens: 0 */
	int64		project_id;		/* in: the token's project; out: the key's */
	const char *secure_value;	/* in, authenticating: a key's hash, a
								 * token's text */
	bool		found;
	bool		revoked;
	TimestampTz expires_at;		/* DT_NOEND: never */
	int64		stamp;			/* keys: last_rolled_at, tokens: reset_at;
								 * 0 for never rolled */
	TimestampTz last_used_at;	/* 0: never */
	char		mask[PHRBAC_API_KEY_MASK_LEN + 1];
	PhrbacScope *scopes;
	int			nscopes;
	MemoryContext context;		/* where scopes are allocated */
} Credential;

/* A timestamptz column, or otherwise when NULL. */
static TimestampTz
column_time(int col, TimestampTz otherwise)
{
	bool		isnull;
	Datum		d = phrbac_result_datum(0, col, &isnull);

	return isnull ? otherwise : DatumGetTimestampTz(d);
}

static void
read_credential(void *arg)
{
	Credential *credential = arg;
	Oid			types[1];
	Datum		values[1];
	const char *sql;

	if (credential->is_token && credential->secure_value != NULL)
	{
		sql = "SELECT project_id, reset_at FROM phrbac.project_tokens WHERE token = $1";
		types[0] = TEXTOID;
		values[0] = CStringGetTextDatum(credential->secure_value);
	}
	else if (credential->is_token)
	{
		sql = "SELECT project_id, reset_at FROM phrbac.project_tokens WHERE project_id = $1";
		types[0] = INT8OID;
		values[0] = Int64GetDatum(credential->project_id);
	}
	else if (credential->secure_value != NULL)
	{
		sql = "SELECT project_id, last_rolled_at, revoked_at IS NOT NULL, expires_at,"
			"       last_used_at, mask_value, scopes, id"
			"  FROM phrbac.project_keys WHERE secure_value = $1";
		types[0] = TEXTOID;
		values[0] = CStringGetTextDatum(credential->secure_value);
	}
	else
	{
		sql = "SELECT project_id, last_rolled_at, revoked_at IS NOT NULL, expires_at,"
			"       last_used_at, mask_value, scopes, id"
			"  FROM phrbac.project_keys WHERE id = $1";
		types[0] = INT8OID;
		values[0] = Int64GetDatum(credential->key_id);
	}
	if (SPI_execute_with_args(sql, 1, types, values, NULL, true, 0) != SPI_OK_SELECT)
		elog(ERROR, "phrbac project credential query failed: %s", sql);
	if (SPI_processed == 0)
		return;
	credential->found = true;
	credential->project_id = phrbac_result_int64(0, 1);
	credential->stamp = column_time(2, 0);
	credential->expires_at = DT_NOEND;
	if (credential->is_token)
		return;
	credential->revoked = phrbac_result_bool(0, 3);
	credential->expires_at = column_time(4, DT_NOEND);
	credential->last_used_at = column_time(5, 0);
	{
		bool		isnull;
		Datum		scopes;
		Datum	   *elements;
		int			i;

		strlcpy(credential->mask,
				TextDatumGetCString(phrbac_result_datum(0, 6, &isnull)),
				sizeof(credential->mask));
		scopes = phrbac_result_datum(0, 7, &isnull);
		deconstruct_array(DatumGetArrayTypeP(scopes),
						  ARR_ELEMTYPE(DatumGetArrayTypeP(scopes)),
						  sizeof(int32), true, TYPALIGN_INT, &elements, NULL,
						  &credential->nscopes);
		credential->scopes = MemoryContextAlloc(credential->context,
												sizeof(PhrbacScope) * (credential->nscopes + 1));
		for (i = 0; i < credential->nscopes; i++)
			credential->scopes[i] = DatumGetPhrbacScope(elements[i]);
	}
	credential->key_id = phrbac_result_int64(0, 8);
}

/*
 * The last credential read, kept for the rest of its statement: a policy
 * that calls phrbac_can() per row reads the row once.  The statement (its
 * transaction's and its own start, and the command counter, which moves
 * after each of the session's own changes) is what the key names, so the
 * next statement reads again and sees what was committed meanwhile.
 */
typedef struct RememberedCredential
{
	bool		valid;
	TimestampTz transaction_start;
	TimestampTz statement_start;
	CommandId	command;
	int64		key_id;
	int64		project_id;
	Credential	credential;		/* scopes in TopMemoryContext */
} RememberedCredential;

static RememberedCredential remembered;

/* The principal's credential as the catalog holds it for this statement. */
static void
load_principal_credential(const PhrbacPrincipal *principal, Credential *credential)
{
	TimestampTz transaction_start = GetCurrentTransactionStartTimestamp();
	TimestampTz statement_start = GetCurrentStatementStartTimestamp();
	CommandId	command = GetCurrentCommandId(false);

	if (remembered.valid && remembered.transaction_start == transaction_start &&
		remembered.statement_start == statement_start &&
		remembered.command == command &&
		remembered.key_id == principal->api_key_id &&
		remembered.project_id == principal->project_id)
	{
		*credential = remembered.credential;
		return;
	}
	memset(credential, 0, sizeof(*credential));
	credential->is_token = principal->api_key_id == 0;
	credential->key_id = principal->api_key_id;
	credential->project_id = principal->project_id;
	credential->context = CurrentMemoryContext;
	phrbac_as_catalog_owner(read_credential, credential);

	if (remembered.valid && remembered.credential.scopes != NULL)
		pfree(remembered.credential.scopes);
	remembered.valid = false;
	remembered.credential = *credential;
	remembered.credential.scopes = NULL;
	if (credential->nscopes > 0)
	{
		remembered.credential.scopes =
			MemoryContextAlloc(TopMemoryContext, sizeof(PhrbacScope) * credential->nscopes);
		memcpy(remembered.credential.scopes, credential->scopes,
			   sizeof(PhrbacScope) * credential->nscopes);
	}
	remembered.credential.secure_value = NULL;
	remembered.transaction_start = transaction_start;
	remembered.statement_start = statement_start;
	remembered.command = command;
	remembered.key_id = principal->api_key_id;
	remembered.project_id = principal->project_id;
	remembered.valid = true;
}

/*
 * Why the principal's credential no longer works, or NULL when it does: a
 * reset token, a revoked, rolled or expired key, a project that is gone.
 */
static const char *
credential_refusal(const PhrbacPrincipal *principal, const Credential *credential)
{
	if (credential->is_token)
	{
		if (!credential->found || credential->stamp != principal->api_key_rolled_at)
			return psprintf("The project token of project " INT64_FORMAT " was reset.",
							principal->project_id);
		return NULL;
	}
	if (!credential->found || credential->revoked ||
		credential->project_id != principal->project_id ||
		credential->stamp != principal->api_key_rolled_at)
		return psprintf("Project key " INT64_FORMAT " was revoked or rolled.",
						principal->api_key_id);
	if (!phrbac_is_live(credential->expires_at, phrbac_now()))
		return psprintf("Project key " INT64_FORMAT " has expired.", principal->api_key_id);
	return NULL;
}

/* The refusal of a request a live credential cannot make, or NULL. */
typedef enum CredentialDenial
{
	DENY_NONE,
	DENY_OTHER_PROJECT,
	DENY_NOT_INGESTION,
	DENY_MISSING_SCOPE
} CredentialDenial;

static CredentialDenial
credential_denial(const Credential *credential, const PhrbacAsk *ask,
				  PhrbacScope *needed)
{
	int			i;

	needed->resource = ask->want.resource;
	needed->access = phrbac_scope_access_needed(ask->want.actions);
	if (ask->project_id != credential->project_id)
		return DENY_OTHER_PROJECT;
	/* "event:create" reads as view+create (creating implies viewing) */
	if (credential->is_token)
		return ask->want.resource == phrbac_resource_lookup("event", 5) &&
			(ask->want.actions & PHRBAC_ACTION_CREATE) != 0 &&
			phrbac_actions_cover(PHRBAC_ACTION_VIEW | PHRBAC_ACTION_CREATE,
								 ask->want.actions)
			? DENY_NONE : DENY_NOT_INGESTION;
	for (i = 0; i < credential->nscopes; i++)
		if (phrbac_scope_covers(&credential->scopes[i], needed))
			return DENY_NONE;
	return DENY_MISSING_SCOPE;
}

int
phrbac_credential_can(const PhrbacPrincipal *principal, const PhrbacAsk *ask)
{
	Credential	credential;
	PhrbacScope needed;

	if (principal->project_id == 0)
		return -1;
	load_principal_credential(principal, &credential);
	return credential_refusal(principal, &credential) == NULL &&
		credential_denial(&credential, ask, &needed) == DENY_NONE;
}

bool
phrbac_credential_require(const PhrbacAsk *ask)
{
	PhrbacPrincipal principal;
	Credential	credential;
	PhrbacScope needed;
	const char *refusal;
	char		want[PHRBAC_GRANT_TEXT_MAX];

	phrbac_current_principal(&principal);
	if (principal.project_id == 0)
		return false;
	load_principal_credential(&principal, &credential);
	if ((refusal = credential_refusal(&principal, &credential)) != NULL)
		phrbac_refuse_key(refusal);
	phrbac_grant_format(&ask->want, want);
	switch (credential_denial(&credential, ask, &needed))
	{
		case DENY_NONE:
			return true;
		case DENY_OTHER_PROJECT:
			ereport(ERROR,
					(errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
					 errmsg("%s does not have access to the requested project: ID " INT64_FORMAT,
							credential.is_token ? "project token" : "project key",
							ask->project_id),
					 errdetail("It belongs to project " INT64_FORMAT ".",
							   credential.project_id)));
			break;
		case DENY_NOT_INGESTION:
			ereport(ERROR,
					(errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
					 errmsg("a project token can only create events"),
					 errdetail("Requested %s in project " INT64_FORMAT ".",
							   want, ask->project_id),
					 errhint("Use a project secret key (phs_) or a personal API key for anything but ingestion.")));
			break;
		case DENY_MISSING_SCOPE:
			phrbac_refuse_missing_scope(&needed);
			break;
	}
	return true;
}

ArrayType *
phrbac_credential_projects(const PhrbacPrincipal *principal, const PhrbacGrant *want)
{
	PhrbacAsk	ask = {.project_id = principal->project_id, .want = *want};
	Datum		project = Int64GetDatum(principal->project_id);

	if (phrbac_credential_can(principal, &ask) != 1)
		return construct_empty_array(INT8OID);
	return construct_array(&project, 1, INT8OID, sizeof(int64), true, TYPALIGN_DOUBLE);
}

void
phrbac_refuse_credential_catalog_write(const PhrbacPrincipal *principal)
{
	ereport(ERROR,
			(errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
			 errmsg("a %s cannot change phrbac's catalog",
					principal->api_key_id != 0 ? "project key" : "project token"),
			 errdetail("The principal authenticated with a %s of project " INT64_FORMAT ".",
					   principal->api_key_id != 0 ? "project key" : "project token",
					   principal->project_id)));
}

void
phrbac_refuse_credential_inspection(const PhrbacPrincipal *principal)
{
	ereport(ERROR,
			(errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
			 errmsg("a %s cannot look at users' access",
					principal->api_key_id != 0 ? "project key" : "project token")));
}

/* Stamps a project key's last_used_at (see note_key_used() in api_key.c). */
static void
touch_key(void *arg)
{
	Oid			types[1] = {INT8OID};
	Datum		values[1] = {Int64GetDatum(*(int64 *) arg)};

	if (SPI_execute_with_args("UPDATE phrbac.project_keys SET last_used_at = now()"
							  " WHERE id = $1 AND (last_used_at IS NULL"
							  "                    OR last_used_at < now() - interval '1 hour')",
							  1, types, values, NULL, false, 0) < 0)
		elog(ERROR, "could not note the use of project key " INT64_FORMAT,
			 *(int64 *) arg);
}

static void
note_key_used(const Credential *credential)
{
	int64		id = credential->key_id;
	int			level;

	if (RecoveryInProgress() || XactReadOnly ||
		(credential->last_used_at != 0 &&
		 phrbac_now() - credential->last_used_at < LAST_USED_RESOLUTION))
		return;
	/* a credential principal set before changes no catalog row */
	level = phrbac_principal_suspend();
	phrbac_as_catalog_owner(touch_key, &id);
	phrbac_principal_resume(level);
}

/* The mask of a well-formed token's text, palloc'd. */
static char *
mask_of(const char *text)
{
	char	   *mask = palloc(PHRBAC_API_KEY_MASK_LEN + 1);

	phrbac_api_key_mask(text, mask);
	return mask;
}

int64
phrbac_project_authenticate(PhrbacTokenKind kind, const char *text, bool is_local)
{
	Credential	credential = {0};
	PhrbacPrincipal principal = {0};

	credential.context = CurrentMemoryContext;
	if (kind == PHRBAC_TOKEN_PROJECT_TOKEN)
	{
		/* a token is public: the catalog keeps it as it is */
		credential.is_token = true;
		credential.secure_value = pnstrdup(text, PHRBAC_API_KEY_LEN);
		phrbac_as_catalog_owner(read_credential, &credential);
		if (!credential.found)
			phrbac_refuse_key(psprintf("No project token %s exists; it may have been reset.",
									   mask_of(text)));
		strlcpy(principal.auth_method, PHRBAC_AUTH_METHOD_PROJECT_TOKEN,
				sizeof(principal.auth_method));
	}
	else
	{
		uint8		digest[PHRBAC_API_KEY_DIGEST_BYTES];
		char		secure_value[PHRBAC_API_KEY_SECURE_VALUE_LEN + 1];

		Assert(kind == PHRBAC_TOKEN_PROJECT_KEY);
		phrbac_api_key_digest(text, PHRBAC_API_KEY_LEN, digest);
		phrbac_api_key_secure_value(digest, secure_value);
		credential.secure_value = secure_value;
		phrbac_as_catalog_owner(read_credential, &credential);
		if (!credential.found)
			phrbac_refuse_key(psprintf("No project key %s exists; it may have been rolled.",
									   mask_of(text)));
		if (credential.revoked)
			phrbac_refuse_key(psprintf("Project key %s was revoked.", credential.mask));
		if (!phrbac_is_live(credential.expires_at, phrbac_now()))
			phrbac_refuse_key(psprintf("Project key %s has expired.", credential.mask));
		note_key_used(&credential);
		strlcpy(principal.auth_method, PHRBAC_AUTH_METHOD_PROJECT_KEY,
				sizeof(principal.auth_method));
		principal.api_key_id = credential.key_id;
	}
	principal.project_id = credential.project_id;
	principal.api_key_rolled_at = credential.stamp;
	phrbac_principal_set(&principal, is_local);
	return credential.key_id;
}

/* phrbac_principal_project_id(): a project credential's project, or NULL. */
PG_FUNCTION_INFO_V1(phrbac_principal_project_id);
Datum
phrbac_principal_project_id(PG_FUNCTION_ARGS)
{
	PhrbacPrincipal principal;

	phrbac_current_principal(&principal);
	if (principal.project_id == 0)
		PG_RETURN_NULL();
	PG_RETURN_INT64(principal.project_id);
}
