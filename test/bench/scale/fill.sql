-- The cache fill, in a new session: the first check (which also loads the
-- library and prepares the fill's queries; the clock stops before the
-- INSERT that records it), then one check for each of 1,000 other users, none
-- of them cached: prints the first check's time (ms), the median of the
-- others (ms), and what the cache held (bytes) after the first user.
\set ON_ERROR_STOP on
CREATE TEMP TABLE fill (n int, ms float8, bytes bigint);
DO $$
DECLARE
	u int;
	started timestamptz;
	elapsed interval;
	users int := (SELECT count(*) FROM phrbac.users);
BEGIN
	FOR u IN 0..1000 LOOP
		started := clock_timestamp();
		PERFORM phrbac_set_user(u * 7 % users + 1);
		PERFORM phrbac_can(u % 1000 + 1, 'insight:view');
		elapsed := clock_timestamp() - started;
		INSERT INTO fill VALUES (u, extract(epoch FROM elapsed) * 1000,
		                         (SELECT bytes FROM phrbac_cache_stats()));
	END LOOP;
END $$;
SELECT (SELECT ms FROM fill WHERE n = 0) AS first_ms,
       (SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY ms) FROM fill WHERE n > 0) AS median_ms,
       (SELECT bytes FROM fill WHERE n = 0) AS one_user_bytes;
