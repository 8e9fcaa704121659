-- The floor: the same flags with no policy and the projects written out.
BEGIN;
SET LOCAL ROLE bench_floor;
SELECT 1;
SELECT count(*), sum(rollout) FROM feature_flags WHERE project_id IN (17, 342, 876);
COMMIT;
