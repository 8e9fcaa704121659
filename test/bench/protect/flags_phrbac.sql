-- The analyst reads the flags of their projects through phrbac's policies,
-- with object rules and the creator bypass in play.
BEGIN;
SET LOCAL ROLE bench_reader;
SELECT phrbac_set_user(2);
SELECT count(*), sum(rollout) FROM feature_flags;
COMMIT;
