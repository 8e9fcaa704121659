-- citus.sql: phrbac on a Citus cluster (README, "Citus").  Nothing here
-- needs Citus until it is called: the function reads Citus's catalog and
-- calls its functions by name, at run time.

CREATE OR REPLACE FUNCTION pg_catalog.phrbac_citus_setup()
RETURNS void
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	here text;
	node record;
	t text;
	catalog pg_catalog.regclass[];
	foreign_keys text[];
	drop_foreign_keys text;
	command text;
	messages text := pg_catalog.current_setting('client_min_messages');
BEGIN
	IF pg_catalog.current_setting('citus.propagate_set_commands', true) IS NULL
	   OR NOT EXISTS (SELECT 1 FROM pg_catalog.pg_extension AS e
	                  WHERE e.extname OPERATOR(pg_catalog.=) 'citus') THEN
		RAISE EXCEPTION 'Citus is not loaded in this database'
			USING ERRCODE = 'object_not_in_prerequisite_state',
			      HINT = 'Put citus in shared_preload_libraries, run CREATE EXTENSION citus and add the workers first.';
	END IF;
	IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_roles AS r
	               WHERE r.rolname OPERATOR(pg_catalog.=) SESSION_USER AND r.rolsuper) THEN
		RAISE EXCEPTION 'only a superuser may set phrbac up on a Citus cluster'
			USING ERRCODE = 'insufficient_privilege';
	END IF;
	-- the coordinator's copy of each change is the one audited and checked
	IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_dist_node AS n
	               WHERE n.groupid OPERATOR(pg_catalog.=) 0) THEN
		RAISE EXCEPTION 'the coordinator is not in Citus''s metadata'
			USING ERRCODE = 'object_not_in_prerequisite_state',
			      HINT = 'Run SELECT citus_set_coordinator_host(''<host>'', <port>) on it first.';
	END IF;
	-- the principal crosses nodes signed with the cluster secret: every node
	-- must hold the same one (compared by digest: the secret never travels)
	here := pg_catalog.current_setting('phrbac.cluster_secret', true);
	IF here IS NULL OR here OPERATOR(pg_catalog.=) '' THEN
		RAISE EXCEPTION 'phrbac.cluster_secret is not set'
			USING ERRCODE = 'object_not_in_prerequisite_state',
			      DETAIL = 'The principal reaches the workers signed with it.',
			      HINT = 'Set the same phrbac.cluster_secret (openssl rand -hex 32) in postgresql.conf on every node, reload, and run phrbac_citus_setup() again.';
	END IF;
	here := pg_catalog.encode(pg_catalog.sha256(pg_catalog.convert_to(here, 'UTF8')), 'hex');
	FOR node IN
		SELECT w.nodename, w.nodeport, w.success, w.result
		FROM pg_catalog.run_command_on_workers(
			$c$SELECT pg_catalog.encode(pg_catalog.sha256(pg_catalog.convert_to(
				COALESCE(pg_catalog.current_setting('phrbac.cluster_secret', true), ''), 'UTF8')), 'hex')$c$) AS w
	LOOP
		IF NOT node.success OR node.result OPERATOR(pg_catalog.<>) here THEN
			RAISE EXCEPTION 'phrbac.cluster_secret differs on node %:%', node.nodename, node.nodeport
				USING ERRCODE = 'object_not_in_prerequisite_state',
				      DETAIL = CASE WHEN node.success THEN 'Every node must hold the coordinator''s secret.'
				                    ELSE node.result END,
				      HINT = 'Set the same phrbac.cluster_secret in postgresql.conf on every node and reload.';
		END IF;
	END LOOP;

	-- The catalog becomes reference tables: a copy on every node, changed
	-- together.  Their triggers fire on every copy (README, "Citus").
	SELECT pg_catalog.array_agg(pg_catalog.format('phrbac.%I', n)::pg_catalog.regclass)
	INTO catalog FROM pg_catalog.unnest(phrbac.catalog_tables()) AS n;
	-- The catalog's foreign keys are set aside while its tables change kind
	-- (Citus would otherwise turn the tables that refer to one it converts
	-- into tables of its own, remaking them, which an extension's tables
	-- cannot be) and put back once all are reference tables, when Citus
	-- adds them to every node.  On the workers CREATE EXTENSION made them
	-- too: those go, or Citus finds them there already.
	SELECT pg_catalog.array_agg(pg_catalog.format('ALTER TABLE %s ADD CONSTRAINT %I %s',
	           c.conrelid::pg_catalog.regclass, c.conname, pg_catalog.pg_get_constraintdef(c.oid))
	           ORDER BY pg_catalog.array_position(phrbac.catalog_tables(), t.relname::text), c.conname)
	INTO foreign_keys
	FROM pg_catalog.pg_constraint AS c
	JOIN pg_catalog.pg_class AS t ON t.oid OPERATOR(pg_catalog.=) c.conrelid
	WHERE c.contype OPERATOR(pg_catalog.=) 'f'
	  AND c.conrelid OPERATOR(pg_catalog.=) ANY (catalog)
	  AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_dist_partition AS p
	                  WHERE p.logicalrelid OPERATOR(pg_catalog.=) c.conrelid);
	drop_foreign_keys := pg_catalog.format(
		$c$DO $d$ DECLARE r record; BEGIN
			FOR r IN SELECT c.conrelid::pg_catalog.regclass AS tbl, c.conname FROM pg_catalog.pg_constraint AS c
			         WHERE c.contype OPERATOR(pg_catalog.=) 'f'
			           AND c.conrelid OPERATOR(pg_catalog.=) ANY (%L::pg_catalog.regclass[])
			           AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_dist_partition AS p
			                           WHERE p.logicalrelid OPERATOR(pg_catalog.=) c.conrelid) LOOP
				EXECUTE pg_catalog.format('ALTER TABLE %%s DROP CONSTRAINT %%I', r.tbl, r.conname);
			END LOOP; END $d$ $c$, catalog);
	EXECUTE drop_foreign_keys;
	PERFORM pg_catalog.run_command_on_workers(drop_foreign_keys);

	-- The rows already there are copied with the triggers off: they were
	-- audited when they were written.  Once in the shards, the copy Citus
	-- leaves behind in the table itself goes (Citus's notices about it say
	-- to do just that: they are not shown).
	PERFORM pg_catalog.set_config('citus.enable_unsafe_triggers', 'on', true);
	PERFORM pg_catalog.set_config('session_replication_role', 'replica', true);
	PERFORM pg_catalog.set_config('client_min_messages', 'warning', true);
	FOREACH t IN ARRAY phrbac.catalog_tables() LOOP
		IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_dist_partition AS p
		               WHERE p.logicalrelid OPERATOR(pg_catalog.=) pg_catalog.format('phrbac.%I', t)::pg_catalog.regclass) THEN
			PERFORM pg_catalog.create_reference_table(pg_catalog.format('phrbac.%I', t)::pg_catalog.regclass);
			PERFORM pg_catalog.truncate_local_data_after_distributing_table(
				pg_catalog.format('phrbac.%I', t)::pg_catalog.regclass);
		END IF;
	END LOOP;
	PERFORM pg_catalog.set_config('client_min_messages', messages, true);
	FOREACH command IN ARRAY COALESCE(foreign_keys, '{}') LOOP
		EXECUTE command;
	END LOOP;
	PERFORM pg_catalog.set_config('session_replication_role', 'origin', true);
	-- a node added since holds every reference table from here on
	PERFORM pg_catalog.replicate_reference_tables();
END
$$;
REVOKE EXECUTE ON FUNCTION pg_catalog.phrbac_citus_setup() FROM PUBLIC;
COMMENT ON FUNCTION pg_catalog.phrbac_citus_setup() IS
'on a Citus coordinator, after adding workers (again after adding one): the catalog on every node, as reference tables';

CREATE OR REPLACE FUNCTION phrbac.citus_other_copy(tbl pg_catalog.regclass)
RETURNS boolean AS 'MODULE_PATHNAME', 'phrbac_citus_other_copy_sql' LANGUAGE C STRICT STABLE;
COMMENT ON FUNCTION phrbac.citus_other_copy(pg_catalog.regclass) IS
'true for a Citus reference table''s copy on a node other than the coordinator, whose triggers leave the change''s consequences to the coordinator''s copy';
