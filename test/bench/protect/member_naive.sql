-- A naive policy: a PL/pgSQL function for every row.
BEGIN;
SET LOCAL ROLE bench_naive;
SET LOCAL bench.user_id = 2;
SELECT count(*) FROM events_hand;
COMMIT;
