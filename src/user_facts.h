/*
 * user_facts.h
 *     Everything phrbac's catalog says about one user, loaded in one go
 *     (user_facts_load.c): the user's organizations, every project in them,
 *     the project rows and access rules that name the user, a role of
 *     theirs, or everyone, and the user's live API keys; and the questions
 *     asked of them (user_facts.c).
 */
#ifndef PHRBAC_USER_FACTS_H
#define PHRBAC_USER_FACTS_H

#include "postgres.h"

#include "core/api_key.h"
#include "core/decision.h"

typedef struct PhrbacProjectFacts
{
	int64		id;
	int			organization;	/* index into PhrbacUserFacts.organizations */
	PhrbacRole	default_role;
	PhrbacMembership user_row;	/* the user's own project row; id 0: none */
	PhrbacMembership *role_rows;	/* rows of the user's roles */
	int			nrole_rows;
	PhrbacRule *rules;			/* rules naming this project */
	int			nrules;
} PhrbacProjectFacts;

typedef struct PhrbacOrganizationFacts
{
	int64		id;
	PhrbacMembership membership;	/* the user's organization membership */
	bool		enforce_sso;
	bool		members_can_use_api_keys;
	PhrbacResolution resolution;
	PhrbacRule *rules;			/* organization-wide rules */
	int			nrules;
	/* its projects, sorted by id, with no rows or rules: shared, read-only */
	const PhrbacProjectFacts *projects;
	int			nprojects;
	int			nopen_projects; /* of those, the ones with a default role */
} PhrbacOrganizationFacts;


/* A live (unrevoked) API key of the user. */
typedef struct PhrbacKeyFacts
{
	int64		id;
	PhrbacTimestamp expires_at;
	int64		rolled_at;		/* last_rolled_at; 0: never rolled */
	PhrbacTimestamp last_used_at;	/* 0: never used */
	char		mask[PHRBAC_API_KEY_MASK_LEN + 1];
	PhrbacScope *scopes;
	int			nscopes;
	int64	   *projects;		/* scoped_projects; NULL: every project */
	int			nprojects;
	int64	   *organizations;	/* scoped_organizations; NULL: every one */
	int			norganizations;
} PhrbacKeyFacts;

typedef struct PhrbacUserFacts
{
	int64		user_id;
	bool		exists;
	bool		is_active;
	PhrbacKeyFacts *keys;		/* live keys, by id */
	int			nkeys;
	PhrbacOrganizationFacts *organizations;
	int			norganizations;
	/*
	 * the projects a row or rule of theirs names, sorted by id; every other
	 * project of their organizations is in the organization's projects
	 */
	PhrbacProjectFacts *projects;
	int			nprojects;
} PhrbacUserFacts;

/*
 * Loads a user's facts into memory allocated in context, reading the catalog
 * as the owner of schema phrbac with search_path pinned, whoever the caller
 * is.  A user that does not exist loads as exists = false.
 */
extern PhrbacUserFacts *phrbac_catalog_load_user(int64 user_id,
												 MemoryContext context);

/*
 * Loads the projects of an organization (index organization of a user's
 * organizations), sorted by id, into context; inside
 * phrbac_as_catalog_owner().
 */
extern PhrbacProjectFacts *phrbac_catalog_load_org_projects(int64 organization_id,
															int organization,
															MemoryContext context,
															int *count);

/*
 * Calls fn, with the user's facts for it, for each project of the user's
 * organizations that the user may have some access to: one with a row of
 * theirs or of a role of theirs, one open to every member (a default role),
 * and every project of an organization they administer.  In no order.
 */
extern void phrbac_user_each_reachable_project(const PhrbacUserFacts *user,
											   void (*fn) (const PhrbacProjectFacts *project, void *arg),
											   void *arg);

/* The user's facts for one project; NULL when the project is not in one of the user's organizations. */
extern const PhrbacProjectFacts *phrbac_user_project(const PhrbacUserFacts *user,
													 int64 project_id);

/* The user's facts for one organization, or NULL. */
extern const PhrbacOrganizationFacts *phrbac_user_organization(const PhrbacUserFacts *user,
															   int64 organization_id);

/*
 * The user's level in an organization at now: none unless the user is
 * active and an unexpired member.
 */
extern PhrbacRole phrbac_user_org_role(const PhrbacUserFacts *user,
									   int64 organization_id, PhrbacTimestamp now);

/*
 * Fills the decision procedure's facts for one project (zeroed, user not a
 * member, when project is NULL).
 */
extern void phrbac_project_decision_facts(const PhrbacUserFacts *user,
										  const PhrbacProjectFacts *project,
										  PhrbacFacts *facts);

/* One of the user's live keys, or NULL. */
extern const PhrbacKeyFacts *phrbac_user_key(const PhrbacUserFacts *user,
											 int64 key_id);

#endif							/* PHRBAC_USER_FACTS_H */
