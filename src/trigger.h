/*
 * trigger.h
 *     What every trigger function of phrbac checks first (trigger.c).
 */
#ifndef PHRBAC_TRIGGER_H
#define PHRBAC_TRIGGER_H

#include "postgres.h"

#include "commands/trigger.h"
#include "fmgr.h"

/*
 * The trigger data of a call of function, which must come from the trigger
 * manager, and for a row when row_level; raises 39P01 otherwise.
 */
extern TriggerData *phrbac_trigger_data(FunctionCallInfo fcinfo,
										const char *function, bool row_level);

#endif							/* PHRBAC_TRIGGER_H */
