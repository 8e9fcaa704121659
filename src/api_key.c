/*
 * api_key.c
 *     Personal API keys (README, "API keys"): creating, rolling and
 *     revoking them, and phrbac_authenticate(), which makes a key's user the
 *     principal.
 *
 * A secret exists only in this file's memory and in the one result that
 * hands it to its owner: the catalog keeps its SHA-256 hash (PostgreSQL's
 * own cryptohash code) and its mask, and every message names a key by its
 * mask or id.  Errors about a presented key hide the statement from the
 * server log, since the statement holds the secret.
 *
 * phrbac.api_keys changes only through these functions while a principal is
 * set (the guard trigger below); without one, the DBA's plain SQL applies,
 * which is also how pg_dump restores the table.  How a key limits what its
 * principal does is principal_key.c's.
 */
#include "postgres.h"

#include "compat.h"

#include "access/xact.h"
#include "access/xlog.h"
#include "catalog/pg_type_d.h"
#include "common/cryptohash.h"
#include "common/sha2.h"
#include "executor/spi.h"
#include "fmgr.h"
#include "funcapi.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/timestamp.h"

#include "cache.h"
#include "citus.h"
#include "core/api_key.h"
#include "principal.h"
#include "principal_key.h"
#include "project_key.h"
#include "trigger.h"

/* How stale last_used_at may grow before an authentication rewrites it. */
#define LAST_USED_RESOLUTION USECS_PER_HOUR

/* Live keys a user may hold at once. */
#define MAX_LIVE_KEYS 10

/* Set while this file writes phrbac.api_keys; see the guard trigger. */
static bool writing_api_keys = false;

/* The SHA-256 digest of a key's text (principal_key.h). */
void
phrbac_api_key_digest(const char *key, size_t len, uint8 *digest)
{
	pg_cryptohash_ctx *ctx = pg_cryptohash_create(PG_SHA256);

	StaticAssertStmt(PG_SHA256_DIGEST_LENGTH == PHRBAC_API_KEY_DIGEST_BYTES,
					 "a SHA-256 digest is 32 bytes");
	if (ctx == NULL || pg_cryptohash_init(ctx) < 0 ||
		pg_cryptohash_update(ctx, (const uint8 *) key, len) < 0 ||
		pg_cryptohash_final(ctx, digest, PHRBAC_API_KEY_DIGEST_BYTES) < 0)
		elog(ERROR, "could not hash an API key: %s",
			 ctx ? pg_cryptohash_error(ctx) : "out of memory");
	pg_cryptohash_free(ctx);
}

/* A new key's text, with its stored hash and its mask. */
typedef struct NewKey
{
	char		text[PHRBAC_API_KEY_LEN + 1];
	char		secure_value[PHRBAC_API_KEY_SECURE_VALUE_LEN + 1];
	char		mask[PHRBAC_API_KEY_MASK_LEN + 1];
} NewKey;

static void
generate_key(NewKey *key)
{
	uint8		random[PHRBAC_API_KEY_RANDOM_BYTES];
	uint8		digest[PHRBAC_API_KEY_DIGEST_BYTES];

	if (!pg_strong_random(random, sizeof(random)))
		ereport(ERROR,
				(errcode(ERRCODE_INTERNAL_ERROR),
				 errmsg("could not generate random bytes for an API key")));
	phrbac_api_key_format(random, key->text);
	explicit_bzero(random, sizeof(random));
	phrbac_api_key_digest(key->text, PHRBAC_API_KEY_LEN, digest);
	phrbac_api_key_secure_value(digest, key->secure_value);
	phrbac_api_key_mask(key->text, key->mask);
}

/*
 * The principal's user, who must have logged in as a user: keys are managed
 * by people, never through a key.
 */
static int64
require_user_login(const char *action)
{
	PhrbacPrincipal principal;

	phrbac_current_principal(&principal);
	if (principal.user_id == 0)
		ereport(ERROR,
				(errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
				 errmsg("%s needs a principal", action),
				 errhint("The application sets one with phrbac_set_user().")));
	if (principal.api_key_id != 0)
		ereport(ERROR,
				(errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
				 errmsg("API keys cannot be managed through an API key"),
				 errdetail("The principal authenticated with API key " INT64_FORMAT ".",
						   principal.api_key_id)));
	return principal.user_id;
}

/* True when the user is an active, unexpired member of the organization. */
static bool
is_member(const PhrbacUserFacts *user, int64 organization_id,
		  PhrbacRole at_least)
{
	return phrbac_user_org_role(user, organization_id, phrbac_now()) >= at_least;
}

/* An int8[] argument's elements; refuses NULL elements and empty arrays. */
static int64 *
id_array(ArrayType *array, const char *name, int *count)
{
	Datum	   *elements;
	bool	   *nulls;
	int64	   *ids;
	int			i;

	deconstruct_array(array, INT8OID, sizeof(int64), FLOAT8PASSBYVAL,
					  TYPALIGN_DOUBLE, &elements, &nulls, count);
	if (*count == 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s must not be empty", name),
				 errhint("Leave it NULL for a key that is not limited this way.")));
	ids = palloc(sizeof(int64) * *count);
	for (i = 0; i < *count; i++)
	{
		if (nulls[i])
			ereport(ERROR,
					(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
					 errmsg("%s must not contain NULL", name)));
		ids[i] = DatumGetInt64(elements[i]);
	}
	return ids;
}

/*
 * Refuses to create a key reaching an organization whose members may not
 * use keys, unless the user administers it.
 */
static void
require_keys_allowed(const PhrbacUserFacts *user, int64 organization_id)
{
	const PhrbacOrganizationFacts *organization =
		phrbac_user_organization(user, organization_id);

	if (organization != NULL && !organization->members_can_use_api_keys &&
		!is_member(user, organization_id, PHRBAC_ROLE_ADMIN))
		ereport(ERROR,
				(errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
				 errmsg("only organization admins can use API keys in organization \"%s\"",
						phrbac_catalog_organization_name(organization_id)),
				 errhint("Scope the key to other organizations or projects.")));
}

/* What a new key is limited to; NULL: not limited that way. */
typedef struct KeyReach
{
	int64	   *projects;
	int			nprojects;
	int64	   *organizations;
	int			norganizations;
} KeyReach;

/*
 * Checks what a new key may reach: the user belongs to every scoped
 * project and organization, and every organization the key reaches lets
 * them use keys.
 */
static void
check_key_reach(const PhrbacUserFacts *user, const KeyReach *reach)
{
	const int64 *projects = reach->projects;
	const int64 *organizations = reach->organizations;
	int			i;

	for (i = 0; i < reach->nprojects; i++)
	{
		const PhrbacProjectFacts *project = phrbac_user_project(user, projects[i]);
		PhrbacFacts facts;
		int64		row_id;
		PhrbacSubject subject;

		phrbac_project_decision_facts(user, project, &facts);
		if (project == NULL ||
			(facts.organization.role < PHRBAC_ROLE_ADMIN &&
			 phrbac_decide_project_role(&facts, phrbac_now(), &row_id,
										&subject) == PHRBAC_ROLE_NONE) ||
			!is_member(user, user->organizations[project->organization].id,
					   PHRBAC_ROLE_MEMBER))
			ereport(ERROR,
					(errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
					 errmsg("you don't have access to the project"),
					 errdetail("Project " INT64_FORMAT " is in the key's scoped_projects.",
							   projects[i])));
		if (organizations == NULL)
			require_keys_allowed(user, user->organizations[project->organization].id);
	}
	for (i = 0; i < reach->norganizations; i++)
	{
		if (!is_member(user, organizations[i], PHRBAC_ROLE_MEMBER))
			ereport(ERROR,
					(errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
					 errmsg("you are not a member of organization \"%s\"",
							phrbac_catalog_organization_name(organizations[i])),
					 errdetail("The organization is in the key's scoped_organizations.")));
		require_keys_allowed(user, organizations[i]);
	}
	if (projects == NULL && organizations == NULL)
		for (i = 0; i < user->norganizations; i++)
			if (is_member(user, user->organizations[i].id, PHRBAC_ROLE_MEMBER))
				require_keys_allowed(user, user->organizations[i].id);
}

/* Runs one statement of this file's writes; returns SPI's result code. */
static int
execute(const char *sql, int nargs, Oid *types, Datum *values,
		const char *nulls)
{
	int			result;

	writing_api_keys = true;
	PG_TRY();
	{
		result = SPI_execute_with_args(sql, nargs, types, values, nulls,
									   false, 0);
	}
	PG_FINALLY();
	{
		writing_api_keys = false;
	}
	PG_END_TRY();
	if (result < 0)
		elog(ERROR, "phrbac API key statement failed: %s", sql);
	return result;
}

typedef struct InsertKey
{
	int64		user_id;
	const char *label;
	const NewKey *key;
	Datum		scopes;
	Datum		projects;		/* (Datum) 0: NULL */
	Datum		organizations;
	Datum		expires_at;
	bool		expires;
	Oid			scopes_type;
	int64		id;				/* out */
} InsertKey;

static void
insert_key(void *arg)
{
	InsertKey  *insert = arg;
	Oid			lock_types[1] = {INT8OID};
	Datum		lock_values[1] = {Int64GetDatum(insert->user_id)};
	Oid			types[8] = {INT8OID, TEXTOID, TEXTOID, TEXTOID,
	insert->scopes_type, INT8ARRAYOID, INT8ARRAYOID, TIMESTAMPTZOID};
	Datum		values[8];
	char		nulls[8] = "        ";

	/* one creation at a time per user, so the limit holds */
	execute("SELECT 1 FROM phrbac.users WHERE id = $1 FOR UPDATE",
			1, lock_types, lock_values, NULL);
	execute("SELECT count(*) FROM phrbac.api_keys"
			" WHERE user_id = $1 AND revoked_at IS NULL"
			"   AND (expires_at IS NULL OR expires_at > now())",
			1, lock_types, lock_values, NULL);
	if (phrbac_result_int64(0, 1) >= MAX_LIVE_KEYS)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("a user can hold at most %d live API keys", MAX_LIVE_KEYS),
				 errhint("Revoke one with phrbac_revoke_api_key().")));

	values[0] = Int64GetDatum(insert->user_id);
	values[1] = CStringGetTextDatum(insert->label);
	values[2] = CStringGetTextDatum(insert->key->mask);
	values[3] = CStringGetTextDatum(insert->key->secure_value);
	values[4] = insert->scopes;
	values[5] = insert->projects;
	nulls[5] = insert->projects == (Datum) 0 ? 'n' : ' ';
	values[6] = insert->organizations;
	nulls[6] = insert->organizations == (Datum) 0 ? 'n' : ' ';
	values[7] = insert->expires_at;
	nulls[7] = insert->expires ? ' ' : 'n';
	execute("INSERT INTO phrbac.api_keys (user_id, label, mask_value, secure_value,"
			"  scopes, scoped_projects, scoped_organizations, expires_at)"
			" VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
			8, types, values, nulls);
	insert->id = phrbac_result_int64(0, 1);
}

/*
 * Reads and checks phrbac_create_api_key()'s arguments into what the new
 * row holds (insert) and what the key may reach (reach).
 */
static void
read_key_arguments(FunctionCallInfo fcinfo, InsertKey *insert, KeyReach *reach)
{
	ArrayType  *scopes;

	insert->label = PG_ARGISNULL(0) ? "" : text_to_cstring(PG_GETARG_TEXT_PP(0));
	if (insert->label[strspn(insert->label, " \t\n\r")] == '\0')
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("an API key needs a label")));

	if (PG_ARGISNULL(1) || ArrayGetNItems(ARR_NDIM(PG_GETARG_ARRAYTYPE_P(1)),
										  ARR_DIMS(PG_GETARG_ARRAYTYPE_P(1))) == 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("an API key needs at least one scope"),
				 errhint("Use \"{*}\" for a key that may do everything its user may.")));
	scopes = PG_GETARG_ARRAYTYPE_P(1);
	if (array_contains_nulls(scopes))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("scopes must not contain NULL")));
	insert->scopes = PointerGetDatum(scopes);
	insert->scopes_type = get_fn_expr_argtype(fcinfo->flinfo, 1);
	if (!PG_ARGISNULL(2))
	{
		reach->projects = id_array(PG_GETARG_ARRAYTYPE_P(2), "scoped_projects",
								   &reach->nprojects);
		insert->projects = PG_GETARG_DATUM(2);
	}
	if (!PG_ARGISNULL(3))
	{
		reach->organizations = id_array(PG_GETARG_ARRAYTYPE_P(3), "scoped_organizations",
										&reach->norganizations);
		insert->organizations = PG_GETARG_DATUM(3);
	}
	if (!PG_ARGISNULL(4))
	{
		if (PG_GETARG_TIMESTAMPTZ(4) <= GetCurrentTransactionStartTimestamp())
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("expires_at must be in the future")));
		insert->expires_at = PG_GETARG_DATUM(4);
		insert->expires = true;
	}
}

/*
 * phrbac_create_api_key(label, scopes, scoped_projects, scoped_organizations,
 * expires_at) → TABLE(id, secret): a key for the logged-in user.
 */
PG_FUNCTION_INFO_V1(phrbac_create_api_key);
Datum
phrbac_create_api_key(PG_FUNCTION_ARGS)
{
	int64		user_id = require_user_login("creating an API key");
	const PhrbacUserFacts *user = phrbac_cache_user(user_id);
	InsertKey	insert = {.user_id = user_id};
	KeyReach	reach = {0};
	NewKey		key;
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	Datum		values[2];
	bool		nulls[2] = {false, false};

	read_key_arguments(fcinfo, &insert, &reach);
	if (!user->is_active)
		ereport(ERROR,
				(errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
				 errmsg("user " INT64_FORMAT " is deactivated", user_id)));
	check_key_reach(user, &reach);

	generate_key(&key);
	insert.key = &key;
	phrbac_as_catalog_owner(insert_key, &insert);

	InitMaterializedSRF(fcinfo, MAT_SRF_USE_EXPECTED_DESC);
	values[0] = Int64GetDatum(insert.id);
	values[1] = CStringGetTextDatum(key.text);
	tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
	explicit_bzero(key.text, sizeof(key.text));
	return (Datum) 0;
}

/* A key row, locked, with the organizations it reaches. */
typedef struct KeyRow
{
	int64		id;
	bool		found;
	int64		user_id;
	bool		revoked;
	int64	   *organizations;
	int			norganizations;
	MemoryContext context;		/* where organizations is allocated */
} KeyRow;

static void
lock_key(void *arg)
{
	KeyRow	   *row = arg;
	Oid			types[1] = {INT8OID};
	Datum		values[1] = {Int64GetDatum(row->id)};
	bool		isnull;
	Datum		organizations;

	execute("SELECT k.user_id, k.revoked_at IS NOT NULL,"
			"       CASE WHEN k.scoped_organizations IS NOT NULL"
			"            THEN k.scoped_organizations"
			"            WHEN k.scoped_projects IS NOT NULL"
			"            THEN ARRAY(SELECT p.organization_id FROM phrbac.projects p"
			"                        WHERE p.id = ANY (k.scoped_projects))"
			"            ELSE ARRAY(SELECT m.organization_id"
			"                         FROM phrbac.organization_members m"
			"                        WHERE m.user_id = k.user_id) END"
			"  FROM phrbac.api_keys k WHERE k.id = $1 FOR UPDATE OF k",
			1, types, values, NULL);
	if (SPI_processed == 0)
		return;
	row->found = true;
	row->user_id = phrbac_result_int64(0, 1);
	row->revoked = DatumGetBool(SPI_getbinval(SPI_tuptable->vals[0],
											  SPI_tuptable->tupdesc, 2, &isnull));
	organizations = SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc,
								  3, &isnull);
	row->organizations = phrbac_int8_array(organizations, &row->norganizations,
										   row->context);
}

/* Locks the key that argument 0 names; function names the caller. */
static void
find_key(KeyRow *row, FunctionCallInfo fcinfo, const char *function)
{
	if (PG_ARGISNULL(0))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("%s() needs a key id", function)));
	row->id = PG_GETARG_INT64(0);
	row->context = CurrentMemoryContext;
	phrbac_as_catalog_owner(lock_key, row);
	if (!row->found)
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_OBJECT),
				 errmsg("API key " INT64_FORMAT " does not exist", row->id)));
}

typedef struct RollKey
{
	int64		id;
	const NewKey *key;
} RollKey;

static void
roll_key(void *arg)
{
	RollKey    *roll = arg;
	Oid			types[3] = {INT8OID, TEXTOID, TEXTOID};
	Datum		values[3] = {Int64GetDatum(roll->id),
		CStringGetTextDatum(roll->key->secure_value),
	CStringGetTextDatum(roll->key->mask)};

	execute("UPDATE phrbac.api_keys SET secure_value = $2, mask_value = $3,"
			"       last_rolled_at = clock_timestamp()"
			" WHERE id = $1",
			3, types, values, NULL);
}

/*
 * phrbac_roll_api_key(id) → text: a new secret for the key; the old one and
 * every session authenticated with it stop working at once.  Only the key's
 * owner may roll it: the new secret acts as the owner.
 */
PG_FUNCTION_INFO_V1(phrbac_roll_api_key);
Datum
phrbac_roll_api_key(PG_FUNCTION_ARGS)
{
	int64		user_id = require_user_login("rolling an API key");
	KeyRow		row = {0};
	RollKey		roll;
	NewKey		key;
	text	   *secret;

	find_key(&row, fcinfo, "phrbac_roll_api_key");
	if (row.user_id != user_id)
		ereport(ERROR,
				(errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
				 errmsg("only the owner of an API key can roll it"),
				 errhint("An organization admin can revoke it with phrbac_revoke_api_key().")));
	if (row.revoked)
		ereport(ERROR,
				(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
				 errmsg("API key " INT64_FORMAT " is revoked", row.id),
				 errhint("Create a new key with phrbac_create_api_key().")));

	generate_key(&key);
	roll.id = row.id;
	roll.key = &key;
	phrbac_as_catalog_owner(roll_key, &roll);
	secret = cstring_to_text(key.text);
	explicit_bzero(key.text, sizeof(key.text));
	PG_RETURN_TEXT_P(secret);
}

/* One statement about one key ($1), for phrbac_as_catalog_owner(). */
typedef struct KeyStatement
{
	const char *sql;
	int64		id;
} KeyStatement;

static void
execute_key_statement(void *arg)
{
	KeyStatement *statement = arg;
	Oid			types[1] = {INT8OID};
	Datum		values[1] = {Int64GetDatum(statement->id)};

	execute(statement->sql, 1, types, values, NULL);
}

/*
 * phrbac_revoke_api_key(id): the key stops working at once, in every
 * session.  Its owner and the admins of the organizations it reaches may
 * revoke it; revoking a revoked key does nothing.
 */
PG_FUNCTION_INFO_V1(phrbac_revoke_api_key);
Datum
phrbac_revoke_api_key(PG_FUNCTION_ARGS)
{
	int64		user_id = require_user_login("revoking an API key");
	KeyRow		row = {0};
	bool		allowed;
	int			i;

	find_key(&row, fcinfo, "phrbac_revoke_api_key");
	allowed = row.user_id == user_id;
	for (i = 0; i < row.norganizations && !allowed; i++)
		allowed = is_member(phrbac_cache_user(user_id), row.organizations[i],
							PHRBAC_ROLE_ADMIN);
	if (!allowed)
		ereport(ERROR,
				(errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
				 errmsg("only the owner of an API key and admins of its organizations can revoke it")));
	if (!row.revoked)
	{
		KeyStatement revoke = {"UPDATE phrbac.api_keys SET revoked_at = now()"
			" WHERE id = $1 AND revoked_at IS NULL", row.id};

		phrbac_as_catalog_owner(execute_key_statement, &revoke);
	}
	PG_RETURN_VOID();
}

/* The mask of a well-formed key's text, palloc'd. */
static char *
mask_of(const char *key_text)
{
	char	   *mask = palloc(PHRBAC_API_KEY_MASK_LEN + 1);

	phrbac_api_key_mask(key_text, mask);
	return mask;
}

/*
 * Records that a key was used, at most once per LAST_USED_RESOLUTION, and
 * never where the database is read only (a hot standby, a read-only
 * transaction): authentication works there all the same.
 */
static void
note_key_used(PhrbacCachedKey *cached, const PhrbacKeyFacts *key)
{
	PhrbacTimestamp now = phrbac_now();
	PhrbacTimestamp last = Max(key->last_used_at, cached->touched_at);
	KeyStatement touch = {"UPDATE phrbac.api_keys SET last_used_at = now()"
		" WHERE id = $1 AND (last_used_at IS NULL"
		"                    OR last_used_at < now() - interval '1 hour')",
	cached->key.id};

	if (RecoveryInProgress() || XactReadOnly ||
		now - last < LAST_USED_RESOLUTION)
		return;
	phrbac_as_catalog_owner(execute_key_statement, &touch);
	cached->touched_at = now;
}

/*
 * phrbac_authenticate(token, is_local) → bigint: makes the key's user the
 * principal, restricted by the key, and returns the key's id.  Project
 * secret keys and project tokens go to project_key.c (a token returns
 * NULL).
 */
PG_FUNCTION_INFO_V1(phrbac_authenticate);
Datum
phrbac_authenticate(PG_FUNCTION_ARGS)
{
	text	   *token;
	const char *key_text;
	uint8		digest[PHRBAC_API_KEY_DIGEST_BYTES];
	PhrbacCachedKey *cached;
	const PhrbacUserFacts *user;
	const PhrbacKeyFacts *key;
	PhrbacPrincipal principal = {0};
	PhrbacTokenKind kind;

	if (PG_ARGISNULL(0))
		phrbac_refuse_key("No key was given.");
	if (PG_ARGISNULL(1))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("is_local must not be NULL")));
	token = PG_GETARG_TEXT_PP(0);
	key_text = VARDATA_ANY(token);
	kind = phrbac_token_kind(key_text, VARSIZE_ANY_EXHDR(token));
	if (kind == PHRBAC_TOKEN_PROJECT_KEY || kind == PHRBAC_TOKEN_PROJECT_TOKEN)
	{
		/* project credentials: project_key.c's; a token names no key */
		int64		key_id = phrbac_project_authenticate(kind, key_text,
														 PG_GETARG_BOOL(1));

		if (key_id == 0)
			PG_RETURN_NULL();
		PG_RETURN_INT64(key_id);
	}
	if (kind != PHRBAC_TOKEN_PERSONAL_KEY)
		phrbac_refuse_key("A key is \"phx_\", \"phs_\" or \"phc_\" followed by 64 hexadecimal digits.");
	phrbac_api_key_digest(key_text, PHRBAC_API_KEY_LEN, digest);

	cached = phrbac_cache_key_by_digest(digest);
	if (cached->key.id == 0)
		phrbac_refuse_key(psprintf("No key %s exists; it may have been rolled.",
							mask_of(key_text)));
	user = phrbac_cache_user(cached->key.user_id);
	key = phrbac_user_key(user, cached->key.id);
	if (key == NULL)
		phrbac_refuse_key(psprintf("Key %s was revoked.", mask_of(key_text)));
	if (!phrbac_is_live(key->expires_at, phrbac_now()))
		phrbac_refuse_key(psprintf("Key %s has expired.", key->mask));
	if (!user->is_active)
		phrbac_refuse_key(psprintf("Key %s belongs to a deactivated user.", key->mask));

	note_key_used(cached, key);

	principal.user_id = user->user_id;
	strlcpy(principal.auth_method, PHRBAC_AUTH_METHOD_API_KEY, sizeof(principal.auth_method));
	principal.api_key_id = key->id;
	principal.api_key_rolled_at = key->rolled_at;
	phrbac_principal_set(&principal, PG_GETARG_BOOL(1));
	PG_RETURN_INT64(key->id);
}

/*
 * The guard trigger on phrbac.api_keys (BEFORE INSERT OR UPDATE, per row):
 * while a principal is set, keys are created and changed only by the
 * functions above, so no secret or hash ever comes from outside.  Deleting
 * a key only takes access away and stays plain SQL.
 */
PG_FUNCTION_INFO_V1(phrbac_guard_api_keys);
Datum
phrbac_guard_api_keys(PG_FUNCTION_ARGS)
{
	TriggerData *trigdata = phrbac_trigger_data(fcinfo, "phrbac_guard_api_keys", true);
	PhrbacPrincipal principal;

	phrbac_current_principal(&principal);
	if (!writing_api_keys && phrbac_principal_is_set(&principal) &&
		!phrbac_citus_other_copy(trigdata->tg_relation))
		ereport(ERROR,
				(errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
				 errmsg("API keys change only through phrbac_create_api_key(), phrbac_roll_api_key() and phrbac_revoke_api_key()")));
	return PointerGetDatum(TRIGGER_FIRED_BY_UPDATE(trigdata->tg_event)
						   ? trigdata->tg_newtuple : trigdata->tg_trigtuple);
}
