-- access_review.sql: the view phrbac.access_review (README, "Governance").
--
-- The seed's quarterly review as one query: access expired or expiring
-- within 30 days, admins and owners, access with no reason on record, keys
-- unused for 90 days.  Each finding is tested at its boundary.

DROP EXTENSION phrbac;
CREATE EXTENSION phrbac;
\set QUIET on
\i test/fixture/acme.sql
-- The fixture's role memberships have no reason; give two of them one.
UPDATE phrbac.role_members SET reason = 'backend team' WHERE user_id IN (3, 4);
-- Expired an hour ago, and in 29 and 31 days.
UPDATE phrbac.project_members SET expires_at = now() - interval '1 hour' WHERE user_id = 6 AND project_id = 3;
UPDATE phrbac.project_members SET expires_at = now() + interval '29 days' WHERE user_id = 6 AND project_id = 2;
UPDATE phrbac.project_members SET expires_at = now() + interval '31 days' WHERE user_id = 6 AND project_id = 1;
UPDATE phrbac.organization_members SET expires_at = now() + interval '31 days' WHERE user_id = 7;
-- A project admin with a reason, an Acme-wide rule for Eli with none.
INSERT INTO phrbac.project_members (organization_id, project_id, user_id, role, reason)
	VALUES (1, 3, 4, 'admin', 'runs development');
INSERT INTO phrbac.access_rules (organization_id, project_id, user_id, access)
	VALUES (1, NULL, 4, 'dashboard:editor');
-- Keys: one used yesterday, one used 91 days ago, one never used in 100
-- days, one new and never used, one expired, one revoked.
BEGIN;
SELECT phrbac_set_user(5) \gset
SELECT count(*) FROM phrbac_create_api_key('used-yesterday') \gset
SELECT count(*) FROM phrbac_create_api_key('used-91-days-ago') \gset
SELECT count(*) FROM phrbac_create_api_key('never-used-old') \gset
SELECT count(*) FROM phrbac_create_api_key('never-used-new') \gset
SELECT count(*) FROM phrbac_create_api_key('expired', expires_at => now() + interval '1 day') \gset
SELECT count(*) FROM phrbac_create_api_key('revoked') \gset
SELECT phrbac_revoke_api_key(id) FROM phrbac.api_keys WHERE label = 'revoked' \gset
COMMIT;
-- As the DBA, with no principal: back-date what time would have done.
UPDATE phrbac.api_keys SET last_used_at = now() - interval '1 day' WHERE label = 'used-yesterday';
UPDATE phrbac.api_keys SET last_used_at = now() - interval '91 days', created_at = now() - interval '200 days'
	WHERE label = 'used-91-days-ago';
UPDATE phrbac.api_keys SET created_at = now() - interval '100 days' WHERE label = 'never-used-old';
UPDATE phrbac.api_keys SET expires_at = now() - interval '1 minute' WHERE label = 'expired';
CREATE ROLE auditor;
CREATE ROLE stranger;
GRANT USAGE ON SCHEMA phrbac TO auditor, stranger;
GRANT SELECT ON phrbac.access_review TO auditor;
\set QUIET off

-- The quarterly review, one query.
SET ROLE auditor;
SELECT email, access, regexp_replace(detail, 'phx_\.\.\.[0-9a-f]{4}', 'phx_...') AS detail, finding, reason,
       expires_at IS NOT NULL AS expires, last_used_at IS NOT NULL AS used
FROM phrbac.access_review
WHERE organization = 'Acme'
ORDER BY email, access, detail, finding;
RESET ROLE;

-- Each finding at its boundary: 29 days is soon, 31 is not; an hour ago is expired.
SELECT detail, finding FROM phrbac.access_review
WHERE user_id = 6 AND access = 'project_member' ORDER BY detail, finding;
-- An expired row no longer decides, and the review still lists it for
-- removal: Victor's viewer cap in Development has lapsed, so the project's
-- default level (member) is his now, which is why a reviewer needs to see it.
BEGIN;
SELECT phrbac_set_user(6);
SELECT phrbac_project_role(3) AS victor_in_development;
ROLLBACK;
-- Revoked keys are gone from the review; every other finding of a key is its own row.
SELECT regexp_replace(detail, ' \(phx_\.\.\.[0-9a-f]{4}\)', '') AS key, string_agg(finding, ',' ORDER BY finding) AS findings
FROM phrbac.access_review WHERE access = 'api_key' GROUP BY 1 ORDER BY 1;
-- Fixing the reason clears the finding.
UPDATE phrbac.access_rules SET reason = 'owns the exec dashboards' WHERE user_id = 4;
SELECT count(*) AS eli_rule_findings FROM phrbac.access_review WHERE user_id = 4 AND access = 'access_rule';
-- A key scoped to another organization is not Acme's to review.
INSERT INTO phrbac.organizations (name) VALUES ('Globex');
INSERT INTO phrbac.organization_members (organization_id, user_id, role, reason) VALUES (2, 5, 'owner', 'founder');
BEGIN;
SELECT phrbac_set_user(5);
SELECT count(*) FROM phrbac_create_api_key('globex-only', scoped_organizations => '{2}') \gset
COMMIT;
UPDATE phrbac.api_keys SET created_at = now() - interval '100 days' WHERE label = 'globex-only';
SELECT organization, access, finding FROM phrbac.access_review
WHERE detail LIKE 'globex-only%' ORDER BY 1, 2, 3;
-- Paula's unscoped keys reach every organization she belongs to, Globex now too.
SELECT organization, count(*) AS key_findings FROM phrbac.access_review
WHERE user_id = 5 AND access = 'api_key' GROUP BY 1 ORDER BY 1;

-- The review is the DBA's to grant, like the catalog.
SET ROLE stranger;
SELECT count(*) FROM phrbac.access_review;
RESET ROLE;

DROP OWNED BY auditor, stranger;
DROP ROLE auditor, stranger;
