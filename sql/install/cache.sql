-- cache.sql: what the per-backend decision cache holds (README, Concepts,
-- "The cache").

CREATE OR REPLACE FUNCTION pg_catalog.phrbac_cache_stats(
	OUT entries bigint, OUT bytes bigint, OUT hits bigint, OUT misses bigint,
	OUT evictions bigint, OUT size_limit bigint)
RETURNS record AS 'MODULE_PATHNAME' LANGUAGE C VOLATILE PARALLEL RESTRICTED;
COMMENT ON FUNCTION pg_catalog.phrbac_cache_stats() IS
'this backend''s decision cache: users cached, bytes held, hits, misses and evictions since the backend started, and phrbac.cache_size in bytes';
