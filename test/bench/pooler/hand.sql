\set u random(1, :users)
BEGIN;
SET LOCAL bench.user_id = :u;
SELECT count(*) FROM events_hand;
COMMIT;
