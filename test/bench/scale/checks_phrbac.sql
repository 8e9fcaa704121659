-- 1,000,000 checks in one statement on one core: user 7, a member of 3
-- of the 1,000 projects, asks phrbac_can for each row (the grant spelled
-- without a colon, which pgbench would take for a variable; the planner
-- folds it into a constant).
BEGIN;
SET LOCAL max_parallel_workers_per_gather = 0;
SELECT phrbac_set_user(7);
SELECT count(*) FROM generate_series(1, 1000000) AS g WHERE phrbac_can(g % 1000 + 1, ('event' || chr(58) || 'view')::phrbac_grant);
COMMIT;
