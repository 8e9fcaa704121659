-- On one core (no parallel workers): the organization's owner counts every event through phrbac's policies.
BEGIN;
SET LOCAL max_parallel_workers_per_gather = 0;
SET LOCAL ROLE bench_reader;
SELECT phrbac_set_user(1);
SELECT count(*) FROM events;
COMMIT;
