/*
 * governance.c
 *     The acts of governance that change many rows at once (README,
 *     "Governance"): an SSO login, which provisions a user and syncs their
 *     roles on the identity provider's word, offboarding a user from an
 *     organization, and SCIM's provisioning, deprovisioning and group
 *     pushes (README, "SCIM").
 *
 * Each act is a SQL body (phrbac.sso_login_steps, phrbac.offboard_steps in
 * sql/install/governance.sql, phrbac.scim_*_steps in sql/install/scim.sql)
 * that this file calls through fmgr, with every
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
#include "citus.h"
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

/*
 * Raises 22004 when one of the first count arguments is NULL, but for the
 * argument nullable (-1: none).
 */
static void
require_arguments(FunctionCallInfo fcinfo, int count, int nullable, const char *message)
{
	int			i;

	for (i = 0; i < count; i++)
		if (PG_ARGISNULL(i) && i != nullable)
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

	require_arguments(fcinfo, 4, -1, "phrbac_sso_login() takes no NULL argument");
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

	require_arguments(fcinfo, 2, -1, "phrbac_offboard() takes NULL only for transfer_to");
	for (i = 0; i < call.nargs; i++)
	{
		call.nulls[i] = PG_ARGISNULL(i);
		call.args[i] = call.nulls[i] ? (Datum) 0 : PG_GETARG_DATUM(i);
	}
	phrbac_citus_sequential_shard_commands();
	phrbac_audit_labelled("offboarded", phrbac_governance_call, &call);
	PG_RETURN_DATUM(call.result);
}

/*
 * A SCIM act: its body called with the caller's arguments (NULL where the
 * caller gave NULL) and no principal, as the identity provider's word is
 * the authority (as a DBA's is); the caller's principal is back afterwards.
 */
static Datum
scim_call(FunctionCallInfo fcinfo, GovernanceCall *call, const char *activity)
{
	int			level;
	int			i;

	for (i = 0; i < call->nargs; i++)
	{
		call->nulls[i] = PG_ARGISNULL(i);
		call->args[i] = call->nulls[i] ? (Datum) 0 : PG_GETARG_DATUM(i);
	}
	level = phrbac_principal_suspend();
	phrbac_audit_labelled(activity, phrbac_governance_call, call);
	phrbac_principal_resume(level);
	return call->result;
}

/*
 * phrbac_scim_upsert_user(organization_id, external_id, email, name, active,
 * groups): creates or updates a SCIM identity and its user; labelled
 * scim_provisioned, or scim_deprovisioned when active is false.  name and
 * groups may be NULL (kept as they are).
 */
PG_FUNCTION_INFO_V1(phrbac_scim_upsert_user);
Datum
phrbac_scim_upsert_user(PG_FUNCTION_ARGS)
{
	GovernanceCall call = {.body = "scim_upsert_user_steps", .nargs = 6,
		.types = {INT8OID, TEXTOID, TEXTOID, TEXTOID, BOOLOID, TEXTARRAYOID}};

	require_arguments(fcinfo, 5, 3, "phrbac_scim_upsert_user() takes NULL only for name and groups");
	PG_RETURN_DATUM(scim_call(fcinfo, &call,
							  PG_GETARG_BOOL(4) ? "scim_provisioned" : "scim_deprovisioned"));
}

/* phrbac_scim_delete_user(organization_id, external_id): scim_deprovisioned. */
PG_FUNCTION_INFO_V1(phrbac_scim_delete_user);
Datum
phrbac_scim_delete_user(PG_FUNCTION_ARGS)
{
	GovernanceCall call = {.body = "scim_delete_user_steps", .nargs = 2,
	.types = {INT8OID, TEXTOID}};

	require_arguments(fcinfo, 2, -1, "phrbac_scim_delete_user() takes no NULL argument");
	PG_RETURN_DATUM(scim_call(fcinfo, &call, "scim_deprovisioned"));
}

/*
 * phrbac_scim_sync_group(organization_id, group, member_external_ids):
 * scim_group_synced.
 */
PG_FUNCTION_INFO_V1(phrbac_scim_sync_group);
Datum
phrbac_scim_sync_group(PG_FUNCTION_ARGS)
{
	GovernanceCall call = {.body = "scim_sync_group_steps", .nargs = 3,
	.types = {INT8OID, TEXTOID, TEXTARRAYOID}};

	require_arguments(fcinfo, 3, -1, "phrbac_scim_sync_group() takes no NULL argument");
	PG_RETURN_DATUM(scim_call(fcinfo, &call, "scim_group_synced"));
}
