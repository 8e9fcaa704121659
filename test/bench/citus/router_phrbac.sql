-- The member counts one project's events: a router query, one shard.
BEGIN;
SET LOCAL ROLE bench_reader;
SELECT phrbac_set_user(2);
SELECT count(*) FROM events WHERE project_id = 17;
COMMIT;
