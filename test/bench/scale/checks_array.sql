-- The same rows against a precomputed list of user 7's projects (what
-- phrbac_projects('event:view') returns them; bench_same_rows checks it).
BEGIN;
SET LOCAL max_parallel_workers_per_gather = 0;
SELECT count(*) FROM generate_series(1, 1000000) AS g WHERE g % 1000 + 1 = ANY ('{8,341,674}'::bigint[]);
COMMIT;
