\set u random(1, :users)
BEGIN;
SELECT phrbac_set_user(:u);
SELECT count(*) FROM events;
COMMIT;
