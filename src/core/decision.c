/*
 * decision.c
 *     The decision procedure: see the design note in decision.h.
 */
#include "decision.h"

#include <string.h>

#include "resource.h"

static const char *const source_names[] = {
	"api_key", "org_membership", "sso", "creator", "org_admin", "project",
	"project_admin", "object", "resource", "organization", "system_default"
};

static const char *const subject_names[] = {"user", "role", "everyone"};

static const char *const sso_methods[] = {
	"saml", "oidc", "google-oauth2", "github", "gitlab"
};

const char *
phrbac_source_name(PhrbacSource source)
{
	return source_names[source];
}

const char *
phrbac_subject_name(PhrbacSubject subject)
{
	return subject_names[subject];
}

bool
phrbac_auth_method_is_sso(const char *method)
{
	size_t		i;

	for (i = 0; i < sizeof(sso_methods) / sizeof(sso_methods[0]); i++)
		if (strcmp(method, sso_methods[i]) == 0)
			return true;
	return false;
}

static void
settle(PhrbacDecision *decision, PhrbacActions access, PhrbacSource source,
	   PhrbacSubject subject, int64_t row_id)
{
	decision->access = access;
	decision->source = source;
	decision->subject = subject;
	decision->row_id = row_id;
}

bool
phrbac_key_is_usable(const PhrbacKey *key, bool user_active, PhrbacTimestamp now)
{
	return !key->revoked && phrbac_is_live(key->expires_at, now) && user_active;
}

/*
 * Step 1: whether the key may be used here at all and, when it may, the
 * actions its scopes allow on the resource (*allowed).
 */
static PhrbacKeyRefusal
key_allows(const PhrbacFacts *facts, const PhrbacKey *key,
		   const PhrbacRequest *request, PhrbacActions *allowed)
{
	PhrbacScope want = {.resource = request->resource};
	int			i;

	*allowed = PHRBAC_LEVEL_NONE;
	if (!phrbac_key_is_usable(key, facts->user_active, request->now))
		return PHRBAC_KEY_INVALID;
	if (!key->reaches_project || !key->reaches_organization)
		return PHRBAC_KEY_OUTSIDE_SCOPE;
	/*
	 * An organization's keys setting is known only to its members: for a
	 * project outside the user's organizations (or none at all) step 2
	 * denies, and there is no organization to name here.
	 */
	if (facts->organization.id != 0 && !facts->members_can_use_api_keys &&
		!(phrbac_is_live(facts->organization.expires_at, request->now) &&
		  facts->organization.role >= PHRBAC_ROLE_ADMIN))
		return PHRBAC_KEY_MEMBERS_CANNOT;

	for (i = 0; i < key->nscopes; i++)
	{
		want.access = PHRBAC_SCOPE_WRITE;
		if (phrbac_scope_covers(&key->scopes[i], &want))
		{
			*allowed = PHRBAC_ACTIONS_ALL;
			break;
		}
		want.access = PHRBAC_SCOPE_READ;
		if (phrbac_scope_covers(&key->scopes[i], &want))
			*allowed = PHRBAC_ACTION_VIEW;
	}
	return phrbac_actions_cover(*allowed, request->actions)
		? PHRBAC_KEY_ACCEPTED : PHRBAC_KEY_MISSING_SCOPE;
}

PhrbacRole
phrbac_decide_project_role(const PhrbacFacts *facts, PhrbacTimestamp now,
					int64_t *row_id, PhrbacSubject *subject)
{
	PhrbacRole	best = PHRBAC_ROLE_NONE;
	int64_t		best_id = 0;
	int			i;

	*row_id = 0;
	*subject = PHRBAC_SUBJECT_USER;
	if (!facts->user_active || facts->organization.id == 0 ||
		!phrbac_is_live(facts->organization.expires_at, now))
		return PHRBAC_ROLE_NONE;

	if (facts->project_user.id != 0 &&
		phrbac_is_live(facts->project_user.expires_at, now))
	{
		*row_id = facts->project_user.id;
		return facts->project_user.role;
	}

	for (i = 0; i < facts->nproject_roles; i++)
	{
		const PhrbacMembership *row = &facts->project_roles[i];

		if (!phrbac_is_live(row->expires_at, now))
			continue;
		if (best_id == 0 || row->role > best ||
			(row->role == best && row->id < best_id))
		{
			best = row->role;
			best_id = row->id;
		}
	}
	if (best_id != 0)
	{
		*row_id = best_id;
		*subject = PHRBAC_SUBJECT_ROLE;
		return best;
	}

	*subject = PHRBAC_SUBJECT_EVERYONE;
	return facts->project_default_role;
}

/* The three tiers of step 7, most specific first. */
typedef enum RuleTier
{
	TIER_OBJECT,
	TIER_PROJECT,
	TIER_ORGANIZATION
} RuleTier;

static const PhrbacSource tier_sources[] = {
	PHRBAC_SOURCE_OBJECT, PHRBAC_SOURCE_RESOURCE, PHRBAC_SOURCE_ORGANIZATION
};

/*
 * The tier of a rule that applies to the request, or -1 when it does not.
 * project_wide: the rule names this project rather than the organization.
 */
static int
rule_tier(const PhrbacRule *rule, bool project_wide,
		  const PhrbacRequest *request)
{
	if (rule->resource != request->resource &&
		rule->resource != PHRBAC_RESOURCE_ANY)
		return -1;
	if (rule->object != NULL)
	{
		if (request->object == NULL || rule->object_len != request->object_len ||
			memcmp(rule->object, request->object, rule->object_len) != 0)
			return -1;
		return TIER_OBJECT;
	}
	return project_wide ? TIER_PROJECT : TIER_ORGANIZATION;
}

/*
 * Specificity rank of an applicable rule: lower is more specific.  Tier,
 * then subject, then a rule naming the resource before a "*" rule.
 */
static int
rule_rank(const PhrbacRule *rule, int tier)
{
	return (tier * 3 + (int) rule->subject) * 2 +
		(rule->resource == PHRBAC_RESOURCE_ANY ? 1 : 0);
}

/* The most specific applicable rules seen so far, and the union of all. */
typedef struct RuleMatch
{
	int			rank;			/* -1 until a rule applies */
	int64_t		id;
	int			tier;
	PhrbacSubject subject;
	PhrbacActions rank_union;	/* union of the rules of the best rank */
	PhrbacActions all_union;	/* union of every applicable rule */
} RuleMatch;

static void
match_rules(const PhrbacRule *rules, int nrules, bool project_wide,
			const PhrbacRequest *request, RuleMatch *match)
{
	int			i;

	for (i = 0; i < nrules; i++)
	{
		const PhrbacRule *rule = &rules[i];
		int			tier = rule_tier(rule, project_wide, request);
		int			rank;

		if (tier < 0 || !phrbac_is_live(rule->expires_at, request->now))
			continue;
		rank = rule_rank(rule, tier);
		match->all_union |= rule->actions;
		if (match->rank < 0 || rank < match->rank)
		{
			match->rank = rank;
			match->id = rule->id;
			match->tier = tier;
			match->subject = rule->subject;
			match->rank_union = rule->actions;
		}
		else if (rank == match->rank)
		{
			match->rank_union |= rule->actions;
			if (rule->id < match->id)
				match->id = rule->id;
		}
	}
}

/*
 * Step 7.  Returns false when no rule applies; else fills decision with the
 * rules' access (uncapped), the most specific rule's tier and subject and its
 * id (the lowest id among equally specific rules).
 */
static bool
apply_rules(const PhrbacFacts *facts, const PhrbacRequest *request,
			PhrbacDecision *decision)
{
	RuleMatch	match = {.rank = -1};

	match_rules(facts->project_rules, facts->nproject_rules, true, request,
				&match);
	match_rules(facts->organization_rules, facts->norganization_rules, false,
				request, &match);
	if (match.rank < 0)
		return false;

	settle(decision,
		   facts->resolution == PHRBAC_RESOLUTION_MAX ? match.all_union
		   : match.rank_union,
		   tier_sources[match.tier], match.subject, match.id);
	return true;
}

/* Steps 2 to 8: what the user holds on the resource, keys aside. */
static void
user_access(const PhrbacFacts *facts, const PhrbacRequest *request,
			bool via_key, PhrbacDecision *decision)
{
	PhrbacRole	project_role;
	PhrbacSubject subject;
	int64_t		row_id;
	PhrbacActions cap;

	if (!facts->user_active || facts->organization.id == 0 ||
		!phrbac_is_live(facts->organization.expires_at, request->now))
	{
		settle(decision, PHRBAC_LEVEL_NONE, PHRBAC_SOURCE_ORG_MEMBERSHIP,
			   PHRBAC_SUBJECT_USER, facts->organization.id);
		return;
	}
	if (facts->enforce_sso && !via_key && !request->sso_login)
	{
		settle(decision, PHRBAC_LEVEL_NONE, PHRBAC_SOURCE_SSO,
			   PHRBAC_SUBJECT_USER, facts->organization.id);
		return;
	}
	if (request->is_creator)
	{
		settle(decision, PHRBAC_LEVEL_MANAGER, PHRBAC_SOURCE_CREATOR,
			   PHRBAC_SUBJECT_USER, 0);
		return;
	}
	if (facts->organization.role >= PHRBAC_ROLE_ADMIN)
	{
		settle(decision, PHRBAC_LEVEL_MANAGER, PHRBAC_SOURCE_ORG_ADMIN,
			   PHRBAC_SUBJECT_USER, facts->organization.id);
		return;
	}

	project_role = phrbac_decide_project_role(facts, request->now, &row_id, &subject);
	if (project_role == PHRBAC_ROLE_NONE)
	{
		settle(decision, PHRBAC_LEVEL_NONE, PHRBAC_SOURCE_PROJECT, subject,
			   row_id);
		return;
	}
	if (project_role >= PHRBAC_ROLE_ADMIN)
	{
		settle(decision, PHRBAC_LEVEL_MANAGER, PHRBAC_SOURCE_PROJECT_ADMIN,
			   subject, row_id);
		return;
	}
	cap = project_role == PHRBAC_ROLE_VIEWER ? PHRBAC_LEVEL_VIEWER
		: PHRBAC_LEVEL_MANAGER;

	if (!phrbac_resource_takes_rules(request->resource) ||
		!apply_rules(facts, request, decision))
		settle(decision, phrbac_resource_default_access(request->resource),
			   PHRBAC_SOURCE_SYSTEM_DEFAULT, PHRBAC_SUBJECT_EVERYONE, 0);
	decision->access &= cap;
}

void
phrbac_decide(const PhrbacFacts *facts, const PhrbacKey *key,
			  const PhrbacRequest *request, PhrbacDecision *decision)
{
	bool		via_key = key != NULL && key->present;
	PhrbacActions key_access = PHRBAC_ACTIONS_ALL;

	user_access(facts, request, via_key, decision);
	decision->key_refusal = PHRBAC_KEY_ACCEPTED;

	if (via_key)
	{
		PhrbacKeyRefusal refusal = key_allows(facts, key, request, &key_access);

		if (refusal != PHRBAC_KEY_ACCEPTED)
		{
			settle(decision, decision->access & key_access,
				   PHRBAC_SOURCE_API_KEY, PHRBAC_SUBJECT_USER, key->id);
			decision->key_refusal = refusal;
		}
	}
	decision->access &= key_access;
	/* Asking for nothing is never allowed: it would admit non-members. */
	decision->allowed = request->actions != PHRBAC_LEVEL_NONE &&
		phrbac_actions_cover(decision->access, request->actions);
}
