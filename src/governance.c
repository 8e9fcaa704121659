/*
 * governance.c
 *     The acts of governance that change many rows at once (README,
 *     "Governance"): an SSO login, which provisions a user and syncs their
 *     roles on the identity provider's word, and offboarding a user from an
 *     organization.
 *
 * Each act is a SQL body (phrbac.sso_login_steps, phrbac.offboard_steps in
 * sql/install/governance.sql) that this file calls through fmgr, with every
 * audit row the body causes labelled with the act.  fmgr checks no EXECUTE
 * privilege, so the bodies can stay revoked from PUBLIC: nobody runs them
 * unlabelled.
 */
#include "postgres.h"

#include "catalog/namespace.h"
#include "catalog/pg_proc.h"
#include "catalog/pg_type_d.h"
#include "fmgr.h"
#include "utils/builtins.h"
#include "utils/syscache.h"

#include "audit.h"
#include "governance.h"
#include "principal.h"


/*
 * The body's oid, found without the caller's USAGE on schema phrbac: the
 * caller of phrbac_sso_login() need have none.
 */
static Oid
body_oid(const GovernanceCall *call)
{
	Oid			oid = GetSysCacheOid3(PROCNAMEARGSNSP, Anum_pg_proc_oid,
									  CStringGetDatum(call->body),
									  PointerGetDatum(buildoidvector(call->types, call->nargs)),
									  ObjectIdGetDatum(get_namespace_oid("phrbac", false)));

	if (!OidIsValid(oid))
		elog(ERROR, "function phrbac.%s is missing", call->body);
	return oid;
}

void
phrbac_governance_call(void *arg)
{
	GovernanceCall *call = (GovernanceCall *) arg;
	FmgrInfo	flinfo;
	int			i;

	LOCAL_FCINFO(fcinfo, GOVERNANCE_MAX_ARGS);

	fmgr_info(body_oid(call), &flinfo);
	InitFunctionCallInfoData(*fcinfo, &flinfo, call->nargs, InvalidOid, NULL, NULL);
	for (i = 0; i < call->nargs; i++)
	{
		fcinfo->args[i].value = call->args[i];
		fcinfo->args[i].isnull = call->nulls[i];
	}
	call->result = FunctionCallInvoke(fcinfo);
	if (fcinfo->isnull)
		elog(ERROR, "phrbac.%s returned NULL", call->body);
}

/* Raises 22004 when one of the first count arguments is NULL. */
static void
require_arguments(FunctionCallInfo fcinfo, int count, const char *message)
{
	int			i;

	for (i = 0; i < count; i++)
		if (PG_ARGISNULL(i))
			ereport(ERROR,
					(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
					 errmsg("%s", message)));
}

/*
 * phrbac_sso_login(email, organization_id, idp_groups, is_local): for
 * trusted back ends, once the IdP has vouched for email.  The previous
 * principal, if any, takes no part: the login's writes are the IdP's.
 */
PG_FUNCTION_INFO_V1(phrbac_sso_login);
Datum
phrbac_sso_login(PG_FUNCTION_ARGS)
{
	GovernanceCall call = {.body = "sso_login_steps", .nargs = 3,
	.types = {TEXTOID, INT8OID, TEXTARRAYOID}};
	PhrbacPrincipal principal = {0};
	int			i;

	require_arguments(fcinfo, 4, "phrbac_sso_login() takes no NULL argument");
	for (i = 0; i < call.nargs; i++)
		call.args[i] = PG_GETARG_DATUM(i);
	phrbac_principal_set(&principal, true);
	phrbac_audit_labelled("sso_provisioned", phrbac_governance_call, &call);

	principal.user_id = DatumGetInt64(call.result);
	strcpy(principal.auth_method, "saml");
	phrbac_principal_set(&principal, PG_GETARG_BOOL(3));
	PG_RETURN_INT64(principal.user_id);
}

/*
 * phrbac_offboard(user_id, organization_id, transfer_to): with the caller's
 * privileges and principal; returns the body's summary.
 */
PG_FUNCTION_INFO_V1(phrbac_offboard);
Datum
phrbac_offboard(PG_FUNCTION_ARGS)
{
	GovernanceCall call = {.body = "offboard_steps", .nargs = 3,
	.types = {INT8OID, INT8OID, INT8OID}};
	int			i;

	require_arguments(fcinfo, 2, "phrbac_offboard() takes NULL only for transfer_to");
	for (i = 0; i < call.nargs; i++)
	{
		call.nulls[i] = PG_ARGISNULL(i);
		call.args[i] = call.nulls[i] ? (Datum) 0 : PG_GETARG_DATUM(i);
	}
	phrbac_audit_labelled("offboarded", phrbac_governance_call, &call);
	PG_RETURN_DATUM(call.result);
}
