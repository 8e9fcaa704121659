-- type_support.sql: what phrbac's three types have in common (input and
-- output, comparison, hashing, the operators and operator classes built on
-- them), documented once for the three.  Each type's own file documents
-- what is particular to it.

DO $$
DECLARE
	t text;
	op record;
BEGIN
	FOREACH t IN ARRAY ARRAY['role', 'scope', 'grant'] LOOP
		EXECUTE pg_catalog.format($sql$
			COMMENT ON FUNCTION pg_catalog.phrbac_%1$s_in(pg_catalog.cstring) IS
				'text input of phrbac_%1$s: checks the literal and stores its canonical form';
			COMMENT ON FUNCTION pg_catalog.phrbac_%1$s_out(pg_catalog.phrbac_%1$s) IS
				'text output of phrbac_%1$s: the canonical literal';
			COMMENT ON FUNCTION pg_catalog.phrbac_%1$s_recv(pg_catalog.internal) IS
				'binary input of phrbac_%1$s: a version byte, then the value; checked as text input is';
			COMMENT ON FUNCTION pg_catalog.phrbac_%1$s_send(pg_catalog.phrbac_%1$s) IS
				'binary output of phrbac_%1$s: a version byte, then the value';
			COMMENT ON FUNCTION pg_catalog.phrbac_%1$s_cmp(pg_catalog.phrbac_%1$s, pg_catalog.phrbac_%1$s) IS
				'btree comparison of phrbac_%1$s: -1, 0 or 1';
			COMMENT ON FUNCTION pg_catalog.phrbac_%1$s_hash(pg_catalog.phrbac_%1$s) IS
				'hash of phrbac_%1$s, for hash indexes, joins and aggregation';
			COMMENT ON FUNCTION pg_catalog.phrbac_%1$s_hash_extended(pg_catalog.phrbac_%1$s, bigint) IS
				'seeded 64-bit hash of phrbac_%1$s, for hash partitioning';
			COMMENT ON OPERATOR CLASS pg_catalog.phrbac_%1$s_ops USING btree IS
				'the default btree order of phrbac_%1$s';
			COMMENT ON OPERATOR CLASS pg_catalog.phrbac_%1$s_hash_ops USING hash IS
				'the default hash operator class of phrbac_%1$s'
		$sql$, t);
		FOR op IN SELECT * FROM (VALUES
				('=', 'eq', 'equal'), ('<>', 'ne', 'not equal'),
				('<', 'lt', 'less than'), ('<=', 'le', 'less than or equal'),
				('>', 'gt', 'greater than'), ('>=', 'ge', 'greater than or equal'))
				AS v (symbol, suffix, meaning)
		LOOP
			EXECUTE pg_catalog.format($sql$
				COMMENT ON OPERATOR pg_catalog.%2$s (pg_catalog.phrbac_%1$s, pg_catalog.phrbac_%1$s) IS %3$L;
				COMMENT ON FUNCTION pg_catalog.phrbac_%1$s_%4$s(pg_catalog.phrbac_%1$s, pg_catalog.phrbac_%1$s) IS %5$L
			$sql$, t, op.symbol, op.meaning,
				op.suffix, pg_catalog.format('implementation of the %s operator', op.symbol));
		END LOOP;
	END LOOP;
END
$$;
