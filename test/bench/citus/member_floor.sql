-- The floor: the same count with no policy and the projects written out.
BEGIN;
SET LOCAL ROLE bench_floor;
SELECT 1;
SELECT count(*) FROM events WHERE project_id IN (17, 342, 876);
COMMIT;
