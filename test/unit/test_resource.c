/*
 * test_resource.c
 *     Check tests of resource.c against README, "Built-in resources": every built-in resource
 *     the spec lists looks up (and nothing else does), ids stay where they
 *     were stored, and only the membership resources refuse access rules.
 */
#include <ctype.h>
#include <string.h>

#include "suites.h"
#include "core/resource.h"

typedef struct SpecResource
{
	const char *name;
	int			id;				/* the id stored on disk: never changes */
	bool		takes_rules;
} SpecResource;

/* README's list ("Built-in resources"), in its order, with the ids the registry gave them. */
static const SpecResource spec_resources[] = {
	{"action", 2, true},
	{"access_control", 1, true},
	{"activity_log", 3, true},
	{"annotation", 4, true},
	{"batch_export", 5, true},
	{"batch_import", 6, true},
	{"cohort", 7, true},
	{"dashboard", 8, true},
	{"dashboard_template", 9, true},
	{"early_access_feature", 10, true},
	{"error_tracking", 11, true},
	{"event", 12, true},
	{"event_definition", 13, true},
	{"experiment", 14, true},
	{"export", 15, true},
	{"feature_flag", 16, true},
	{"file_system", 17, true},
	{"group", 18, true},
	{"hog_function", 19, true},
	{"insight", 20, true},
	{"link", 21, true},
	{"logs", 22, true},
	{"notebook", 23, true},
	{"organization", 24, false},
	{"organization_member", 25, false},
	{"person", 26, true},
	{"plugin", 27, true},
	{"project", 28, false},
	{"property_definition", 29, true},
	{"query", 30, true},
	{"session_recording", 31, true},
	{"session_recording_playlist", 32, true},
	{"sharing_configuration", 33, true},
	{"subscription", 34, true},
	{"survey", 35, true},
	{"user", 36, false},
	{"warehouse_table", 37, true},
	{"warehouse_view", 38, true},
	{"webhook", 39, true},
};

START_TEST(spec_resource_row)
{
	const SpecResource *r = &spec_resources[_i];
	char		upper[64];
	size_t		len = strlen(r->name);
	size_t		i;
	int			id = phrbac_resource_lookup(r->name, len);

	ck_assert_msg(id == r->id, "%s: id %d, want %d", r->name, id, r->id);
	ck_assert_str_eq(phrbac_resource_name(id), r->name);
	ck_assert(phrbac_resource_is_valid(id));
	ck_assert_msg(phrbac_resource_takes_rules(id) == r->takes_rules,
				  "%s: takes_rules %d", r->name, !r->takes_rules);

	for (i = 0; i < len; i++)
		upper[i] = (char) toupper((unsigned char) r->name[i]);
	ck_assert_int_eq(phrbac_resource_lookup(upper, len), id);
}
END_TEST

/* The registry holds "*" and the spec's resources, nothing more. */
START_TEST(registry_is_the_spec_list)
{
	int			id;
	size_t		i;

	ck_assert_int_eq(phrbac_resource_count(), 1 + (int) lengthof(spec_resources));
	for (id = 1; id < phrbac_resource_count(); id++)
	{
		const char *name = phrbac_resource_name(id);
		bool		listed = false;

		for (i = 0; i < lengthof(spec_resources); i++)
			if (strcmp(spec_resources[i].name, name) == 0)
				listed = true;
		ck_assert_msg(listed, "id %d \"%s\" is not in README's list", id, name);
	}
}
END_TEST

START_TEST(any_is_id_zero)
{
	ck_assert_int_eq(PHRBAC_RESOURCE_ANY, 0);
	ck_assert_int_eq(phrbac_resource_lookup("*", 1), PHRBAC_RESOURCE_ANY);
	ck_assert_str_eq(phrbac_resource_name(PHRBAC_RESOURCE_ANY), "*");
	ck_assert(phrbac_resource_is_valid(PHRBAC_RESOURCE_ANY));
	ck_assert(phrbac_resource_takes_rules(PHRBAC_RESOURCE_ANY));
}
END_TEST

START_TEST(bad_ids)
{
	int			count = phrbac_resource_count();

	ck_assert(!phrbac_resource_is_valid(-1));
	ck_assert(!phrbac_resource_is_valid(count));
	ck_assert(phrbac_resource_is_valid(count - 1));
	ck_assert_ptr_null(phrbac_resource_name(-1));
	ck_assert_ptr_null(phrbac_resource_name(count));
	ck_assert(!phrbac_resource_takes_rules(-1));
	ck_assert(!phrbac_resource_takes_rules(count));
	ck_assert_uint_eq(phrbac_resource_default_access(count), PHRBAC_LEVEL_NONE);
}
END_TEST

typedef struct UnknownCase
{
	const char *name;
	const char *closest;		/* NULL: nothing close */
} UnknownCase;

static const UnknownCase unknown_cases[] = {
	{"featureflag", "feature_flag"},
	{"feature_flags", "feature_flag"},
	{"evnt", "event"},
	{"dashbord", "dashboard"},
	{"Insights", "insight"},
	{"organisation", "organization"},
	{"xyzzyqwerty", NULL},
	{"**", NULL},
	{"", NULL},
	{"feature_flag ", "feature_flag"},
	{"feature-flag", "feature_flag"},
};

START_TEST(unknown_row)
{
	const UnknownCase *c = &unknown_cases[_i];
	size_t		len = strlen(c->name);
	const char *got = phrbac_resource_closest(c->name, len);

	ck_assert_int_eq(phrbac_resource_lookup(c->name, len), -1);
	ck_assert_msg(got == NULL ? c->closest == NULL :
				  c->closest != NULL && strcmp(got, c->closest) == 0,
				  "\"%s\": closest \"%s\", want \"%s\"", c->name,
				  got ? got : "(none)", c->closest ? c->closest : "(none)");
}
END_TEST

START_TEST(closest_never_suggests_any)
{
	/* "*" is one edit from any one-byte token, yet never a correction */
	ck_assert_ptr_null(phrbac_resource_closest("x", 1));
	ck_assert_ptr_null(phrbac_resource_closest("+", 1));
}
END_TEST

START_TEST(lookup_is_counted)
{
	ck_assert_int_eq(phrbac_resource_lookup("event_definition", 5),
					 phrbac_resource_lookup("event", 5));
	ck_assert_int_eq(phrbac_resource_lookup("even", 4), -1);
}
END_TEST

/* Ordered by name with "*" first, whatever the ids. */
static const char *const sorted_names[] = {
	"*", "access_control", "action", "event", "event_definition",
	"feature_flag", "organization", "organization_member", "webhook"
};

START_TEST(compare_row)
{
	const char *a = sorted_names[_i];
	int			ia = phrbac_resource_lookup(a, strlen(a));
	size_t		j;

	for (j = 0; j < lengthof(sorted_names); j++)
	{
		const char *b = sorted_names[j];
		int			ib = phrbac_resource_lookup(b, strlen(b));
		int			want = (size_t) _i < j ? -1 : (size_t) _i > j ? 1 : 0;

		ck_assert_msg(phrbac_resource_compare(ia, ib) == want,
					  "compare(%s, %s) = %d, want %d", a, b,
					  phrbac_resource_compare(ia, ib), want);
	}
}
END_TEST

typedef struct DefaultCase
{
	const char *name;
	PhrbacActions access;
} DefaultCase;

static const DefaultCase default_cases[] = {
	{"feature_flag", PHRBAC_LEVEL_EDITOR},
	{"insight", PHRBAC_LEVEL_EDITOR},
	{"*", PHRBAC_LEVEL_EDITOR},
	{"activity_log", PHRBAC_LEVEL_VIEWER},
	{"organization", PHRBAC_LEVEL_VIEWER},
	{"organization_member", PHRBAC_LEVEL_VIEWER},
	{"project", PHRBAC_LEVEL_VIEWER},
	{"user", PHRBAC_LEVEL_VIEWER},
};

START_TEST(default_access_row)
{
	const DefaultCase *c = &default_cases[_i];
	int			id = phrbac_resource_lookup(c->name, strlen(c->name));

	ck_assert_msg(phrbac_resource_default_access(id) == c->access,
				  "%s: default 0x%02x, want 0x%02x", c->name,
				  phrbac_resource_default_access(id), c->access);
}
END_TEST

Suite *
resource_suite(void)
{
	Suite	   *s = suite_create("resource");
	TCase	   *tc;

	tc = tcase_create("registry");
	tcase_add_loop_test(tc, spec_resource_row, 0,
						(int) lengthof(spec_resources));
	tcase_add_test(tc, registry_is_the_spec_list);
	tcase_add_test(tc, any_is_id_zero);
	tcase_add_test(tc, bad_ids);
	suite_add_tcase(s, tc);

	tc = tcase_create("lookup");
	tcase_add_loop_test(tc, unknown_row, 0, (int) lengthof(unknown_cases));
	tcase_add_test(tc, closest_never_suggests_any);
	tcase_add_test(tc, lookup_is_counted);
	suite_add_tcase(s, tc);

	tc = tcase_create("order_and_defaults");
	tcase_add_loop_test(tc, compare_row, 0, (int) lengthof(sorted_names));
	tcase_add_loop_test(tc, default_access_row, 0,
						(int) lengthof(default_cases));
	suite_add_tcase(s, tc);
	return s;
}
