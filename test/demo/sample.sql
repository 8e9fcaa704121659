-- sample.sql: Acme, the organization `make demo` enforces (after PostHog's
-- enterprise RBAC guide).  Run as the DBA, with no principal set.

-- Users get ids 1 to 7 in this order.
INSERT INTO phrbac.users (email, name) VALUES
	('olivia@acme.io',  'Olivia (owner)'),
	('adam@acme.io',    'Adam (admin)'),
	('erin@acme.io',    'Erin (engineer)'),
	('eli@acme.io',     'Eli (engineer)'),
	('paula@acme.io',   'Paula (product manager)'),
	('victor@acme.io',  'Victor (executive, viewer)'),
	('carl@contractor.dev', 'Carl (contractor)');

INSERT INTO phrbac.organizations (id, name) VALUES (1, 'Acme');
INSERT INTO phrbac.projects (id, organization_id, name, default_role) VALUES
	(1, 1, 'Production', 'none'),		-- private: only people and roles given a row
	(2, 1, 'Staging', 'member'),
	(3, 1, 'Development', 'member');

INSERT INTO phrbac.organization_members (organization_id, user_id, role, expires_at, reason) VALUES
	(1, 1, 'owner', NULL, 'founder'),
	(1, 2, 'admin', NULL, 'platform team lead'),
	(1, 3, 'member', NULL, 'engineering'),
	(1, 4, 'member', NULL, 'engineering'),
	(1, 5, 'member', NULL, 'product'),
	(1, 6, 'member', NULL, 'executive dashboard access'),
	(1, 7, 'member', now() + interval '30 days', 'Q3 data migration contract');

INSERT INTO phrbac.roles (id, organization_id, name) VALUES
	(1, 1, 'Engineering'), (2, 1, 'Product');
INSERT INTO phrbac.role_members (role_id, user_id) VALUES (1, 3), (1, 4), (2, 5);

INSERT INTO phrbac.project_members (project_id, role_id, user_id, role, reason) VALUES
	(1, 1, NULL, 'member', 'engineers ship to production'),
	(2, 1, NULL, 'admin', 'engineers run staging'),
	(1, 2, NULL, 'member', 'product owns production flags'),
	(1, NULL, 6, 'viewer', 'executives read production'),
	(2, NULL, 6, 'viewer', 'executives read staging'),
	(3, NULL, 6, 'viewer', 'executives read development'),
	(3, NULL, 7, 'member', 'the contractor works in development only');
-- The contractor is kept out of staging by a user-level rule.
INSERT INTO phrbac.access_rules (organization_id, project_id, user_id, role_id, access, reason) VALUES
	(1, 1, NULL, 1, 'feature_flag:view+create+edit', 'engineers may create but not delete production flags'),
	(1, 1, NULL, 2, 'feature_flag:editor', 'product edits production flags'),
	(1, 1, NULL, NULL, 'feature_flag/top-secret:viewer', 'the launch flag is read-only ...'),
	(1, 1, NULL, 2, 'feature_flag/top-secret:editor', '... except for product'),
	(1, 2, 7, NULL, '*:none', 'contractors stay out of staging');
