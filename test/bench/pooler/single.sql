BEGIN;
SELECT phrbac_set_user(1);
SELECT count(*) FROM events;
COMMIT;
