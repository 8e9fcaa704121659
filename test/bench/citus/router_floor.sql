-- The floor: the same router query with no policy.
BEGIN;
SET LOCAL ROLE bench_floor;
SELECT 1;
SELECT count(*) FROM events WHERE project_id = 17;
COMMIT;
