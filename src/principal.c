/*
 * principal.c
 *     The principal of the current request, kept in the setting
 *     phrbac.principal so that it follows transaction and session scope
 *     (SET LOCAL semantics) and reaches parallel workers with the rest of
 *     the GUC state.
 *
 * The setting cannot be forged: its check hook refuses every change that
 * does not come through phrbac_principal_set() (phrbac_set_user(),
 * phrbac_authenticate() and phrbac_sso_login()), except the copy a
 * parallel worker restores from its leader and a value signed with the
 * cluster secret, which is how the principal reaches Citus workers
 * (citus.c).  RESET and DISCARD ALL clear it.
 *
 * The value is "<user_id>:<auth_method>:<api_key_id>:<api_key_rolled_at>",
 * with ":<project_id>" after it for a project credential (user_id 0), or ""
 * for none; under Citus, followed by "/<signature>".
 */
#include "postgres.h"

#include "compat.h"

#include "access/parallel.h"
#include "fmgr.h"
#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/guc.h"

#include "cache.h"
#include "citus.h"
#include "principal.h"

static char *principal_setting = NULL;
static PhrbacPrincipal current_principal;
static bool principal_change_authorized = false;

/* True for a name made of lower-case letters, digits and "-". */
static bool
auth_method_is_valid(const char *method)
{
	size_t		len = strlen(method);
	size_t		i;

	if (len == 0 || len > PHRBAC_AUTH_METHOD_MAX)
		return false;
	for (i = 0; i < len; i++)
		if (!((method[i] >= 'a' && method[i] <= 'z') ||
			  (method[i] >= '0' && method[i] <= '9') || method[i] == '-'))
			return false;
	return true;
}

static bool
parse_principal(const char *value, PhrbacPrincipal *principal)
{
	long long	user_id;
	long long	api_key_id;
	long long	api_key_rolled_at;
	long long	project_id = 0;
	int			consumed = 0;

	memset(principal, 0, sizeof(*principal));
	if (value[0] == '\0')
		return true;
	if (sscanf(value, "%lld:%32[a-z0-9-]:%lld:%lld%n", &user_id,
			   principal->auth_method, &api_key_id, &api_key_rolled_at,
			   &consumed) != 4)
		return false;
	if (value[consumed] == ':')
	{
		int			more = 0;

		if (sscanf(value + consumed, ":%lld%n", &project_id, &more) != 1 ||
			project_id <= 0 || user_id != 0)
			return false;
		consumed += more;
	}
	if (value[consumed] != '\0' || user_id < 0 ||
		(user_id == 0) != (project_id != 0) || api_key_id < 0)
		return false;
	principal->user_id = user_id;
	principal->api_key_id = api_key_id;
	principal->api_key_rolled_at = api_key_rolled_at;
	principal->project_id = project_id;
	return auth_method_is_valid(principal->auth_method);
}

static bool
check_principal(char **newval, void **extra, GucSource source)
{
	PhrbacPrincipal parsed;
	PhrbacPrincipal *copy;
	char	   *value = pstrdup(*newval);
	char	   *signature = strchr(value, PHRBAC_SIGNATURE_SEPARATOR);
	bool		signed_here = false;

	if (signature != NULL)
	{
		*signature++ = '\0';
		signed_here = phrbac_citus_signature_valid(value, signature);
	}
	if (source != PGC_S_DEFAULT && !principal_change_authorized &&
		!InitializingParallelWorker && !signed_here)
	{
		GUC_check_errcode(ERRCODE_INSUFFICIENT_PRIVILEGE);
		GUC_check_errmsg("the principal can only be set by phrbac_set_user() or phrbac_authenticate()");
		if (signature != NULL)
			GUC_check_errdetail("Its signature does not match this node's phrbac.cluster_secret.");
		return false;
	}
	if (!parse_principal(value, &parsed))
	{
		GUC_check_errdetail("A principal is \"<user_id>:<auth_method>:<api_key_id>:<api_key_rolled_at>\".");
		return false;
	}
	copy = guc_malloc(LOG, sizeof(PhrbacPrincipal));
	if (copy == NULL)
		return false;
	*copy = parsed;
	*extra = copy;
	return true;
}

static void
assign_principal(const char *newval, void *extra)
{
	current_principal = *(PhrbacPrincipal *) extra;
}

void
phrbac_principal_init(void)
{
	DefineCustomStringVariable(PHRBAC_PRINCIPAL_SETTING,
							   "The principal of the current request (set by phrbac_set_user()).",
							   "Read only: only phrbac's functions change it.",
							   &principal_setting,
							   "",
							   PGC_USERSET,
							   GUC_NOT_IN_SAMPLE | GUC_DISALLOW_IN_FILE |
							   GUC_DISALLOW_IN_AUTO_FILE,
							   check_principal, assign_principal, NULL);
}

/*
 * Gives phrbac.principal a value, the one way it changes (see above); under
 * Citus, carried to the transaction's other nodes (for_cluster).
 */
static void
set_principal_setting(const char *value, GucAction action, bool for_cluster)
{
	principal_change_authorized = true;
	PG_TRY();
	{
		if (for_cluster)
			phrbac_citus_set_principal(value);
		else
			(void) set_config_option(PHRBAC_PRINCIPAL_SETTING, value, PGC_USERSET,
									 PGC_S_SESSION, action, true, 0, false);
	}
	PG_FINALLY();
	{
		principal_change_authorized = false;
	}
	PG_END_TRY();
}

void
phrbac_principal_set(const PhrbacPrincipal *principal, bool is_local)
{
	char	   *value = !phrbac_principal_is_set(principal) ? "" :
		psprintf(INT64_FORMAT ":%s:" INT64_FORMAT ":" INT64_FORMAT,
				 principal->user_id, principal->auth_method,
				 principal->api_key_id, principal->api_key_rolled_at);

	if (principal->project_id != 0)
		value = psprintf("%s:" INT64_FORMAT, value, principal->project_id);

	if (!phrbac_citus_carries_principal())
	{
		set_principal_setting(value, is_local ? GUC_ACTION_LOCAL : GUC_ACTION_SET, false);
		return;
	}
	/* Citus carries settings to workers for a transaction, never a session */
	if (!is_local && phrbac_principal_is_set(principal))
		ereport(ERROR,
				(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
				 errmsg("a session principal cannot reach Citus workers"),
				 errdetail("Citus carries settings to the nodes of a transaction, not of a session."),
				 errhint("Set the principal for the transaction (is_local => true) inside BEGIN ... COMMIT.")));
	if (!is_local)				/* clearing it: the session's as well */
		set_principal_setting("", GUC_ACTION_SET, false);
	set_principal_setting(value, GUC_ACTION_LOCAL, true);
}

int
phrbac_principal_suspend(void)
{
	int			level = NewGUCNestLevel();

	set_principal_setting("", GUC_ACTION_SAVE, false);
	return level;
}

void
phrbac_principal_resume(int level)
{
	AtEOXact_GUC(true, level);
}

void
phrbac_current_principal(PhrbacPrincipal *principal)
{
	if (phrbac_principal_is_set(&current_principal))
	{
		*principal = current_principal;
		return;
	}
	memset(principal, 0, sizeof(*principal));
	principal->user_id = phrbac_cache_db_role_user(GetSessionUserId());
	if (principal->user_id != 0)
		strcpy(principal->auth_method, "database");
}

/*
 * phrbac_set_user(user_id, auth_method, is_local): for trusted back ends
 * (EXECUTE is revoked from PUBLIC).  The user must exist.
 */
PG_FUNCTION_INFO_V1(phrbac_set_user);
Datum
phrbac_set_user(PG_FUNCTION_ARGS)
{
	PhrbacPrincipal principal = {0};
	char	   *method;

	if (PG_ARGISNULL(0) || PG_ARGISNULL(1) || PG_ARGISNULL(2))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("phrbac_set_user() takes no NULL argument")));
	principal.user_id = PG_GETARG_INT64(0);
	method = text_to_cstring(PG_GETARG_TEXT_PP(1));
	if (!auth_method_is_valid(method) || strcmp(method, PHRBAC_AUTH_METHOD_API_KEY) == 0 ||
		strncmp(method, "project-", 8) == 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("invalid auth method: \"%s\"", method),
				 errhint("Use a name such as \"password\", \"saml\" or \"google-oauth2\"; \"" PHRBAC_AUTH_METHOD_API_KEY "\" and \"project-...\" are phrbac_authenticate()'s.")));
	strcpy(principal.auth_method, method);
	if (!phrbac_cache_user_exists(principal.user_id))
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_OBJECT),
				 errmsg("phrbac user " INT64_FORMAT " does not exist",
						principal.user_id)));
	phrbac_principal_set(&principal, PG_GETARG_BOOL(2));
	PG_RETURN_VOID();
}

/* phrbac_reset(): clears the principal set in this transaction or session. */
PG_FUNCTION_INFO_V1(phrbac_reset);
Datum
phrbac_reset(PG_FUNCTION_ARGS)
{
	PhrbacPrincipal none = {0};

	phrbac_principal_set(&none, false);
	PG_RETURN_VOID();
}

/* The principal's user id, auth method and API key id, for SQL. */
PG_FUNCTION_INFO_V1(phrbac_principal_user_id);
Datum
phrbac_principal_user_id(PG_FUNCTION_ARGS)
{
	PhrbacPrincipal principal;

	phrbac_current_principal(&principal);
	if (principal.user_id == 0)
		PG_RETURN_NULL();
	PG_RETURN_INT64(principal.user_id);
}

PG_FUNCTION_INFO_V1(phrbac_principal_auth_method);
Datum
phrbac_principal_auth_method(PG_FUNCTION_ARGS)
{
	PhrbacPrincipal principal;

	phrbac_current_principal(&principal);
	if (!phrbac_principal_is_set(&principal))
		PG_RETURN_NULL();
	PG_RETURN_TEXT_P(cstring_to_text(principal.auth_method));
}

PG_FUNCTION_INFO_V1(phrbac_principal_api_key_id);
Datum
phrbac_principal_api_key_id(PG_FUNCTION_ARGS)
{
	PhrbacPrincipal principal;

	phrbac_current_principal(&principal);
	if (principal.api_key_id == 0)
		PG_RETURN_NULL();
	PG_RETURN_INT64(principal.api_key_id);
}
