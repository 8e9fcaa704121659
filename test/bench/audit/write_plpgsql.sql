-- One write request: insert an insight, then update it (project :project).
\set id random(1, 9000000000000000)
BEGIN;
SET LOCAL ROLE bench_writer;
SELECT phrbac_set_user(1);
INSERT INTO insights_plpgsql VALUES (:id, :project, 'Signups', 'SELECT count() FROM events', '{"breakdown": "country"}', 1, now(), NULL, 0, false);
UPDATE insights_plpgsql SET views = views + 1, refreshed_at = now() WHERE id = :id;
COMMIT;
