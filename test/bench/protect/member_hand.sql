-- The best hand-written policy: membership table, sub-select, index.
BEGIN;
SET LOCAL ROLE bench_hand;
SET LOCAL bench.user_id = 2;
SELECT count(*) FROM events_hand;
COMMIT;
