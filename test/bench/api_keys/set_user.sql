-- One request of a back end that sets the principal itself.
BEGIN;
SELECT phrbac_set_user(:user_id);
SELECT phrbac_can(1, :want);
COMMIT;
