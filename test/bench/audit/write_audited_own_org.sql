-- One write request per client, each client in an organization of its own.
\set id random(1, 9000000000000000)
\set project :client_id % 8 + 1
BEGIN;
SET LOCAL ROLE bench_writer;
SELECT phrbac_set_user(1);
INSERT INTO insights_audited VALUES (:id, :project, 'Signups', 'SELECT count() FROM events', '{"breakdown": "country"}', 1, now(), NULL, 0, false);
UPDATE insights_audited SET views = views + 1, refreshed_at = now() WHERE id = :id;
COMMIT;
