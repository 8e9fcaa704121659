-- On one core (no parallel workers): The floor: every event counted with no policy.
BEGIN;
SET LOCAL max_parallel_workers_per_gather = 0;
SET LOCAL ROLE bench_floor;
SELECT 1;
SELECT count(*) FROM events;
COMMIT;
