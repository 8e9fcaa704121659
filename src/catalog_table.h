/*
 * catalog_table.h
 *     phrbac's catalog tables as its triggers see them (catalog_table.c).
 */
#ifndef PHRBAC_CATALOG_TABLE_H
#define PHRBAC_CATALOG_TABLE_H

#include "postgres.h"

#include "utils/rel.h"

/* What the audit log calls the changes to a table's rows. */
typedef enum PhrbacCatalogActivities
{
	PHRBAC_ACTIVITIES_ROWS,		/* created, updated, deleted */
	PHRBAC_ACTIVITIES_MEMBERS,	/* member_added, member_removed, role_changed */
	PHRBAC_ACTIVITIES_API_KEYS,	/* api_key_created, api_key_revoked,
								 * api_key_rolled */
	PHRBAC_ACTIVITIES_REQUESTS	/* change_requested, change_applied,
								 * access_approved, ... (approvals.c) */
} PhrbacCatalogActivities;

typedef struct PhrbacCatalogTable
{
	const char *name;			/* in schema phrbac */
	const char *audit_scope;	/* PostHog's scope, in the audit log */
	const char *key_resource;	/* what a change through an API key needs
								 * write scope on; NULL: keys never change it */
	PhrbacCatalogActivities activities;
	const char *organization_column;	/* the column that holds a row's
										 * organization; NULL: none */
	const char *project_column; /* likewise its project */
} PhrbacCatalogTable;

/* What rel is to phrbac's triggers, or NULL when it is no catalog table. */
extern const PhrbacCatalogTable *phrbac_catalog_table(Relation rel);

#endif							/* PHRBAC_CATALOG_TABLE_H */
