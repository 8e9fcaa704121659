-- One request that arrives with a personal API key.
BEGIN;
SELECT phrbac_authenticate(:secret);
SELECT phrbac_can(1, :want);
COMMIT;
