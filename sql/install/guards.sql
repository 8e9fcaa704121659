-- guards.sql: who may change access, enforced on plain DML.

--
-- With a principal set, changes follow PostHog's rules; without one, only
-- the table privileges a database role holds apply (DBA maintenance).  The
-- same-organization checks and the last-owner invariant hold always.

CREATE OR REPLACE FUNCTION phrbac.organization_name(organization bigint)
RETURNS text
LANGUAGE sql STABLE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
	SELECT name FROM phrbac.organizations WHERE id OPERATOR(pg_catalog.=) organization
$$;
COMMENT ON FUNCTION phrbac.organization_name(bigint) IS
'an organization''s name, for messages';

-- True while the current user owns schema phrbac, as phrbac's own functions
-- run (SECURITY DEFINER, owned by the extension's owner, who owns every
-- catalog table).  The guards of tables only those functions write ask this
-- rather than who owns the table they fire on: on Citus they fire on a
-- shard, which Citus hides from pg_class.
CREATE OR REPLACE FUNCTION phrbac.writing_as_catalog_owner()
RETURNS boolean
LANGUAGE sql STABLE
SET search_path = pg_catalog, pg_temp
AS $$
	SELECT n.nspowner::pg_catalog.regrole::pg_catalog.name OPERATOR(pg_catalog.=) CURRENT_USER
	FROM pg_catalog.pg_namespace AS n WHERE n.nspname OPERATOR(pg_catalog.=) 'phrbac'
$$;
COMMENT ON FUNCTION phrbac.writing_as_catalog_owner() IS
'true while the current user owns schema phrbac, as phrbac''s functions run';

-- Raises 42501 unless there is no principal or it is an admin or owner of
-- the organization.  A row whose organization is already gone is being
-- removed by a cascade from that deletion, which was checked itself.
CREATE OR REPLACE FUNCTION phrbac.require_org_admin(organization bigint, what text)
RETURNS void
LANGUAGE plpgsql STABLE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
	IF pg_catalog.phrbac_principal_user_id() IS NOT NULL
	   AND EXISTS (SELECT 1 FROM phrbac.organizations AS o WHERE o.id OPERATOR(pg_catalog.=) organization)
	   AND pg_catalog.phrbac_org_role(organization) OPERATOR(pg_catalog.<) 'admin' THEN
		RAISE EXCEPTION 'only organization admins can change % in organization "%"',
			what, phrbac.organization_name(organization)
			USING ERRCODE = 'insufficient_privilege';
	END IF;
END
$$;
COMMENT ON FUNCTION phrbac.require_org_admin(bigint, text) IS
'raises 42501 unless no principal is set or it is an admin or owner of the organization';

-- Raises 42501 unless there is no principal, or it is an admin of the
-- project or of its organization.  A row whose project is already gone is
-- being removed by a cascade from that deletion, which was checked itself.
CREATE OR REPLACE FUNCTION phrbac.require_project_admin(project bigint, what text)
RETURNS void
LANGUAGE plpgsql STABLE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
	IF pg_catalog.phrbac_principal_user_id() IS NOT NULL
	   AND EXISTS (SELECT 1 FROM phrbac.projects AS p WHERE p.id OPERATOR(pg_catalog.=) project)
	   AND pg_catalog.phrbac_project_role(project) OPERATOR(pg_catalog.<) 'admin' THEN
		RAISE EXCEPTION 'only organization admins and project admins can change % in project "%"',
			what, (SELECT p.name FROM phrbac.projects AS p WHERE p.id OPERATOR(pg_catalog.=) project)
			USING ERRCODE = 'insufficient_privilege';
	END IF;
END
$$;
COMMENT ON FUNCTION phrbac.require_project_admin(bigint, text) IS
'raises 42501 unless no principal is set or it is an admin of the project or its organization';

-- Raises 23514 when a referenced project, role or user is not of the row's
-- organization (the composite foreign keys back this up).
CREATE OR REPLACE FUNCTION phrbac.require_same_organization(organization bigint, project bigint, role bigint, member bigint)
RETURNS void
LANGUAGE plpgsql STABLE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
	IF project IS NOT NULL AND NOT EXISTS (
		SELECT 1 FROM phrbac.projects AS p
		WHERE p.id OPERATOR(pg_catalog.=) project
		  AND p.organization_id OPERATOR(pg_catalog.=) organization) THEN
		RAISE EXCEPTION 'project % is not in organization "%"',
			project, phrbac.organization_name(organization)
			USING ERRCODE = 'check_violation';
	END IF;
	IF role IS NOT NULL AND NOT EXISTS (
		SELECT 1 FROM phrbac.roles AS r
		WHERE r.id OPERATOR(pg_catalog.=) role
		  AND r.organization_id OPERATOR(pg_catalog.=) organization) THEN
		RAISE EXCEPTION 'role % is not in organization "%"',
			role, phrbac.organization_name(organization)
			USING ERRCODE = 'check_violation';
	END IF;
	IF member IS NOT NULL AND NOT EXISTS (
		SELECT 1 FROM phrbac.organization_members AS m
		WHERE m.user_id OPERATOR(pg_catalog.=) member
		  AND m.organization_id OPERATOR(pg_catalog.=) organization) THEN
		RAISE EXCEPTION 'user % is not a member of organization "%"',
			member, phrbac.organization_name(organization)
			USING ERRCODE = 'check_violation';
	END IF;
END
$$;
COMMENT ON FUNCTION phrbac.require_same_organization(bigint, bigint, bigint, bigint) IS
'raises 23514 when a project, role or user a row names is not of the row''s organization';

CREATE OR REPLACE FUNCTION phrbac.guard_users()
RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	principal bigint := pg_catalog.phrbac_principal_user_id();
BEGIN
	IF principal IS NULL THEN
		RETURN CASE WHEN TG_OP OPERATOR(pg_catalog.=) 'DELETE' THEN OLD ELSE NEW END;
	END IF;
	IF TG_OP OPERATOR(pg_catalog.=) 'UPDATE'
	   AND OLD.id OPERATOR(pg_catalog.=) principal
	   AND NEW.id OPERATOR(pg_catalog.=) OLD.id
	   AND NEW.is_active OPERATOR(pg_catalog.=) OLD.is_active
	   AND NEW.db_role IS NOT DISTINCT FROM OLD.db_role THEN
		RETURN NEW;				-- users edit their own name and email
	END IF;
	RAISE EXCEPTION 'users are created, deactivated and removed by the database administrator or SSO provisioning'
		USING ERRCODE = 'insufficient_privilege';
END
$$;
COMMENT ON FUNCTION phrbac.guard_users() IS
'trigger: with a principal set, users edit only their own name and email; the DBA or SSO provisioning does the rest';

CREATE OR REPLACE FUNCTION phrbac.guard_organizations()
RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
	IF TG_OP OPERATOR(pg_catalog.=) 'INSERT' THEN
		RETURN NEW;				-- anyone may found an organization
	END IF;
	IF TG_OP OPERATOR(pg_catalog.=) 'DELETE' THEN
		IF pg_catalog.phrbac_principal_user_id() IS NOT NULL
		   AND pg_catalog.phrbac_org_role(OLD.id) OPERATOR(pg_catalog.<) 'owner' THEN
			RAISE EXCEPTION 'only owners can delete organization "%"', OLD.name
				USING ERRCODE = 'insufficient_privilege';
		END IF;
		RETURN OLD;
	END IF;
	PERFORM phrbac.require_org_admin(OLD.id, 'the settings');
	-- how long the audit log keeps the organization's rows: shortening it
	-- erases history at the next prune
	IF NEW.audit_retention IS DISTINCT FROM OLD.audit_retention
	   AND pg_catalog.phrbac_principal_user_id() IS NOT NULL
	   AND pg_catalog.phrbac_org_role(OLD.id) OPERATOR(pg_catalog.<) 'owner' THEN
		RAISE EXCEPTION 'only owners can change the audit retention of organization "%"', OLD.name
			USING ERRCODE = 'insufficient_privilege';
	END IF;
	RETURN NEW;
END
$$;
COMMENT ON FUNCTION phrbac.guard_organizations() IS
'trigger: anyone founds an organization, its admins change its settings (its owners the audit retention), its owners delete it';

CREATE OR REPLACE FUNCTION phrbac.guard_organization_members()
RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	principal bigint := pg_catalog.phrbac_principal_user_id();
	org bigint := CASE WHEN TG_OP OPERATOR(pg_catalog.=) 'DELETE' THEN OLD.organization_id ELSE NEW.organization_id END;
	own_level pg_catalog.phrbac_role := pg_catalog.phrbac_org_role(org);
	founding boolean;
BEGIN
	IF principal IS NOT NULL THEN
		-- The founder (creator) of an organization with no members yet makes
		-- themself its owner.
		founding := TG_OP OPERATOR(pg_catalog.=) 'INSERT'
			AND NEW.user_id OPERATOR(pg_catalog.=) principal
			AND EXISTS (SELECT 1 FROM phrbac.organizations
			            WHERE id OPERATOR(pg_catalog.=) org
			              AND created_by OPERATOR(pg_catalog.=) principal)
			AND NOT EXISTS (SELECT 1 FROM phrbac.organization_members
			                WHERE organization_id OPERATOR(pg_catalog.=) org);
		IF TG_OP OPERATOR(pg_catalog.=) 'DELETE' AND OLD.user_id OPERATOR(pg_catalog.=) principal THEN
			NULL;				-- anyone may leave (the last owner check below still holds)
		ELSIF NOT founding THEN
			PERFORM phrbac.require_org_admin(org, 'members');
			IF TG_OP OPERATOR(pg_catalog.=) 'UPDATE'
			   AND OLD.user_id OPERATOR(pg_catalog.=) principal
			   AND NEW.role OPERATOR(pg_catalog.<>) OLD.role THEN
				RAISE EXCEPTION 'you cannot change your own organization role'
					USING ERRCODE = 'insufficient_privilege';
			END IF;
			IF TG_OP OPERATOR(pg_catalog.<>) 'INSERT' AND OLD.role OPERATOR(pg_catalog.=) 'owner'
			   AND own_level OPERATOR(pg_catalog.<) 'owner' THEN
				RAISE EXCEPTION 'only owners can change or remove an owner of organization "%"',
					phrbac.organization_name(org)
					USING ERRCODE = 'insufficient_privilege';
			END IF;
			IF TG_OP OPERATOR(pg_catalog.<>) 'DELETE' AND NEW.role OPERATOR(pg_catalog.>) own_level THEN
				RAISE EXCEPTION 'you cannot grant a level above your own (%)', own_level
					USING ERRCODE = 'insufficient_privilege',
					      HINT = 'Only owners can make an owner.';
			END IF;
		END IF;
	END IF;

	-- The last owner stays, unless the organization itself is going.
	IF TG_OP OPERATOR(pg_catalog.<>) 'INSERT'
	   AND OLD.role OPERATOR(pg_catalog.=) 'owner'
	   AND (TG_OP OPERATOR(pg_catalog.=) 'DELETE'
	        OR NEW.role OPERATOR(pg_catalog.<>) 'owner'
	        OR NEW.organization_id OPERATOR(pg_catalog.<>) OLD.organization_id)
	   AND EXISTS (SELECT 1 FROM phrbac.organizations WHERE id OPERATOR(pg_catalog.=) OLD.organization_id)
	   AND NOT EXISTS (
		SELECT 1 FROM phrbac.organization_members AS m
		WHERE m.organization_id OPERATOR(pg_catalog.=) OLD.organization_id
		  AND m.id OPERATOR(pg_catalog.<>) OLD.id
		  AND m.role OPERATOR(pg_catalog.=) 'owner'
		  AND (m.expires_at IS NULL OR m.expires_at OPERATOR(pg_catalog.>) pg_catalog.now())
		FOR UPDATE) THEN
		RAISE EXCEPTION 'organization "%" must keep at least one owner',
			phrbac.organization_name(OLD.organization_id)
			USING ERRCODE = 'check_violation';
	END IF;
	RETURN CASE WHEN TG_OP OPERATOR(pg_catalog.=) 'DELETE' THEN OLD ELSE NEW END;
END
$$;
COMMENT ON FUNCTION phrbac.guard_organization_members() IS
'trigger: who may add, change and remove organization members; owners and the last owner';

CREATE OR REPLACE FUNCTION phrbac.guard_organization_rows()
RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	what text := pg_catalog.replace(TG_TABLE_NAME, '_', ' ');
BEGIN
	IF TG_OP OPERATOR(pg_catalog.<>) 'INSERT' THEN
		PERFORM phrbac.require_org_admin(OLD.organization_id, what);
	END IF;
	IF TG_OP OPERATOR(pg_catalog.<>) 'DELETE' THEN
		PERFORM phrbac.require_org_admin(NEW.organization_id, what);
		RETURN NEW;
	END IF;
	RETURN OLD;
END
$$;
COMMENT ON FUNCTION phrbac.guard_organization_rows() IS
'trigger: only organization admins change an organization''s projects, roles and SSO group mappings';

CREATE OR REPLACE FUNCTION phrbac.guard_role_members()
RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
	IF TG_OP OPERATOR(pg_catalog.<>) 'DELETE' THEN
		IF NEW.organization_id IS NULL THEN
			NEW.organization_id := (SELECT organization_id FROM phrbac.roles WHERE id OPERATOR(pg_catalog.=) NEW.role_id);
		END IF;
		PERFORM phrbac.require_same_organization(NEW.organization_id, NULL, NEW.role_id, NEW.user_id);
		PERFORM phrbac.require_org_admin(NEW.organization_id, 'role members');
	END IF;
	IF TG_OP OPERATOR(pg_catalog.<>) 'INSERT' THEN
		PERFORM phrbac.require_org_admin(OLD.organization_id, 'role members');
	END IF;
	RETURN CASE WHEN TG_OP OPERATOR(pg_catalog.=) 'DELETE' THEN OLD ELSE NEW END;
END
$$;
COMMENT ON FUNCTION phrbac.guard_role_members() IS
'trigger: who may add and remove role members';

CREATE OR REPLACE FUNCTION phrbac.guard_project_members()
RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	own_level pg_catalog.phrbac_role;
BEGIN
	IF TG_OP OPERATOR(pg_catalog.<>) 'DELETE' THEN
		IF NEW.organization_id IS NULL THEN
			NEW.organization_id := (SELECT organization_id FROM phrbac.projects WHERE id OPERATOR(pg_catalog.=) NEW.project_id);
		END IF;
		PERFORM phrbac.require_same_organization(NEW.organization_id, NEW.project_id, NEW.role_id, NEW.user_id);
		PERFORM phrbac.require_project_admin(NEW.project_id, 'members');
		own_level := pg_catalog.phrbac_project_role(NEW.project_id);
		IF pg_catalog.phrbac_principal_user_id() IS NOT NULL AND NEW.role OPERATOR(pg_catalog.>) own_level THEN
			RAISE EXCEPTION 'you cannot grant a level above your own (%)', own_level
				USING ERRCODE = 'insufficient_privilege';
		END IF;
	END IF;
	IF TG_OP OPERATOR(pg_catalog.<>) 'INSERT' THEN
		PERFORM phrbac.require_project_admin(OLD.project_id, 'members');
	END IF;
	RETURN CASE WHEN TG_OP OPERATOR(pg_catalog.=) 'DELETE' THEN OLD ELSE NEW END;
END
$$;
COMMENT ON FUNCTION phrbac.guard_project_members() IS
'trigger: who may give, change and take project levels; never above one''s own';

CREATE OR REPLACE FUNCTION phrbac.guard_access_rules()
RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
	IF TG_OP OPERATOR(pg_catalog.<>) 'DELETE' THEN
		IF NEW.organization_id IS NULL THEN
			NEW.organization_id := (SELECT organization_id FROM phrbac.projects WHERE id OPERATOR(pg_catalog.=) NEW.project_id);
		END IF;
		IF NOT pg_catalog.phrbac_grant_takes_rules(NEW.access) THEN
			RAISE EXCEPTION 'resource "%" takes no access rules', pg_catalog.phrbac_grant_resource(NEW.access)
				USING ERRCODE = 'check_violation',
				      HINT = 'Its access comes from organization and project membership levels.';
		END IF;
		PERFORM phrbac.require_same_organization(NEW.organization_id, NEW.project_id, NEW.role_id, NEW.user_id);
		IF NEW.project_id IS NULL THEN
			PERFORM phrbac.require_org_admin(NEW.organization_id, 'organization-wide access rules');
		ELSE
			PERFORM phrbac.require_project_admin(NEW.project_id, 'access rules');
		END IF;
	END IF;
	IF TG_OP OPERATOR(pg_catalog.<>) 'INSERT' THEN
		IF OLD.project_id IS NULL THEN
			PERFORM phrbac.require_org_admin(OLD.organization_id, 'organization-wide access rules');
		ELSE
			PERFORM phrbac.require_project_admin(OLD.project_id, 'access rules');
		END IF;
	END IF;
	RETURN CASE WHEN TG_OP OPERATOR(pg_catalog.=) 'DELETE' THEN OLD ELSE NEW END;
END
$$;
COMMENT ON FUNCTION phrbac.guard_access_rules() IS
'trigger: who may write access rules; never above one''s own access';

CREATE OR REPLACE FUNCTION phrbac.guard_sso_group_mappings()
RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
	IF TG_OP OPERATOR(pg_catalog.<>) 'DELETE' THEN
		PERFORM phrbac.require_same_organization(NEW.organization_id, NULL, NEW.role_id, NULL);
		-- a mapping makes owners at login: only an owner may write one
		IF NEW.org_role OPERATOR(pg_catalog.=) 'owner'
		   AND pg_catalog.phrbac_principal_user_id() IS NOT NULL
		   AND pg_catalog.phrbac_org_role(NEW.organization_id) OPERATOR(pg_catalog.<) 'owner' THEN
			RAISE EXCEPTION 'only owners can map an identity provider group to owner'
				USING ERRCODE = 'insufficient_privilege';
		END IF;
	END IF;
	RETURN CASE WHEN TG_OP OPERATOR(pg_catalog.=) 'DELETE' THEN OLD ELSE NEW END;
END
$$;
COMMENT ON FUNCTION phrbac.guard_sso_group_mappings() IS
'trigger: a mapping''s role is of its organization; only owners map a group to owner';

CREATE OR REPLACE TRIGGER guard BEFORE INSERT OR UPDATE OR DELETE ON phrbac.users
	FOR EACH ROW EXECUTE FUNCTION phrbac.guard_users();
CREATE OR REPLACE TRIGGER guard BEFORE UPDATE OR DELETE OR INSERT ON phrbac.organizations
	FOR EACH ROW EXECUTE FUNCTION phrbac.guard_organizations();
CREATE OR REPLACE TRIGGER guard BEFORE INSERT OR UPDATE OR DELETE ON phrbac.projects
	FOR EACH ROW EXECUTE FUNCTION phrbac.guard_organization_rows();
CREATE OR REPLACE TRIGGER guard BEFORE INSERT OR UPDATE OR DELETE ON phrbac.organization_members
	FOR EACH ROW EXECUTE FUNCTION phrbac.guard_organization_members();
CREATE OR REPLACE TRIGGER guard BEFORE INSERT OR UPDATE OR DELETE ON phrbac.roles
	FOR EACH ROW EXECUTE FUNCTION phrbac.guard_organization_rows();
CREATE OR REPLACE TRIGGER guard BEFORE INSERT OR UPDATE OR DELETE ON phrbac.role_members
	FOR EACH ROW EXECUTE FUNCTION phrbac.guard_role_members();
CREATE OR REPLACE TRIGGER guard BEFORE INSERT OR UPDATE OR DELETE ON phrbac.project_members
	FOR EACH ROW EXECUTE FUNCTION phrbac.guard_project_members();
CREATE OR REPLACE TRIGGER guard BEFORE INSERT OR UPDATE OR DELETE ON phrbac.access_rules
	FOR EACH ROW EXECUTE FUNCTION phrbac.guard_access_rules();
CREATE OR REPLACE TRIGGER guard BEFORE INSERT OR UPDATE OR DELETE ON phrbac.sso_group_mappings
	FOR EACH ROW EXECUTE FUNCTION phrbac.guard_organization_rows();
CREATE OR REPLACE TRIGGER same_organization BEFORE INSERT OR UPDATE ON phrbac.sso_group_mappings
	FOR EACH ROW EXECUTE FUNCTION phrbac.guard_sso_group_mappings();
