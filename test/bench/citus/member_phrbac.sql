-- The member counts the events of the 3 projects phrbac lets them see.
BEGIN;
SET LOCAL ROLE bench_reader;
SELECT phrbac_set_user(2);
SELECT count(*) FROM events;
COMMIT;
