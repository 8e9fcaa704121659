-- The organization's owner counts every event through phrbac's policies.
BEGIN;
SET LOCAL ROLE bench_reader;
SELECT phrbac_set_user(1);
SELECT count(*) FROM events;
COMMIT;
