/*
 * access.h
 *     The SQL-callable decisions (access.c): the settings they obey.
 */
#ifndef PHRBAC_ACCESS_H
#define PHRBAC_ACCESS_H

/* Defines phrbac.log_denials; called from _PG_init. */
extern void phrbac_access_init(void);

#endif							/* PHRBAC_ACCESS_H */
