/*
 * run_unit.c
 *     Runs every Check suite of the src/core unit tests and exits non-zero
 *     when any check fails.  Built and run by "make unit".
 */
#include <stdlib.h>

#include "suites.h"

int
main(void)
{
	SRunner    *runner = srunner_create(literal_suite());
	int			failed;

	srunner_add_suite(runner, spelling_suite());
	srunner_add_suite(runner, resource_suite());
	srunner_add_suite(runner, action_suite());
	srunner_add_suite(runner, role_suite());
	srunner_add_suite(runner, scope_suite());
	srunner_add_suite(runner, grant_suite());
	srunner_add_suite(runner, decision_suite());
	srunner_add_suite(runner, api_key_suite());

	srunner_run_all(runner, CK_NORMAL);
	failed = srunner_ntests_failed(runner);
	srunner_free(runner);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
