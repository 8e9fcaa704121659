-- 10,000 authentications, each followed by a check, in one statement: the
-- cost of the calls alone, without round trips.  (The lateral sub-select
-- names g, the same way in both scripts, so that it runs once per row.)
SELECT count(*) FILTER (WHERE phrbac_can(1, :want))
FROM generate_series(1, 10000) AS g
CROSS JOIN LATERAL (SELECT phrbac_authenticate(CASE WHEN g > 0 THEN :secret::text END)) AS principal;
