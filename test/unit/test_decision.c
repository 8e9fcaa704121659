/*
 * test_decision.c
 *     Check tests of decision.c against README, "Concepts": one table row per step, tie
 *     and edge of the decision procedure, each checked for the answer, the
 *     access held, the deciding step, its subject and its row.
 *
 * A row describes the facts in a compact form (OrgStanding, DefaultRole,
 * row and rule specs with resources by name) that build_facts turns into
 * the PhrbacFacts the engine reads.  Every row starts from "an active
 * member of the organization, the project's default role member, no rows,
 * no rules, no key" and says only what differs.
 */
#include <string.h>

#include "suites.h"
#include "core/decision.h"
#include "core/resource.h"

/* The request's instant; expiries are placed around it. */
#define NOW			1000000
#define EXPIRED		NOW			/* expires exactly now: no longer grants */
#define LATER		(NOW + 1)	/* one microsecond of life left */

#define V	PHRBAC_ACTION_VIEW
#define C	PHRBAC_ACTION_CREATE
#define E	PHRBAC_ACTION_EDIT
#define D	PHRBAC_ACTION_DELETE
#define M	PHRBAC_ACTION_MANAGE
#define NONE	PHRBAC_LEVEL_NONE
#define EDITOR	PHRBAC_LEVEL_EDITOR
#define MANAGER PHRBAC_LEVEL_MANAGER

/* Row ids the expectations name. */
#define ORG_ROW		10
#define USER_ROW	20
#define KEY_ID		7

typedef enum OrgStanding
{
	AS_MEMBER = 0,
	AS_VIEWER,
	AS_ADMIN,
	AS_OWNER,
	NOT_A_MEMBER
} OrgStanding;

typedef enum DefaultRole
{
	DEFAULT_MEMBER = 0,
	DEFAULT_NONE,
	DEFAULT_VIEWER,
	DEFAULT_ADMIN
} DefaultRole;

/* A project_members row; id 0 means no row.  expires_at 0: never. */
typedef struct RowSpec
{
	int64_t		id;
	PhrbacRole	role;
	PhrbacTimestamp expires_at;
} RowSpec;

/* An access rule; id 0 ends the list.  object NULL: resource-wide. */
typedef struct RuleSpec
{
	int64_t		id;
	PhrbacSubject subject;
	const char *resource;
	const char *object;
	PhrbacActions actions;
	PhrbacTimestamp expires_at;
} RuleSpec;

/* The key a request comes through; scopes NULL-terminated. */
typedef struct KeySpec
{
	bool		present;
	bool		revoked;
	PhrbacTimestamp expires_at;
	const char *scopes[3];
	bool		outside_projects;	/* scoped_projects misses the project */
	bool		outside_organizations;
} KeySpec;

#define MAX_ROWS 3
#define MAX_RULES 4

typedef struct DecisionCase
{
	const char *name;

	/* facts */
	OrgStanding org;
	PhrbacTimestamp org_expires_at;
	bool		inactive;
	bool		enforce_sso;
	bool		no_member_keys;
	PhrbacResolution resolution;
	DefaultRole default_role;
	RowSpec		user_row;
	RowSpec		role_rows[MAX_ROWS];
	RuleSpec	project_rules[MAX_RULES];
	RuleSpec	org_rules[MAX_RULES];
	KeySpec		key;

	/* request */
	const char *resource;
	PhrbacActions want;
	const char *object;
	bool		is_creator;
	bool		sso_login;

	/* expected decision */
	bool		allowed;
	PhrbacActions access;
	PhrbacSource source;
	PhrbacSubject subject;
	int64_t		row_id;
	PhrbacKeyRefusal refusal;	/* with source api_key: why */
} DecisionCase;

#define USER	PHRBAC_SUBJECT_USER
#define ROLE	PHRBAC_SUBJECT_ROLE
#define EVERYONE PHRBAC_SUBJECT_EVERYONE

#define FF "feature_flag"

static const DecisionCase decision_cases[] = {
	/* 2. organization membership */
	{.name = "not a member of the organization", .org = NOT_A_MEMBER,
		.resource = FF, .want = V,
	.allowed = false, .access = NONE, .source = PHRBAC_SOURCE_ORG_MEMBERSHIP, .subject = USER, .row_id = 0},
	{.name = "inactive user", .inactive = true,
		.resource = FF, .want = V,
	.allowed = false, .access = NONE, .source = PHRBAC_SOURCE_ORG_MEMBERSHIP, .subject = USER, .row_id = ORG_ROW},
	{.name = "membership expiring exactly now", .org_expires_at = EXPIRED,
		.resource = FF, .want = V,
	.allowed = false, .access = NONE, .source = PHRBAC_SOURCE_ORG_MEMBERSHIP, .subject = USER, .row_id = ORG_ROW},
	{.name = "membership with a microsecond left", .org_expires_at = LATER,
		.resource = FF, .want = E,
	.allowed = true, .access = EDITOR, .source = PHRBAC_SOURCE_SYSTEM_DEFAULT, .subject = EVERYONE},
	{.name = "expired owner", .org = AS_OWNER, .org_expires_at = NOW - 1,
		.resource = FF, .want = V,
	.allowed = false, .access = NONE, .source = PHRBAC_SOURCE_ORG_MEMBERSHIP, .subject = USER, .row_id = ORG_ROW},
	{.name = "non-member creator", .org = NOT_A_MEMBER, .is_creator = true,
		.resource = FF, .want = V,
	.allowed = false, .access = NONE, .source = PHRBAC_SOURCE_ORG_MEMBERSHIP, .subject = USER},
	{.name = "non-member under enforced SSO: membership decides first",
		.org = NOT_A_MEMBER, .enforce_sso = true, .resource = FF, .want = V,
	.allowed = false, .access = NONE, .source = PHRBAC_SOURCE_ORG_MEMBERSHIP, .subject = USER},

	/* 3. SSO enforcement */
	{.name = "enforced SSO, password login", .enforce_sso = true,
		.resource = FF, .want = V,
	.allowed = false, .access = NONE, .source = PHRBAC_SOURCE_SSO, .subject = USER, .row_id = ORG_ROW},
	{.name = "enforced SSO, SSO login", .enforce_sso = true, .sso_login = true,
		.resource = FF, .want = E,
	.allowed = true, .access = EDITOR, .source = PHRBAC_SOURCE_SYSTEM_DEFAULT, .subject = EVERYONE},
	{.name = "enforced SSO binds admins too", .org = AS_ADMIN, .enforce_sso = true,
		.resource = FF, .want = V,
	.allowed = false, .access = NONE, .source = PHRBAC_SOURCE_SSO, .subject = USER, .row_id = ORG_ROW},
	{.name = "enforced SSO binds creators too", .enforce_sso = true, .is_creator = true,
		.resource = FF, .want = V,
	.allowed = false, .access = NONE, .source = PHRBAC_SOURCE_SSO, .subject = USER, .row_id = ORG_ROW},
	{.name = "enforced SSO does not bind keys", .enforce_sso = true,
		.key = {.present = true, .scopes = {"feature_flag:read"}},
		.resource = FF, .want = V,
	.allowed = true, .access = V, .source = PHRBAC_SOURCE_SYSTEM_DEFAULT, .subject = EVERYONE},

	/* 4. creator */
	{.name = "creator in a project closed to them", .default_role = DEFAULT_NONE,
		.is_creator = true, .resource = FF, .want = MANAGER,
	.allowed = true, .access = MANAGER, .source = PHRBAC_SOURCE_CREATOR, .subject = USER},
	{.name = "creator against an object rule of none", .is_creator = true,
		.project_rules = {{101, USER, FF, "42", NONE}},
		.resource = FF, .want = E, .object = "42",
	.allowed = true, .access = MANAGER, .source = PHRBAC_SOURCE_CREATOR, .subject = USER},

	/* 5. organization admins */
	{.name = "org admin in a project closed to members", .org = AS_ADMIN,
		.default_role = DEFAULT_NONE, .resource = FF, .want = M,
	.allowed = true, .access = MANAGER, .source = PHRBAC_SOURCE_ORG_ADMIN, .subject = USER, .row_id = ORG_ROW},
	{.name = "org owner against an everyone rule of none", .org = AS_OWNER,
		.project_rules = {{101, EVERYONE, FF, NULL, NONE}},
		.resource = FF, .want = E,
	.allowed = true, .access = MANAGER, .source = PHRBAC_SOURCE_ORG_ADMIN, .subject = USER, .row_id = ORG_ROW},
	{.name = "org viewer is no admin", .org = AS_VIEWER,
		.default_role = DEFAULT_NONE, .resource = FF, .want = V,
	.allowed = false, .access = NONE, .source = PHRBAC_SOURCE_PROJECT, .subject = EVERYONE},

	/* 6. project access */
	{.name = "default role none, no rows", .default_role = DEFAULT_NONE,
		.resource = FF, .want = V,
	.allowed = false, .access = NONE, .source = PHRBAC_SOURCE_PROJECT, .subject = EVERYONE},
	{.name = "default role viewer: view", .default_role = DEFAULT_VIEWER,
		.resource = FF, .want = V,
	.allowed = true, .access = V, .source = PHRBAC_SOURCE_SYSTEM_DEFAULT, .subject = EVERYONE},
	{.name = "default role viewer: no edit", .default_role = DEFAULT_VIEWER,
		.resource = FF, .want = E,
	.allowed = false, .access = V, .source = PHRBAC_SOURCE_SYSTEM_DEFAULT, .subject = EVERYONE},
	{.name = "default role admin", .default_role = DEFAULT_ADMIN,
		.resource = FF, .want = M,
	.allowed = true, .access = MANAGER, .source = PHRBAC_SOURCE_PROJECT_ADMIN, .subject = EVERYONE},
	{.name = "own member row over a default of none", .default_role = DEFAULT_NONE,
		.user_row = {USER_ROW, PHRBAC_ROLE_MEMBER}, .resource = FF, .want = E,
	.allowed = true, .access = EDITOR, .source = PHRBAC_SOURCE_SYSTEM_DEFAULT, .subject = EVERYONE},
	{.name = "own none row over a role's admin row",
		.user_row = {USER_ROW, PHRBAC_ROLE_NONE},
		.role_rows = {{31, PHRBAC_ROLE_ADMIN}}, .resource = FF, .want = V,
	.allowed = false, .access = NONE, .source = PHRBAC_SOURCE_PROJECT, .subject = USER, .row_id = USER_ROW},
	{.name = "own viewer row over a default of admin", .default_role = DEFAULT_ADMIN,
		.user_row = {USER_ROW, PHRBAC_ROLE_VIEWER}, .resource = FF, .want = E,
	.allowed = false, .access = V, .source = PHRBAC_SOURCE_SYSTEM_DEFAULT, .subject = EVERYONE},
	{.name = "own row expiring exactly now falls to the default",
		.default_role = DEFAULT_NONE,
		.user_row = {USER_ROW, PHRBAC_ROLE_ADMIN, EXPIRED}, .resource = FF, .want = V,
	.allowed = false, .access = NONE, .source = PHRBAC_SOURCE_PROJECT, .subject = EVERYONE},
	{.name = "own row expiring later still holds", .default_role = DEFAULT_NONE,
		.user_row = {USER_ROW, PHRBAC_ROLE_ADMIN, LATER}, .resource = FF, .want = M,
	.allowed = true, .access = MANAGER, .source = PHRBAC_SOURCE_PROJECT_ADMIN, .subject = USER, .row_id = USER_ROW},
	{.name = "highest of the roles' rows", .default_role = DEFAULT_NONE,
		.role_rows = {{31, PHRBAC_ROLE_VIEWER}, {32, PHRBAC_ROLE_ADMIN}},
		.resource = FF, .want = M,
	.allowed = true, .access = MANAGER, .source = PHRBAC_SOURCE_PROJECT_ADMIN, .subject = ROLE, .row_id = 32},
	{.name = "equal roles' rows: the lowest id decides",
		.role_rows = {{33, PHRBAC_ROLE_ADMIN}, {32, PHRBAC_ROLE_ADMIN}},
		.resource = FF, .want = M,
	.allowed = true, .access = MANAGER, .source = PHRBAC_SOURCE_PROJECT_ADMIN, .subject = ROLE, .row_id = 32},
	{.name = "an expired role row gives way to a live one",
		.role_rows = {{31, PHRBAC_ROLE_ADMIN, EXPIRED}, {32, PHRBAC_ROLE_VIEWER}},
		.resource = FF, .want = E,
	.allowed = false, .access = V, .source = PHRBAC_SOURCE_SYSTEM_DEFAULT, .subject = EVERYONE},
	{.name = "every role row expired: the default", .default_role = DEFAULT_VIEWER,
		.role_rows = {{31, PHRBAC_ROLE_ADMIN, EXPIRED}}, .resource = FF, .want = E,
	.allowed = false, .access = V, .source = PHRBAC_SOURCE_SYSTEM_DEFAULT, .subject = EVERYONE},
	{.name = "a role row of none denies over the default",
		.role_rows = {{31, PHRBAC_ROLE_NONE}}, .resource = FF, .want = V,
	.allowed = false, .access = NONE, .source = PHRBAC_SOURCE_PROJECT, .subject = ROLE, .row_id = 31},
	{.name = "a role row of viewer beats another of none",
		.default_role = DEFAULT_ADMIN,
		.role_rows = {{31, PHRBAC_ROLE_NONE}, {32, PHRBAC_ROLE_VIEWER}},
		.resource = FF, .want = V,
	.allowed = true, .access = V, .source = PHRBAC_SOURCE_SYSTEM_DEFAULT, .subject = EVERYONE},
	{.name = "project viewer caps a user rule of editor",
		.user_row = {USER_ROW, PHRBAC_ROLE_VIEWER},
		.project_rules = {{101, USER, FF, NULL, EDITOR}}, .resource = FF, .want = E,
	.allowed = false, .access = V, .source = PHRBAC_SOURCE_RESOURCE, .subject = USER, .row_id = 101},
	{.name = "project admin ignores a rule of none",
		.user_row = {USER_ROW, PHRBAC_ROLE_ADMIN},
		.project_rules = {{101, USER, FF, NULL, NONE}}, .resource = FF, .want = D,
	.allowed = true, .access = MANAGER, .source = PHRBAC_SOURCE_PROJECT_ADMIN, .subject = USER, .row_id = USER_ROW},

	/* 7. access rules, most_specific */
	{.name = "user rule viewer: view",
		.project_rules = {{101, USER, FF, NULL, PHRBAC_LEVEL_VIEWER}}, .resource = FF, .want = V,
	.allowed = true, .access = V, .source = PHRBAC_SOURCE_RESOURCE, .subject = USER, .row_id = 101},
	{.name = "user rule viewer: no edit",
		.project_rules = {{101, USER, FF, NULL, PHRBAC_LEVEL_VIEWER}}, .resource = FF, .want = E,
	.allowed = false, .access = V, .source = PHRBAC_SOURCE_RESOURCE, .subject = USER, .row_id = 101},
	{.name = "explicit none denies",
		.project_rules = {{101, USER, FF, NULL, NONE}}, .resource = FF, .want = V,
	.allowed = false, .access = NONE, .source = PHRBAC_SOURCE_RESOURCE, .subject = USER, .row_id = 101},
	{.name = "explicit none is not overridden by a broader everyone rule",
		.project_rules = {{102, EVERYONE, FF, NULL, MANAGER}, {101, USER, FF, NULL, NONE}},
		.resource = FF, .want = V,
	.allowed = false, .access = NONE, .source = PHRBAC_SOURCE_RESOURCE, .subject = USER, .row_id = 101},
	{.name = "user rule over a role rule",
		.project_rules = {{102, ROLE, FF, NULL, EDITOR}, {101, USER, FF, NULL, PHRBAC_LEVEL_VIEWER}},
		.resource = FF, .want = E,
	.allowed = false, .access = V, .source = PHRBAC_SOURCE_RESOURCE, .subject = USER, .row_id = 101},
	{.name = "the union of the roles' rules",
		.project_rules = {{104, ROLE, FF, NULL, V | C}, {103, ROLE, FF, NULL, V | E}},
		.resource = FF, .want = C | E,
	.allowed = true, .access = V | C | E, .source = PHRBAC_SOURCE_RESOURCE, .subject = ROLE, .row_id = 103},
	{.name = "role rule over the everyone rule",
		.project_rules = {{101, EVERYONE, FF, NULL, EDITOR}, {102, ROLE, FF, NULL, PHRBAC_LEVEL_VIEWER}},
		.resource = FF, .want = E,
	.allowed = false, .access = V, .source = PHRBAC_SOURCE_RESOURCE, .subject = ROLE, .row_id = 102},
	{.name = "everyone rule of none",
		.project_rules = {{101, EVERYONE, FF, NULL, NONE}}, .resource = FF, .want = V,
	.allowed = false, .access = NONE, .source = PHRBAC_SOURCE_RESOURCE, .subject = EVERYONE, .row_id = 101},
	{.name = "everyone rule of manager widens the default",
		.project_rules = {{101, EVERYONE, FF, NULL, MANAGER}}, .resource = FF, .want = M,
	.allowed = true, .access = MANAGER, .source = PHRBAC_SOURCE_RESOURCE, .subject = EVERYONE, .row_id = 101},
	{.name = "object rule over a project-wide rule",
		.project_rules = {{101, USER, FF, NULL, EDITOR}, {102, ROLE, FF, "42", PHRBAC_LEVEL_VIEWER}},
		.resource = FF, .want = E, .object = "42",
	.allowed = false, .access = V, .source = PHRBAC_SOURCE_OBJECT, .subject = ROLE, .row_id = 102},
	{.name = "object rule of another object is ignored",
		.project_rules = {{101, USER, FF, NULL, EDITOR}, {102, USER, FF, "42", NONE}},
		.resource = FF, .want = E, .object = "43",
	.allowed = true, .access = EDITOR, .source = PHRBAC_SOURCE_RESOURCE, .subject = USER, .row_id = 101},
	{.name = "object ids compare exactly",
		.project_rules = {{102, USER, FF, "42", NONE}}, .resource = FF, .want = V, .object = "420",
	.allowed = true, .access = EDITOR, .source = PHRBAC_SOURCE_SYSTEM_DEFAULT, .subject = EVERYONE},
	{.name = "object rule ignored for a resource-wide request",
		.project_rules = {{102, USER, FF, "42", NONE}}, .resource = FF, .want = V,
	.allowed = true, .access = EDITOR, .source = PHRBAC_SOURCE_SYSTEM_DEFAULT, .subject = EVERYONE},
	{.name = "tier before subject: everyone's object rule over the user's project rule",
		.project_rules = {{101, USER, FF, NULL, MANAGER}, {102, EVERYONE, FF, "42", NONE}},
		.resource = FF, .want = V, .object = "42",
	.allowed = false, .access = NONE, .source = PHRBAC_SOURCE_OBJECT, .subject = EVERYONE, .row_id = 102},
	{.name = "object rule on another resource is ignored",
		.project_rules = {{102, USER, "insight", "42", NONE}}, .resource = FF, .want = V, .object = "42",
	.allowed = true, .access = EDITOR, .source = PHRBAC_SOURCE_SYSTEM_DEFAULT, .subject = EVERYONE},
	{.name = "a rule naming the resource over a * rule",
		.project_rules = {{101, USER, "*", NULL, PHRBAC_LEVEL_VIEWER}, {102, USER, FF, NULL, EDITOR}},
		.resource = FF, .want = E,
	.allowed = true, .access = EDITOR, .source = PHRBAC_SOURCE_RESOURCE, .subject = USER, .row_id = 102},
	{.name = "the user's * rule over a role's resource rule",
		.project_rules = {{101, ROLE, FF, NULL, EDITOR}, {102, USER, "*", NULL, PHRBAC_LEVEL_VIEWER}},
		.resource = FF, .want = E,
	.allowed = false, .access = V, .source = PHRBAC_SOURCE_RESOURCE, .subject = USER, .row_id = 102},
	{.name = "a * rule alone applies to every resource",
		.project_rules = {{101, EVERYONE, "*", NULL, NONE}}, .resource = "insight", .want = V,
	.allowed = false, .access = NONE, .source = PHRBAC_SOURCE_RESOURCE, .subject = EVERYONE, .row_id = 101},
	{.name = "a rule on another resource is ignored",
		.project_rules = {{101, USER, "insight", NULL, NONE}}, .resource = FF, .want = E,
	.allowed = true, .access = EDITOR, .source = PHRBAC_SOURCE_SYSTEM_DEFAULT, .subject = EVERYONE},
	{.name = "organization-wide rule",
		.org_rules = {{201, USER, FF, NULL, PHRBAC_LEVEL_VIEWER}}, .resource = FF, .want = E,
	.allowed = false, .access = V, .source = PHRBAC_SOURCE_ORGANIZATION, .subject = USER, .row_id = 201},
	{.name = "project-wide everyone rule over the user's organization-wide rule",
		.project_rules = {{101, EVERYONE, FF, NULL, EDITOR}},
		.org_rules = {{201, USER, FF, NULL, PHRBAC_LEVEL_VIEWER}}, .resource = FF, .want = E,
	.allowed = true, .access = EDITOR, .source = PHRBAC_SOURCE_RESOURCE, .subject = EVERYONE, .row_id = 101},
	{.name = "an organization-wide object rule is an object rule",
		.project_rules = {{101, USER, FF, NULL, EDITOR}},
		.org_rules = {{201, EVERYONE, FF, "42", NONE}}, .resource = FF, .want = V, .object = "42",
	.allowed = false, .access = NONE, .source = PHRBAC_SOURCE_OBJECT, .subject = EVERYONE, .row_id = 201},
	{.name = "a user rule expiring exactly now gives way to the role rule",
		.project_rules = {{101, USER, FF, NULL, MANAGER, EXPIRED}, {102, ROLE, FF, NULL, PHRBAC_LEVEL_VIEWER}},
		.resource = FF, .want = E,
	.allowed = false, .access = V, .source = PHRBAC_SOURCE_RESOURCE, .subject = ROLE, .row_id = 102},
	{.name = "a user rule expiring later still decides",
		.project_rules = {{101, USER, FF, NULL, MANAGER, LATER}, {102, ROLE, FF, NULL, PHRBAC_LEVEL_VIEWER}},
		.resource = FF, .want = M,
	.allowed = true, .access = MANAGER, .source = PHRBAC_SOURCE_RESOURCE, .subject = USER, .row_id = 101},
	{.name = "two user rules of one rank: their union, the lower id",
		.project_rules = {{105, USER, FF, NULL, PHRBAC_LEVEL_VIEWER}, {104, USER, FF, NULL, V | C}},
		.resource = FF, .want = C,
	.allowed = true, .access = V | C, .source = PHRBAC_SOURCE_RESOURCE, .subject = USER, .row_id = 104},
	{.name = "every rule expired: the system default",
		.project_rules = {{101, USER, FF, NULL, NONE, EXPIRED}},
		.org_rules = {{201, EVERYONE, "*", NULL, NONE, NOW - 1}}, .resource = FF, .want = E,
	.allowed = true, .access = EDITOR, .source = PHRBAC_SOURCE_SYSTEM_DEFAULT, .subject = EVERYONE},

	/* 7. access rules, max */
	{.name = "max: a user viewer rule and an everyone editor rule",
		.resolution = PHRBAC_RESOLUTION_MAX,
		.project_rules = {{101, USER, FF, NULL, PHRBAC_LEVEL_VIEWER}, {102, EVERYONE, FF, NULL, EDITOR}},
		.resource = FF, .want = E,
	.allowed = true, .access = EDITOR, .source = PHRBAC_SOURCE_RESOURCE, .subject = USER, .row_id = 101},
	{.name = "max: an object none does not hide an organization-wide manager",
		.resolution = PHRBAC_RESOLUTION_MAX,
		.project_rules = {{101, USER, FF, "42", NONE}},
		.org_rules = {{201, EVERYONE, "*", NULL, MANAGER}}, .resource = FF, .want = M, .object = "42",
	.allowed = true, .access = MANAGER, .source = PHRBAC_SOURCE_OBJECT, .subject = USER, .row_id = 101},
	{.name = "max: none alone still denies", .resolution = PHRBAC_RESOLUTION_MAX,
		.project_rules = {{101, USER, FF, NULL, NONE}}, .resource = FF, .want = V,
	.allowed = false, .access = NONE, .source = PHRBAC_SOURCE_RESOURCE, .subject = USER, .row_id = 101},
	{.name = "max: the project viewer cap still holds", .resolution = PHRBAC_RESOLUTION_MAX,
		.default_role = DEFAULT_VIEWER,
		.project_rules = {{101, USER, FF, NULL, PHRBAC_LEVEL_VIEWER}, {102, EVERYONE, FF, NULL, MANAGER}},
		.resource = FF, .want = E,
	.allowed = false, .access = V, .source = PHRBAC_SOURCE_RESOURCE, .subject = USER, .row_id = 101},
	{.name = "max: expired rules take no part", .resolution = PHRBAC_RESOLUTION_MAX,
		.project_rules = {{101, USER, FF, NULL, PHRBAC_LEVEL_VIEWER}, {102, EVERYONE, FF, NULL, MANAGER, EXPIRED}},
		.resource = FF, .want = E,
	.allowed = false, .access = V, .source = PHRBAC_SOURCE_RESOURCE, .subject = USER, .row_id = 101},

	/* 8. system defaults */
	{.name = "member, no rules: create", .resource = FF, .want = C,
	.allowed = true, .access = EDITOR, .source = PHRBAC_SOURCE_SYSTEM_DEFAULT, .subject = EVERYONE},
	{.name = "member, no rules: no manage", .resource = FF, .want = M,
	.allowed = false, .access = EDITOR, .source = PHRBAC_SOURCE_SYSTEM_DEFAULT, .subject = EVERYONE},
	{.name = "activity_log: view", .resource = "activity_log", .want = V,
	.allowed = true, .access = V, .source = PHRBAC_SOURCE_SYSTEM_DEFAULT, .subject = EVERYONE},
	{.name = "activity_log: no edit", .resource = "activity_log", .want = E,
	.allowed = false, .access = V, .source = PHRBAC_SOURCE_SYSTEM_DEFAULT, .subject = EVERYONE},
	{.name = "activity_log takes rules",
		.project_rules = {{101, EVERYONE, "activity_log", NULL, EDITOR}},
		.resource = "activity_log", .want = E,
	.allowed = true, .access = EDITOR, .source = PHRBAC_SOURCE_RESOURCE, .subject = EVERYONE, .row_id = 101},
	{.name = "project takes no rules: a * none is ignored",
		.project_rules = {{101, EVERYONE, "*", NULL, NONE}}, .resource = "project", .want = V,
	.allowed = true, .access = V, .source = PHRBAC_SOURCE_SYSTEM_DEFAULT, .subject = EVERYONE},
	{.name = "project: members only view", .resource = "project", .want = E,
	.allowed = false, .access = V, .source = PHRBAC_SOURCE_SYSTEM_DEFAULT, .subject = EVERYONE},
	{.name = "asking for nothing is never allowed", .org = AS_OWNER,
		.resource = FF, .want = NONE,
	.allowed = false, .access = MANAGER, .source = PHRBAC_SOURCE_ORG_ADMIN, .subject = USER, .row_id = ORG_ROW},

	/* 1. keys */
	{.name = "read key: view", .key = {.present = true, .scopes = {"feature_flag:read"}},
		.resource = FF, .want = V,
	.allowed = true, .access = V, .source = PHRBAC_SOURCE_SYSTEM_DEFAULT, .subject = EVERYONE},
	{.name = "read key: no edit", .key = {.present = true, .scopes = {"feature_flag:read"}},
		.resource = FF, .want = E,
	.allowed = false, .access = V, .source = PHRBAC_SOURCE_API_KEY, .subject = USER, .row_id = KEY_ID,
	.refusal = PHRBAC_KEY_MISSING_SCOPE},
	{.name = "write key: edit", .key = {.present = true, .scopes = {"feature_flag:write"}},
		.resource = FF, .want = E,
	.allowed = true, .access = EDITOR, .source = PHRBAC_SOURCE_SYSTEM_DEFAULT, .subject = EVERYONE},
	{.name = "key scoped to another resource",
		.key = {.present = true, .scopes = {"insight:write", "dashboard:read"}},
		.resource = FF, .want = V,
	.allowed = false, .access = NONE, .source = PHRBAC_SOURCE_API_KEY, .subject = USER, .row_id = KEY_ID,
	.refusal = PHRBAC_KEY_MISSING_SCOPE},
	{.name = "read and write scopes on one resource: write wins",
		.key = {.present = true, .scopes = {"feature_flag:read", "feature_flag:write"}},
		.resource = FF, .want = D,
	.allowed = true, .access = EDITOR, .source = PHRBAC_SOURCE_SYSTEM_DEFAULT, .subject = EVERYONE},
	{.name = "* key", .key = {.present = true, .scopes = {"*"}}, .resource = FF, .want = E,
	.allowed = true, .access = EDITOR, .source = PHRBAC_SOURCE_SYSTEM_DEFAULT, .subject = EVERYONE},
	{.name = "key without scopes", .key = {.present = true}, .resource = FF, .want = V,
	.allowed = false, .access = NONE, .source = PHRBAC_SOURCE_API_KEY, .subject = USER, .row_id = KEY_ID,
	.refusal = PHRBAC_KEY_MISSING_SCOPE},
	{.name = "revoked key", .key = {.present = true, .revoked = true, .scopes = {"*"}},
		.resource = FF, .want = V,
	.allowed = false, .access = NONE, .source = PHRBAC_SOURCE_API_KEY, .subject = USER, .row_id = KEY_ID,
	.refusal = PHRBAC_KEY_INVALID},
	{.name = "key expiring exactly now", .key = {.present = true, .expires_at = EXPIRED, .scopes = {"*"}},
		.resource = FF, .want = V,
	.allowed = false, .access = NONE, .source = PHRBAC_SOURCE_API_KEY, .subject = USER, .row_id = KEY_ID,
	.refusal = PHRBAC_KEY_INVALID},
	{.name = "key expiring later", .key = {.present = true, .expires_at = LATER, .scopes = {"*"}},
		.resource = FF, .want = V,
	.allowed = true, .access = EDITOR, .source = PHRBAC_SOURCE_SYSTEM_DEFAULT, .subject = EVERYONE},
	{.name = "key not scoped to the project",
		.key = {.present = true, .scopes = {"*"}, .outside_projects = true},
		.resource = FF, .want = V,
	.allowed = false, .access = NONE, .source = PHRBAC_SOURCE_API_KEY, .subject = USER, .row_id = KEY_ID,
	.refusal = PHRBAC_KEY_OUTSIDE_SCOPE},
	{.name = "key not scoped to the organization",
		.key = {.present = true, .scopes = {"*"}, .outside_organizations = true},
		.resource = FF, .want = V,
	.allowed = false, .access = NONE, .source = PHRBAC_SOURCE_API_KEY, .subject = USER, .row_id = KEY_ID,
	.refusal = PHRBAC_KEY_OUTSIDE_SCOPE},
	{.name = "member keys disallowed: a member's key", .no_member_keys = true,
		.key = {.present = true, .scopes = {"*"}}, .resource = FF, .want = V,
	.allowed = false, .access = NONE, .source = PHRBAC_SOURCE_API_KEY, .subject = USER, .row_id = KEY_ID,
	.refusal = PHRBAC_KEY_MEMBERS_CANNOT},
	{.name = "member keys disallowed: an admin's key", .org = AS_ADMIN, .no_member_keys = true,
		.key = {.present = true, .scopes = {"*"}}, .resource = FF, .want = M,
	.allowed = true, .access = MANAGER, .source = PHRBAC_SOURCE_ORG_ADMIN, .subject = USER, .row_id = ORG_ROW},
	{.name = "a key never widens the user's access", .default_role = DEFAULT_VIEWER,
		.key = {.present = true, .scopes = {"*"}}, .resource = FF, .want = E,
	.allowed = false, .access = V, .source = PHRBAC_SOURCE_SYSTEM_DEFAULT, .subject = EVERYONE},
	{.name = "key of an inactive user", .inactive = true,
		.key = {.present = true, .scopes = {"*"}}, .resource = FF, .want = V,
	.allowed = false, .access = NONE, .source = PHRBAC_SOURCE_API_KEY, .subject = USER, .row_id = KEY_ID,
	.refusal = PHRBAC_KEY_INVALID},
	{.name = "key of a non-member", .org = NOT_A_MEMBER,
		.key = {.present = true, .scopes = {"*"}}, .resource = FF, .want = V,
	.allowed = false, .access = NONE, .source = PHRBAC_SOURCE_ORG_MEMBERSHIP, .subject = USER},
	{.name = "key of a non-member, member keys disallowed: membership decides",
		.org = NOT_A_MEMBER, .no_member_keys = true,
		.key = {.present = true, .scopes = {"*"}}, .resource = FF, .want = V,
	.allowed = false, .access = NONE, .source = PHRBAC_SOURCE_ORG_MEMBERSHIP, .subject = USER},
	{.name = "read key under a rule of none", .key = {.present = true, .scopes = {"feature_flag:read"}},
		.project_rules = {{101, USER, FF, NULL, NONE}}, .resource = FF, .want = V,
	.allowed = false, .access = NONE, .source = PHRBAC_SOURCE_RESOURCE, .subject = USER, .row_id = 101},
};

static const PhrbacRole org_roles[] = {
	[AS_MEMBER] = PHRBAC_ROLE_MEMBER,
	[AS_VIEWER] = PHRBAC_ROLE_VIEWER,
	[AS_ADMIN] = PHRBAC_ROLE_ADMIN,
	[AS_OWNER] = PHRBAC_ROLE_OWNER,
	[NOT_A_MEMBER] = PHRBAC_ROLE_NONE,
};

static const PhrbacRole default_roles[] = {
	[DEFAULT_MEMBER] = PHRBAC_ROLE_MEMBER,
	[DEFAULT_NONE] = PHRBAC_ROLE_NONE,
	[DEFAULT_VIEWER] = PHRBAC_ROLE_VIEWER,
	[DEFAULT_ADMIN] = PHRBAC_ROLE_ADMIN,
};

/* A spec's expiry: 0 means never. */
static PhrbacTimestamp
expiry(PhrbacTimestamp expires_at)
{
	return expires_at == 0 ? PHRBAC_NEVER : expires_at;
}

static int
resource_id(const char *name)
{
	int			id = phrbac_resource_lookup(name, strlen(name));

	ck_assert_msg(id >= 0, "unknown resource \"%s\" in the table", name);
	return id;
}

/* The rules of a spec list into out; returns how many. */
static int
build_rules(const RuleSpec *specs, PhrbacRule *out)
{
	int			n;

	for (n = 0; n < MAX_RULES && specs[n].id != 0; n++)
	{
		out[n].id = specs[n].id;
		out[n].subject = specs[n].subject;
		out[n].resource = resource_id(specs[n].resource);
		out[n].object = specs[n].object;
		out[n].object_len = specs[n].object ? strlen(specs[n].object) : 0;
		out[n].actions = specs[n].actions;
		out[n].expires_at = expiry(specs[n].expires_at);
	}
	return n;
}

/* Storage the built facts point into. */
typedef struct Built
{
	PhrbacFacts facts;
	PhrbacKey	key;
	PhrbacRequest request;
	PhrbacMembership role_rows[MAX_ROWS];
	PhrbacRule	project_rules[MAX_RULES];
	PhrbacRule	org_rules[MAX_RULES];
	PhrbacScope scopes[3];
} Built;

static void
build(const DecisionCase *c, Built *b)
{
	int			n;

	memset(b, 0, sizeof(*b));
	b->facts.user_active = !c->inactive;
	if (c->org != NOT_A_MEMBER)
	{
		b->facts.organization.id = ORG_ROW;
		b->facts.organization.role = org_roles[c->org];
		b->facts.organization.expires_at = expiry(c->org_expires_at);
	}
	b->facts.enforce_sso = c->enforce_sso;
	b->facts.members_can_use_api_keys = !c->no_member_keys;
	b->facts.resolution = c->resolution;
	b->facts.project_default_role = default_roles[c->default_role];
	if (c->user_row.id != 0)
	{
		b->facts.project_user.id = c->user_row.id;
		b->facts.project_user.role = c->user_row.role;
		b->facts.project_user.expires_at = expiry(c->user_row.expires_at);
	}
	for (n = 0; n < MAX_ROWS && c->role_rows[n].id != 0; n++)
	{
		b->role_rows[n].id = c->role_rows[n].id;
		b->role_rows[n].role = c->role_rows[n].role;
		b->role_rows[n].expires_at = expiry(c->role_rows[n].expires_at);
	}
	b->facts.project_roles = b->role_rows;
	b->facts.nproject_roles = n;
	b->facts.project_rules = b->project_rules;
	b->facts.nproject_rules = build_rules(c->project_rules, b->project_rules);
	b->facts.organization_rules = b->org_rules;
	b->facts.norganization_rules = build_rules(c->org_rules, b->org_rules);

	b->key.present = c->key.present;
	if (c->key.present)
	{
		b->key.id = KEY_ID;
		b->key.revoked = c->key.revoked;
		b->key.expires_at = expiry(c->key.expires_at);
		for (n = 0; n < 3 && c->key.scopes[n] != NULL; n++)
			ck_assert_int_eq(phrbac_scope_parse(c->key.scopes[n],
												strlen(c->key.scopes[n]),
												&b->scopes[n], NULL),
							 PHRBAC_OK);
		b->key.scopes = b->scopes;
		b->key.nscopes = n;
		b->key.reaches_project = !c->key.outside_projects;
		b->key.reaches_organization = !c->key.outside_organizations;
	}

	b->request.resource = resource_id(c->resource);
	b->request.actions = c->want;
	b->request.object = c->object;
	b->request.object_len = c->object ? strlen(c->object) : 0;
	b->request.is_creator = c->is_creator;
	b->request.sso_login = c->sso_login;
	b->request.now = NOW;
}

START_TEST(decision_row)
{
	const DecisionCase *c = &decision_cases[_i];
	Built		built;
	PhrbacDecision got;

	build(c, &built);
	memset(&got, 0xff, sizeof(got));
	phrbac_decide(&built.facts, &built.key, &built.request, &got);

	ck_assert_msg(got.allowed == c->allowed, "%s: allowed %d, want %d",
				  c->name, got.allowed, c->allowed);
	ck_assert_msg(got.access == c->access, "%s: access 0x%02x, want 0x%02x",
				  c->name, got.access, c->access);
	ck_assert_msg(got.source == c->source, "%s: source %s, want %s", c->name,
				  phrbac_source_name(got.source), phrbac_source_name(c->source));
	ck_assert_msg(got.subject == c->subject, "%s: subject %s, want %s",
				  c->name, phrbac_subject_name(got.subject),
				  phrbac_subject_name(c->subject));
	ck_assert_msg(got.row_id == c->row_id, "%s: row %lld, want %lld", c->name,
				  (long long) got.row_id, (long long) c->row_id);
	ck_assert_msg(got.key_refusal == c->refusal, "%s: key refusal %d, want %d",
				  c->name, (int) got.key_refusal, (int) c->refusal);
}
END_TEST

/* A key given as NULL and one marked absent are the same: no key. */
START_TEST(absent_key_is_no_key)
{
	PhrbacFacts facts = {
		.user_active = true,
		.organization = {ORG_ROW, PHRBAC_ROLE_MEMBER, PHRBAC_NEVER},
		.members_can_use_api_keys = true,
		.project_default_role = PHRBAC_ROLE_MEMBER,
	};
	PhrbacKey	absent = {.present = false, .revoked = true};
	PhrbacRequest request = {.resource = resource_id(FF), .actions = E, .now = NOW};
	PhrbacDecision with_absent, with_null;

	phrbac_decide(&facts, &absent, &request, &with_absent);
	phrbac_decide(&facts, NULL, &request, &with_null);
	ck_assert(with_absent.allowed && with_null.allowed);
	ck_assert_int_eq(with_absent.source, PHRBAC_SOURCE_SYSTEM_DEFAULT);
	ck_assert_int_eq(with_null.source, PHRBAC_SOURCE_SYSTEM_DEFAULT);
}
END_TEST

START_TEST(project_role_alone)
{
	PhrbacMembership roles[] = {{31, PHRBAC_ROLE_VIEWER, PHRBAC_NEVER},
	{32, PHRBAC_ROLE_MEMBER, NOW}};
	PhrbacFacts facts = {
		.user_active = true,
		.organization = {ORG_ROW, PHRBAC_ROLE_MEMBER, PHRBAC_NEVER},
		.project_default_role = PHRBAC_ROLE_ADMIN,
		.project_roles = roles,
		.nproject_roles = 2,
	};
	int64_t		row_id;
	PhrbacSubject subject;

	/* the live role row decides; the member row expired exactly now */
	ck_assert_int_eq(phrbac_decide_project_role(&facts, NOW, &row_id, &subject),
					 PHRBAC_ROLE_VIEWER);
	ck_assert_int_eq(row_id, 31);
	ck_assert_int_eq(subject, PHRBAC_SUBJECT_ROLE);

	/* a microsecond earlier both are live and the higher wins */
	ck_assert_int_eq(phrbac_decide_project_role(&facts, NOW - 1, &row_id, &subject),
					 PHRBAC_ROLE_MEMBER);
	ck_assert_int_eq(row_id, 32);

	/* without role rows: the project's default */
	facts.nproject_roles = 0;
	ck_assert_int_eq(phrbac_decide_project_role(&facts, NOW, &row_id, &subject),
					 PHRBAC_ROLE_ADMIN);
	ck_assert_int_eq(row_id, 0);
	ck_assert_int_eq(subject, PHRBAC_SUBJECT_EVERYONE);

	/* no membership: none, whatever the project says */
	facts.organization.expires_at = NOW;
	ck_assert_int_eq(phrbac_decide_project_role(&facts, NOW, &row_id, &subject),
					 PHRBAC_ROLE_NONE);
	ck_assert_int_eq(row_id, 0);
}
END_TEST

/* Usable: not revoked, unexpired at now (expiring exactly now is expired), its user active. */
START_TEST(key_usable)
{
	PhrbacKey	key = {.present = true, .expires_at = LATER};

	ck_assert(phrbac_key_is_usable(&key, true, NOW));
	ck_assert(!phrbac_key_is_usable(&key, false, NOW));
	key.expires_at = NOW;
	ck_assert(!phrbac_key_is_usable(&key, true, NOW));
	ck_assert(phrbac_key_is_usable(&key, true, NOW - 1));
	key.expires_at = PHRBAC_NEVER;
	key.revoked = true;
	ck_assert(!phrbac_key_is_usable(&key, true, NOW));
}
END_TEST

START_TEST(sso_methods)
{
	ck_assert(phrbac_auth_method_is_sso("saml"));
	ck_assert(phrbac_auth_method_is_sso("oidc"));
	ck_assert(phrbac_auth_method_is_sso("google-oauth2"));
	ck_assert(phrbac_auth_method_is_sso("github"));
	ck_assert(phrbac_auth_method_is_sso("gitlab"));
	ck_assert(!phrbac_auth_method_is_sso("password"));
	ck_assert(!phrbac_auth_method_is_sso("database"));
	ck_assert(!phrbac_auth_method_is_sso("SAML"));
	ck_assert(!phrbac_auth_method_is_sso(""));
}
END_TEST

START_TEST(names_for_sql)
{
	ck_assert_str_eq(phrbac_source_name(PHRBAC_SOURCE_API_KEY), "api_key");
	ck_assert_str_eq(phrbac_source_name(PHRBAC_SOURCE_ORG_ADMIN), "org_admin");
	ck_assert_str_eq(phrbac_source_name(PHRBAC_SOURCE_PROJECT_ADMIN), "project_admin");
	ck_assert_str_eq(phrbac_source_name(PHRBAC_SOURCE_SYSTEM_DEFAULT), "system_default");
	ck_assert_str_eq(phrbac_subject_name(PHRBAC_SUBJECT_USER), "user");
	ck_assert_str_eq(phrbac_subject_name(PHRBAC_SUBJECT_ROLE), "role");
	ck_assert_str_eq(phrbac_subject_name(PHRBAC_SUBJECT_EVERYONE), "everyone");
}
END_TEST

Suite *
decision_suite(void)
{
	Suite	   *suite = suite_create("decision");
	TCase	   *table = tcase_create("table");
	TCase	   *parts = tcase_create("parts");

	tcase_add_loop_test(table, decision_row, 0, (int) lengthof(decision_cases));
	tcase_add_test(parts, absent_key_is_no_key);
	tcase_add_test(parts, project_role_alone);
	tcase_add_test(parts, key_usable);
	tcase_add_test(parts, sso_methods);
	tcase_add_test(parts, names_for_sql);
	suite_add_tcase(suite, table);
	suite_add_tcase(suite, parts);
	return suite;
}
