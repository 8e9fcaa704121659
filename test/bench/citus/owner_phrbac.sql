-- The organization's owner counts every event through the policy.
BEGIN;
SET LOCAL ROLE bench_reader;
SELECT phrbac_set_user(1);
SELECT count(*) FROM events;
COMMIT;
