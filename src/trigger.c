/*
 * trigger.c
 *     What every trigger function of phrbac checks first: that the trigger
 *     manager called it, at the level it is written for.
 */
#include "postgres.h"

#include "trigger.h"

TriggerData *
phrbac_trigger_data(FunctionCallInfo fcinfo, const char *function, bool row_level)
{
	TriggerData *trigdata = (TriggerData *) fcinfo->context;

	if (!CALLED_AS_TRIGGER(fcinfo) ||
		(row_level && !TRIGGER_FIRED_FOR_ROW(trigdata->tg_event)))
		ereport(ERROR,
				(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
				 errmsg("%s() must be called as a %s", function,
						row_level ? "row trigger" : "trigger")));
	return trigdata;
}
