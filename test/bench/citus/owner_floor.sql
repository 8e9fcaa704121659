-- The floor: every event counted with no policy.
BEGIN;
SET LOCAL ROLE bench_floor;
SELECT 1;
SELECT count(*) FROM events;
COMMIT;
