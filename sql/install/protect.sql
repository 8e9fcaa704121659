-- protect.sql: protecting application tables.

CREATE OR REPLACE FUNCTION pg_catalog.phrbac_projects_reachable(want pg_catalog.phrbac_grant)
RETURNS bigint[] AS 'MODULE_PATHNAME' LANGUAGE C STABLE PARALLEL SAFE;
COMMENT ON FUNCTION pg_catalog.phrbac_projects_reachable(pg_catalog.phrbac_grant) IS
'the projects where the principal may hold want on some object: resource-wide, or through an object rule';

-- What phrbac_protect() did to a table is kept in the comments of the
-- policies it wrote (jsonb), so it lives and dies with them: pg_dump keeps
-- it, DROP TABLE removes it, and only the table's owner can change it.
-- This reads it back; it is in pg_catalog because phrbac_protect() and
-- phrbac_unprotect() read it with the privileges of a table's owner, who
-- needs none on schema phrbac.
CREATE OR REPLACE FUNCTION pg_catalog.phrbac_protection(tbl pg_catalog.regclass)
RETURNS jsonb
LANGUAGE sql STABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
	SELECT d.description::pg_catalog.jsonb OPERATOR(pg_catalog.->) 'protection'
	FROM pg_catalog.pg_policy AS p
	JOIN pg_catalog.pg_description AS d
	  ON d.objoid OPERATOR(pg_catalog.=) p.oid
	 AND d.classoid OPERATOR(pg_catalog.=) 'pg_catalog.pg_policy'::pg_catalog.regclass
	WHERE p.polrelid OPERATOR(pg_catalog.=) phrbac_protection.tbl
	  AND p.polname OPERATOR(pg_catalog.=) 'phrbac_select'
$$;
COMMENT ON FUNCTION pg_catalog.phrbac_protection(pg_catalog.regclass) IS
'what phrbac_protect recorded for a table (NULL: not protected): its arguments and the row-level security state phrbac_unprotect restores';

CREATE OR REPLACE VIEW phrbac.protected_tables AS
	SELECT p.polrelid::pg_catalog.regclass AS tbl,
	       m.resource, m.project_column, m.object_column, m.creator_column, m.audit, m.form,
	       m.rls_was_enabled, m.rls_was_forced
	FROM pg_catalog.pg_policy AS p
	CROSS JOIN LATERAL pg_catalog.jsonb_to_record(pg_catalog.phrbac_protection(p.polrelid))
		AS m(resource text, project_column name, object_column name, creator_column name,
		     audit boolean, form text, rls_was_enabled boolean, rls_was_forced boolean)
	WHERE p.polname OPERATOR(pg_catalog.=) 'phrbac_select';
COMMENT ON VIEW phrbac.protected_tables IS
'tables whose rows phrbac''s policies guard, and the row-level security state unprotect restores';
-- Nothing here that pg_policy does not already show everyone.
GRANT SELECT ON phrbac.protected_tables TO PUBLIC;

-- phrbac_protect() and phrbac_unprotect() run with the caller's privileges:
-- only a table's owner may change its policies.  They read no phrbac table,
-- so the owner needs no privilege on schema phrbac.
--
-- The predicate of each policy, in the standard form, on a bigint project
-- column with no object column: phrbac_can(project, want), whose planner
-- support (src/access_index.c) turns it into the index condition
-- "project = ANY (phrbac_projects(want))", the list made once per scan, and
-- sizes the plan for the principal's projects: an index scan for a member
-- of a few, a parallel scan of everything for an owner.  On a smaller
-- integer column (which that condition cannot index through the cast to
-- bigint) and with an object column, the projects the principal may reach
-- come from a sub-select, which PostgreSQL evaluates once per statement (an
-- InitPlan; the cast makes it an array rather than a sub-query for ANY) and
-- uses as an index key.  With an object column, rows of those projects are
-- also asked of phrbac_can(), which remembers each project's answer and
-- decides again only for objects an object rule names; the creator arm is
-- an index key on the creator column.  The citus form has no sub-query
-- (Citus refuses them in policies on distributed tables): phrbac_can() for
-- every row.  INSERT gets no creator bypass: a new row's creator is
-- whatever the inserter writes.  Moving a row to another project is
-- creating it there: the trigger phrbac_moves asks for create in the new
-- project, so a creator cannot carry their objects into a project closed
-- to them.
-- The trigger phrbac_protect() puts on a table's project column: while a
-- principal is set, moving a row to another project needs create there.
-- Arguments: the project column, and the grant to create in the resource.
CREATE OR REPLACE FUNCTION pg_catalog.phrbac_guard_moves()
RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	moved_to text := pg_catalog.to_jsonb(NEW) OPERATOR(pg_catalog.->>) TG_ARGV[0];
BEGIN
	IF pg_catalog.phrbac_principal_user_id() IS NOT NULL
	   AND moved_to IS DISTINCT FROM (pg_catalog.to_jsonb(OLD) OPERATOR(pg_catalog.->>) TG_ARGV[0])
	   AND NOT pg_catalog.phrbac_can(moved_to::bigint, TG_ARGV[1]::pg_catalog.phrbac_grant) THEN
		RAISE EXCEPTION 'you cannot move a row of "%" into project %', TG_TABLE_NAME, moved_to
			USING ERRCODE = 'insufficient_privilege',
			      DETAIL = pg_catalog.format('Moving a row needs %s in the project it moves to.', TG_ARGV[1]);
	END IF;
	RETURN NEW;
END
$$;
COMMENT ON FUNCTION pg_catalog.phrbac_guard_moves() IS
'trigger phrbac_moves of protected tables: moving a row to another project needs create there; arguments: the project column and the grant';

CREATE OR REPLACE FUNCTION pg_catalog.phrbac_protect(tbl pg_catalog.regclass, resource text,
	project_column name DEFAULT 'project_id', object_column name DEFAULT NULL,
	creator_column name DEFAULT NULL, audit boolean DEFAULT true, form text DEFAULT 'auto')
RETURNS void
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	table_name name;
	kind "char";
	rls_enabled boolean;
	rls_forced boolean;
	previous jsonb;
	protection jsonb;
	col record;
	command text;
	want text;
	object_text text;
	exact text;
	predicate text;
	distributed boolean := false;
	project_is_bigint boolean;
BEGIN
	SELECT c.relname, c.relkind, c.relrowsecurity, c.relforcerowsecurity
	INTO table_name, kind, rls_enabled, rls_forced
	FROM pg_catalog.pg_class AS c WHERE c.oid OPERATOR(pg_catalog.=) tbl;
	IF kind OPERATOR(pg_catalog.<>) ALL (ARRAY['r', 'p']::"char"[]) THEN
		RAISE EXCEPTION '"%" is not a table', table_name
			USING ERRCODE = 'wrong_object_type',
			      HINT = 'Protect the tables it reads; a view made WITH (security_invoker = true) then applies their policies.';
	END IF;
	IF form IS NULL OR form OPERATOR(pg_catalog.<>) ALL (ARRAY['auto', 'standard', 'citus']) THEN
		RAISE EXCEPTION 'invalid policy form: "%"', form
			USING ERRCODE = 'invalid_parameter_value',
			      HINT = 'Use "auto" (the default), "standard", or "citus" for Citus distributed and reference tables.';
	END IF;
	-- A Citus distributed or reference table takes the citus form, and its
	-- triggers (README, "Citus").
	IF pg_catalog.to_regclass('pg_catalog.pg_dist_partition') IS NOT NULL THEN
		EXECUTE 'SELECT EXISTS (SELECT 1 FROM pg_catalog.pg_dist_partition AS p'
		        ' WHERE p.logicalrelid OPERATOR(pg_catalog.=) $1)' INTO distributed USING tbl;
	END IF;
	IF distributed THEN
		IF form OPERATOR(pg_catalog.=) 'standard' THEN
			RAISE EXCEPTION '"%" is a Citus table: the standard form''s sub-query cannot run there', table_name
				USING ERRCODE = 'feature_not_supported',
				      HINT = 'Leave form out (it picks "citus" on Citus tables), or use form => ''citus''.';
		END IF;
		form := 'citus';
		PERFORM pg_catalog.set_config('citus.enable_unsafe_triggers', 'on', true);
	ELSIF form OPERATOR(pg_catalog.=) 'auto' THEN
		form := 'standard';
	END IF;
	resource := pg_catalog.phrbac_grant_resource((resource OPERATOR(pg_catalog.||) ':view')::pg_catalog.phrbac_grant);
	IF resource OPERATOR(pg_catalog.=) '*' THEN
		RAISE EXCEPTION 'a table holds one resource, not "*"'
			USING ERRCODE = 'invalid_parameter_value';
	END IF;
	FOR col IN SELECT * FROM (VALUES (project_column, 'project', true),
	                                 (object_column, 'object', false),
	                                 (creator_column, 'creator', true)) AS v(name, what, ids)
	           WHERE v.name IS NOT NULL LOOP
		IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_attribute AS a
		               WHERE a.attrelid OPERATOR(pg_catalog.=) tbl AND a.attname OPERATOR(pg_catalog.=) col.name
		                 AND a.attnum OPERATOR(pg_catalog.>) 0 AND NOT a.attisdropped) THEN
			RAISE EXCEPTION 'column "%" does not exist in table "%"', col.name, table_name
				USING ERRCODE = 'undefined_column',
				      HINT = pg_catalog.format('Name the table''s %s column with %s_column => ...', col.what, col.what);
		END IF;
		IF col.ids AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_attribute AS a
		                           WHERE a.attrelid OPERATOR(pg_catalog.=) tbl AND a.attname OPERATOR(pg_catalog.=) col.name
		                             AND a.atttypid OPERATOR(pg_catalog.=) ANY (ARRAY['int2', 'int4', 'int8']::pg_catalog.regtype[])) THEN
			RAISE EXCEPTION 'column "%" of table "%" is not an integer column', col.name, table_name
				USING ERRCODE = 'datatype_mismatch',
				      DETAIL = pg_catalog.format('The %s column holds phrbac ids, which are bigint.', col.what);
		END IF;
	END LOOP;
	project_is_bigint := EXISTS (SELECT 1 FROM pg_catalog.pg_attribute AS a
	                             WHERE a.attrelid OPERATOR(pg_catalog.=) tbl
	                               AND a.attname OPERATOR(pg_catalog.=) project_column
	                               AND a.atttypid OPERATOR(pg_catalog.=) 'pg_catalog.int8'::pg_catalog.regtype);

	IF audit IS NULL THEN
		RAISE EXCEPTION 'audit must be true or false' USING ERRCODE = 'null_value_not_allowed';
	END IF;
	protection := pg_catalog.jsonb_build_object(
		'resource', resource, 'project_column', project_column, 'object_column', object_column,
		'creator_column', creator_column, 'audit', audit, 'form', form);
	previous := pg_catalog.phrbac_protection(tbl);
	IF previous IS NOT NULL THEN
		IF previous OPERATOR(pg_catalog.@>) protection THEN
			RETURN;				-- protecting twice changes nothing
		END IF;
		rls_enabled := (previous OPERATOR(pg_catalog.->>) 'rls_was_enabled')::boolean;
		rls_forced := (previous OPERATOR(pg_catalog.->>) 'rls_was_forced')::boolean;
	END IF;
	protection := protection OPERATOR(pg_catalog.||) pg_catalog.jsonb_build_object(
		'rls_was_enabled', rls_enabled, 'rls_was_forced', rls_forced);

	FOREACH command IN ARRAY ARRAY['select', 'insert', 'update', 'delete'] LOOP
		want := pg_catalog.format('%L::pg_catalog.phrbac_grant', pg_catalog.format('%s:%s', resource,
			CASE command WHEN 'select' THEN 'view' WHEN 'insert' THEN 'create'
			             WHEN 'update' THEN 'edit' ELSE 'delete' END));
		object_text := CASE WHEN object_column IS NULL THEN 'NULL'
		               ELSE pg_catalog.format('%I::text', object_column) END;
		exact := pg_catalog.format('pg_catalog.phrbac_can(%I, %s, %s, %s)', project_column, want, object_text,
			CASE WHEN creator_column IS NULL OR command OPERATOR(pg_catalog.=) 'insert' THEN 'NULL'
			     ELSE pg_catalog.format('%I', creator_column) END);
		IF form OPERATOR(pg_catalog.=) 'citus' THEN
			predicate := exact;
		ELSIF object_column IS NULL AND project_is_bigint THEN
			predicate := pg_catalog.format('pg_catalog.phrbac_can(%I, %s)', project_column, want);
		ELSIF object_column IS NULL THEN
			predicate := pg_catalog.format(
				'%I OPERATOR(pg_catalog.=) ANY ((SELECT pg_catalog.phrbac_projects(%s))::bigint[])',
				project_column, want);
		ELSE
			predicate := pg_catalog.format(
				'%I OPERATOR(pg_catalog.=) ANY ((SELECT pg_catalog.phrbac_projects_reachable(%s))::bigint[]) AND %s',
				project_column, want, exact);
		END IF;
		IF form OPERATOR(pg_catalog.=) 'standard' AND creator_column IS NOT NULL
		   AND command OPERATOR(pg_catalog.<>) 'insert' THEN
			predicate := pg_catalog.format(
				'(%s) OR (%I OPERATOR(pg_catalog.=) pg_catalog.phrbac_principal_user_id() AND %s)',
				predicate, creator_column, exact);
		END IF;

		IF previous IS NOT NULL THEN
			EXECUTE pg_catalog.format('DROP POLICY %I ON %s', 'phrbac_' OPERATOR(pg_catalog.||) command, tbl);
		END IF;
		EXECUTE pg_catalog.format('CREATE POLICY %I ON %s FOR %s TO PUBLIC %s',
			'phrbac_' OPERATOR(pg_catalog.||) command, tbl, command,
			CASE command
			WHEN 'insert' THEN pg_catalog.format('WITH CHECK (%s)', predicate)
			WHEN 'update' THEN pg_catalog.format('USING (%1$s) WITH CHECK (%1$s)', predicate)
			ELSE pg_catalog.format('USING (%s)', predicate) END);
		EXECUTE pg_catalog.format('COMMENT ON POLICY %I ON %s IS %L',
			'phrbac_' OPERATOR(pg_catalog.||) command, tbl,
			pg_catalog.jsonb_build_object('needs', pg_catalog.format('%s:%s', resource,
				CASE command WHEN 'select' THEN 'view' WHEN 'insert' THEN 'create'
				             WHEN 'update' THEN 'edit' ELSE 'delete' END),
				'protection', protection));
	END LOOP;
	IF previous IS NOT NULL THEN
		EXECUTE pg_catalog.format('DROP TRIGGER phrbac_moves ON %s', tbl);
		EXECUTE pg_catalog.format('DROP TRIGGER IF EXISTS phrbac_audit ON %s', tbl);
		EXECUTE pg_catalog.format('DROP TRIGGER IF EXISTS phrbac_approvals ON %s', tbl);
	END IF;
	IF audit THEN
		-- the audit scope in PostHog's spelling: feature_flag -> FeatureFlag
		EXECUTE pg_catalog.format('CREATE TRIGGER phrbac_audit AFTER INSERT OR UPDATE OR DELETE ON %s'
			' FOR EACH ROW EXECUTE FUNCTION pg_catalog.phrbac_audit_trigger(%L, %L)', tbl,
			pg_catalog.replace(pg_catalog.initcap(pg_catalog.replace(resource, '_', ' ')), ' ', ''),
			project_column);
	END IF;
	EXECUTE pg_catalog.format('CREATE TRIGGER phrbac_moves BEFORE UPDATE OF %I ON %s FOR EACH ROW'
		' EXECUTE FUNCTION pg_catalog.phrbac_guard_moves(%L, %L)',
		project_column, tbl, project_column, resource OPERATOR(pg_catalog.||) ':create');
	-- approval policies (README, "Approvals")
	EXECUTE pg_catalog.format('CREATE TRIGGER phrbac_approvals BEFORE INSERT OR UPDATE OR DELETE ON %s FOR EACH ROW'
		' EXECUTE FUNCTION pg_catalog.phrbac_guard_approvals(%L, %L)', tbl, project_column, resource);
	EXECUTE pg_catalog.format('ALTER TABLE %s ENABLE ROW LEVEL SECURITY', tbl);
	EXECUTE pg_catalog.format('ALTER TABLE %s FORCE ROW LEVEL SECURITY', tbl);

	IF EXISTS (SELECT 1 FROM pg_catalog.pg_roles AS r
	           WHERE r.rolname OPERATOR(pg_catalog.=) CURRENT_USER AND (r.rolsuper OR r.rolbypassrls)) THEN
		RAISE NOTICE 'role "%" bypasses row-level security and sees every row of "%"', CURRENT_USER, table_name
			USING HINT = 'Check access as the application''s role, which must not be a superuser or have BYPASSRLS.';
	END IF;
END
$$;
COMMENT ON FUNCTION pg_catalog.phrbac_protect(pg_catalog.regclass, text, name, name, name, boolean, text) IS
'guards a table with row-level security policies that ask phrbac, one per command; form auto picks citus on Citus tables, else standard';

CREATE OR REPLACE FUNCTION pg_catalog.phrbac_unprotect(tbl pg_catalog.regclass)
RETURNS void
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	previous jsonb;
	command text;
BEGIN
	previous := pg_catalog.phrbac_protection(tbl);
	IF previous IS NULL THEN
		RAISE EXCEPTION 'table "%" is not protected by phrbac',
			(SELECT c.relname FROM pg_catalog.pg_class AS c WHERE c.oid OPERATOR(pg_catalog.=) tbl)
			USING ERRCODE = 'undefined_object';
	END IF;
	FOREACH command IN ARRAY ARRAY['select', 'insert', 'update', 'delete'] LOOP
		EXECUTE pg_catalog.format('DROP POLICY IF EXISTS %I ON %s', 'phrbac_' OPERATOR(pg_catalog.||) command, tbl);
	END LOOP;
	EXECUTE pg_catalog.format('DROP TRIGGER IF EXISTS phrbac_moves ON %s', tbl);
	EXECUTE pg_catalog.format('DROP TRIGGER IF EXISTS phrbac_audit ON %s', tbl);
	EXECUTE pg_catalog.format('DROP TRIGGER IF EXISTS phrbac_approvals ON %s', tbl);
	IF NOT (previous OPERATOR(pg_catalog.->>) 'rls_was_forced')::boolean THEN
		EXECUTE pg_catalog.format('ALTER TABLE %s NO FORCE ROW LEVEL SECURITY', tbl);
	END IF;
	IF NOT (previous OPERATOR(pg_catalog.->>) 'rls_was_enabled')::boolean THEN
		EXECUTE pg_catalog.format('ALTER TABLE %s DISABLE ROW LEVEL SECURITY', tbl);
	END IF;
END
$$;
COMMENT ON FUNCTION pg_catalog.phrbac_unprotect(pg_catalog.regclass) IS
'removes exactly what phrbac_protect added';
