/*
 * audit.h
 *     The audit log (audit.c): what other files ask of it.
 */
#ifndef PHRBAC_AUDIT_H
#define PHRBAC_AUDIT_H

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

#endif							/* PHRBAC_AUDIT_H */
