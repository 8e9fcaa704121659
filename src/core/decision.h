/*
 * decision.h
 *     The decision procedure (README, "Concepts"), over facts already
 *     loaded from the catalog.
 *
 * Design note.  Deciding is split in two: the PostgreSQL side loads every
 * catalog row that can bear on one user in one project (PhrbacFacts, cached
 * per backend) and this file computes, for one request, the set of actions
 * the principal holds on the resource and whether it covers the request.
 * Expiry is part of the facts: each row carries its expires_at and is
 * ignored from that instant on, so a cached fact set never grants past an
 * expiry and needs no reload when one passes.
 *
 * The steps, in order; the first that decides, decides:
 *   1. key: when acting through an API key, the key must be live, reach the
 *      project and its organization, be allowed by the organization (one
 *      the user is not a member of is left to step 2), and its scopes cap
 *      the actions (read: view; write: every action).
 *   2. org_membership: the user is active and an unexpired member.
 *   3. sso: the organization enforces SSO and the principal did not log in
 *      through SSO (keys are exempt).
 *   4. creator: the creator of the object holds every action.
 *   5. org_admin: organization admins and owners hold every action.
 *   6. project: the user's own project row, else the highest of the user's
 *      roles' rows, else the project's default role.  none denies, admin
 *      holds every action, viewer caps what follows at view.
 *   7. access rules, tiers object > project-wide > organization-wide; in a
 *      tier the user's rules, else the user's roles' rules, else everyone's;
 *      for one subject, rules naming the resource before "*" rules.
 *      most_specific: the first non-empty group decides (an explicit none
 *      denies); max: the union of every applicable rule.
 *   8. system default: editor; viewer for activity_log.
 */
#ifndef PHRBAC_CORE_DECISION_H
#define PHRBAC_CORE_DECISION_H

#include "action.h"
#include "role.h"
#include "scope.h"

/* Microseconds since 2000-01-01 UTC, as PostgreSQL's TimestampTz. */
typedef int64_t PhrbacTimestamp;

/* expires_at of a row that never expires. */
#define PHRBAC_NEVER INT64_MAX

typedef enum PhrbacSource
{
	PHRBAC_SOURCE_API_KEY,
	PHRBAC_SOURCE_ORG_MEMBERSHIP,
	PHRBAC_SOURCE_SSO,
	PHRBAC_SOURCE_CREATOR,
	PHRBAC_SOURCE_ORG_ADMIN,
	PHRBAC_SOURCE_PROJECT,
	PHRBAC_SOURCE_PROJECT_ADMIN,
	PHRBAC_SOURCE_OBJECT,
	PHRBAC_SOURCE_RESOURCE,
	PHRBAC_SOURCE_ORGANIZATION,
	PHRBAC_SOURCE_SYSTEM_DEFAULT
} PhrbacSource;

typedef enum PhrbacSubject
{
	PHRBAC_SUBJECT_USER,
	PHRBAC_SUBJECT_ROLE,
	PHRBAC_SUBJECT_EVERYONE
} PhrbacSubject;

typedef enum PhrbacResolution
{
	PHRBAC_RESOLUTION_MOST_SPECIFIC,
	PHRBAC_RESOLUTION_MAX
} PhrbacResolution;

/* A membership-like row: an organization or project membership. */
typedef struct PhrbacMembership
{
	int64_t		id;				/* the row's id; 0 when there is no row */
	PhrbacRole	role;
	PhrbacTimestamp expires_at;
} PhrbacMembership;

/* An access rule that may apply to the user in the project. */
typedef struct PhrbacRule
{
	int64_t		id;
	PhrbacSubject subject;		/* who it names: the user, a role of theirs, everyone */
	int			resource;		/* a resource id or PHRBAC_RESOURCE_ANY */
	const char *object;			/* NULL for a resource-wide rule */
	size_t		object_len;
	PhrbacActions actions;
	PhrbacTimestamp expires_at; /* for role rules, the earlier of the rule's
								 * and the role membership's */
} PhrbacRule;

/* The API key a principal acts through. */
typedef struct PhrbacKey
{
	bool		present;		/* false: no key, step 1 is skipped */
	int64_t		id;
	bool		revoked;
	PhrbacTimestamp expires_at;
	const PhrbacScope *scopes;
	int			nscopes;
	bool		reaches_project;	/* scoped_projects is NULL or holds it */
	bool		reaches_organization;	/* likewise scoped_organizations */
} PhrbacKey;

/* Everything in the catalog that bears on one user in one project. */
typedef struct PhrbacFacts
{
	bool		user_active;
	PhrbacMembership organization;	/* id 0: not a member */
	bool		enforce_sso;
	bool		members_can_use_api_keys;
	PhrbacResolution resolution;
	PhrbacRole	project_default_role;
	PhrbacMembership project_user;	/* id 0: no row of the user's own */
	const PhrbacMembership *project_roles;	/* rows of the user's roles; each
											 * expires_at is the earlier of
											 * the row's and the role
											 * membership's */
	int			nproject_roles;
	const PhrbacRule *project_rules;	/* rules naming this project */
	int			nproject_rules;
	const PhrbacRule *organization_rules;	/* rules for every project */
	int			norganization_rules;
} PhrbacFacts;

typedef struct PhrbacRequest
{
	int			resource;		/* a built-in resource id (not "*") */
	PhrbacActions actions;		/* what is asked for */
	const char *object;			/* NULL: resource-wide */
	size_t		object_len;
	bool		is_creator;		/* the principal created the object */
	bool		sso_login;		/* the principal logged in through SSO */
	PhrbacTimestamp now;
} PhrbacRequest;

/* Why step 1 refused a key (PHRBAC_KEY_ACCEPTED when it did not). */
typedef enum PhrbacKeyRefusal
{
	PHRBAC_KEY_ACCEPTED = 0,
	PHRBAC_KEY_INVALID,			/* revoked, expired, or its user deactivated */
	PHRBAC_KEY_OUTSIDE_SCOPE,	/* the project or organization is not scoped */
	PHRBAC_KEY_MEMBERS_CANNOT,	/* the organization allows admins' keys only */
	PHRBAC_KEY_MISSING_SCOPE	/* no scope allows the request */
} PhrbacKeyRefusal;

typedef struct PhrbacDecision
{
	bool		allowed;
	PhrbacActions access;		/* what the principal holds on the resource */
	PhrbacSource source;		/* the step that decided */
	PhrbacSubject subject;		/* whose row decided */
	int64_t		row_id;			/* the deciding row; 0 when none */
	PhrbacKeyRefusal key_refusal;	/* with source api_key: why */
} PhrbacDecision;

/* Decides a request; see the design note above. */
extern void phrbac_decide(const PhrbacFacts *facts, const PhrbacKey *key,
						  const PhrbacRequest *request,
						  PhrbacDecision *decision);

/*
 * The project level the facts give the user (step 6 alone), or none when the
 * user is no active member of the organization.  *row_id and *subject name
 * the deciding row.
 */
extern PhrbacRole phrbac_decide_project_role(const PhrbacFacts *facts,
									  PhrbacTimestamp now, int64_t *row_id,
									  PhrbacSubject *subject);

/*
 * True when a key may be used at all at now: not revoked (or rolled since
 * it was presented), unexpired, and its user active.  Step 1 starts here;
 * so does every other use of the principal's key.
 */
extern bool phrbac_key_is_usable(const PhrbacKey *key, bool user_active,
								 PhrbacTimestamp now);

/* The names used in SQL for sources and subjects ("org_admin", "role"). */
extern const char *phrbac_source_name(PhrbacSource source);
extern const char *phrbac_subject_name(PhrbacSubject subject);

/* True for the auth methods that count as SSO (saml, oidc, google-oauth2, github, gitlab). */
extern bool phrbac_auth_method_is_sso(const char *method);

/* True when a row with this expiry still grants at now. */
static inline bool
phrbac_is_live(PhrbacTimestamp expires_at, PhrbacTimestamp now)
{
	return expires_at > now;
}

#endif							/* PHRBAC_CORE_DECISION_H */
