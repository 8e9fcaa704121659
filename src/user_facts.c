/*
 * user_facts.c
 *     The questions asked of a user's facts: one project (the user's own
 *     facts for it, else the organization's shared ones), one organization,
 *     the user's live level in it, the decision procedure's facts for a
 *     project, one live key.
 */
#include "postgres.h"

#include "user_facts.h"

static const PhrbacProjectFacts *
find_project(const PhrbacProjectFacts *projects, int nprojects, int64 project_id)
{
	int			low = 0;
	int			high = nprojects - 1;

	while (low <= high)
	{
		int			mid = low + (high - low) / 2;
		int64		id = projects[mid].id;

		if (id == project_id)
			return &projects[mid];
		if (id < project_id)
			low = mid + 1;
		else
			high = mid - 1;
	}
	return NULL;
}

/* The user's own facts for the project, else their organization's. */
const PhrbacProjectFacts *
phrbac_user_project(const PhrbacUserFacts *user, int64 project_id)
{
	const PhrbacProjectFacts *project = find_project(user->projects, user->nprojects,
													 project_id);
	int			i;

	for (i = 0; project == NULL && i < user->norganizations; i++)
		project = find_project(user->organizations[i].projects,
							   user->organizations[i].nprojects, project_id);
	return project;
}

/*
 * False when the user can have no access to the project at all: no row of
 * their own or of a role, a private project, and no organization admin.
 * The membership's expiry is left to the decision procedure.
 */
static bool
may_reach(const PhrbacUserFacts *user, const PhrbacProjectFacts *project)
{
	return project->user_row.id != 0 || project->nrole_rows != 0 ||
		project->default_role != PHRBAC_ROLE_NONE ||
		user->organizations[project->organization].membership.role >= PHRBAC_ROLE_ADMIN;
}

/*
 * The user's own facts name few projects; the organization's other
 * projects are read only where one may be reachable: where the user is an
 * admin, or some project is open to every member.
 */
void
phrbac_user_each_reachable_project(const PhrbacUserFacts *user,
								   void (*fn) (const PhrbacProjectFacts *project, void *arg),
								   void *arg)
{
	int			i;
	int			j;

	for (i = 0; i < user->nprojects; i++)
		if (may_reach(user, &user->projects[i]))
			fn(&user->projects[i], arg);
	for (i = 0; i < user->norganizations; i++)
	{
		const PhrbacOrganizationFacts *organization = &user->organizations[i];

		if (organization->membership.role < PHRBAC_ROLE_ADMIN &&
			organization->nopen_projects == 0)
			continue;
		for (j = 0; j < organization->nprojects; j++)
		{
			const PhrbacProjectFacts *shared = &organization->projects[j];

			if (may_reach(user, shared) &&
				find_project(user->projects, user->nprojects, shared->id) == NULL)
				fn(shared, arg);
		}
	}
}

const PhrbacOrganizationFacts *
phrbac_user_organization(const PhrbacUserFacts *user, int64 organization_id)
{
	int			i;

	for (i = 0; i < user->norganizations; i++)
		if (user->organizations[i].id == organization_id)
			return &user->organizations[i];
	return NULL;
}

PhrbacRole
phrbac_user_org_role(const PhrbacUserFacts *user, int64 organization_id,
					 PhrbacTimestamp now)
{
	const PhrbacOrganizationFacts *organization =
		phrbac_user_organization(user, organization_id);

	if (organization == NULL || !user->is_active ||
		!phrbac_is_live(organization->membership.expires_at, now))
		return PHRBAC_ROLE_NONE;
	return organization->membership.role;
}

void
phrbac_project_decision_facts(const PhrbacUserFacts *user,
							  const PhrbacProjectFacts *project,
							  PhrbacFacts *facts)
{
	const PhrbacOrganizationFacts *organization;

	memset(facts, 0, sizeof(*facts));
	facts->user_active = user->exists && user->is_active;
	if (project == NULL)
		return;
	organization = &user->organizations[project->organization];
	facts->organization = organization->membership;
	facts->enforce_sso = organization->enforce_sso;
	facts->members_can_use_api_keys = organization->members_can_use_api_keys;
	facts->resolution = organization->resolution;
	facts->project_default_role = project->default_role;
	facts->project_user = project->user_row;
	facts->project_roles = project->role_rows;
	facts->nproject_roles = project->nrole_rows;
	facts->project_rules = project->rules;
	facts->nproject_rules = project->nrules;
	facts->organization_rules = organization->rules;
	facts->norganization_rules = organization->nrules;
}

const PhrbacKeyFacts *
phrbac_user_key(const PhrbacUserFacts *user, int64 key_id)
{
	int			i;

	for (i = 0; i < user->nkeys; i++)
		if (user->keys[i].id == key_id)
			return &user->keys[i];
	return NULL;
}
