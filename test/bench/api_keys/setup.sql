-- The Acme sample plus the BI service account (user 8) and its key.
\i test/fixture/acme.sql
INSERT INTO phrbac.users (email, name) VALUES ('bi-bot@acme.io', 'BI service account');
INSERT INTO phrbac.organization_members (organization_id, user_id) VALUES (1, 8);
INSERT INTO phrbac.project_members (project_id, user_id, role) VALUES (1, 8, 'member');
BEGIN;
SELECT phrbac_set_user(8);
SELECT secret FROM phrbac_create_api_key('bi-dashboard-readonly', '{insight:read,dashboard:read,query:read}') \gset
COMMIT;
