# 010_project_keys.pl: project credentials on a hot standby (README,
# "Project keys and tokens").  Authenticating with a project token or a
# project secret key reads the catalog only, so it works on a standby; a
# token reset or a key revocation replayed there refuses the old credential,
# in a standby session already authenticated with it too.
use strict;
use warnings;

use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;

my $primary = PostgreSQL::Test::Cluster->new('primary');
$primary->init(allows_streaming => 1);
$primary->start;
$primary->safe_psql('postgres', q{
	CREATE EXTENSION phrbac;
	INSERT INTO phrbac.users (email) VALUES ('owner@acme.io');
	INSERT INTO phrbac.organizations (name) VALUES ('Acme');
	INSERT INTO phrbac.projects (organization_id, name) VALUES (1, 'Production');
	INSERT INTO phrbac.organization_members (organization_id, user_id, role) VALUES (1, 1, 'owner');
});
my $token = $primary->safe_psql('postgres', 'SELECT phrbac_project_token(1)');
my $secret = $primary->safe_psql('postgres', q{
	BEGIN;
	SELECT phrbac_set_user(1);
	SELECT secret FROM phrbac_create_project_key(1, 'BI', '{insight:read}');
	COMMIT;
});
($secret) = $secret =~ /(phs_[0-9a-f]{64})/;
like($token, qr/^phc_[0-9a-f]{64}$/, 'the project has a token');
ok(defined $secret, 'a project key was made');

$primary->backup('backup');
my $standby = PostgreSQL::Test::Cluster->new('standby');
$standby->init_from_backup($primary, 'backup', has_streaming => 1);
$standby->start;
$primary->wait_for_catchup($standby);

# Two long-lived standby sessions, each authenticated for the session.
my $ingest = $standby->background_psql('postgres');
is($ingest->query_safe(qq{SELECT phrbac_authenticate('$token', false) IS NULL}), 't',
	'a project token authenticates on the standby');
is($ingest->query_safe(q{SELECT phrbac_whoami()->>'kind'}), 'project_token',
	'whoami says it is a project token');
is($ingest->query_safe(q{SELECT phrbac_can(1, 'event:create') || ' ' || phrbac_can(1, 'event:view')}),
	'true false', 'the token may create events, nothing else');

my $bi = $standby->background_psql('postgres');
isnt($bi->query_safe(qq{SELECT phrbac_authenticate('$secret', false)}), '',
	'a project key authenticates on the standby (no last_used_at stamp there)');
is($bi->query_safe(q{SELECT phrbac_whoami()->>'kind'}), 'project_secret_key',
	'whoami says it is a project secret key');
is($bi->query_safe(q{SELECT phrbac_can(1, 'insight:view') || ' ' || phrbac_can(1, 'insight:edit')}),
	'true false', 'the key reads insights, within its scope');
is($primary->safe_psql('postgres', 'SELECT last_used_at IS NULL FROM phrbac.project_keys'), 't',
	'the standby wrote nothing');

# The reset and the revocation, made on the primary, replayed on the standby.
my $new_token = $primary->safe_psql('postgres', q{
	BEGIN;
	SELECT phrbac_set_user(1);
	SELECT phrbac_reset_project_token(1);
	SELECT phrbac_revoke_project_key(id) FROM phrbac.project_keys;
	COMMIT;
});
$primary->wait_for_catchup($standby);

is($ingest->query_safe(q{SELECT phrbac_can(1, 'event:create')}), 'f',
	'the standby session of the old token is refused once the reset is replayed');
is($bi->query_safe(q{SELECT phrbac_can(1, 'insight:view')}), 'f',
	'the standby session of the revoked key is refused once the revocation is replayed');
$ingest->quit;
$bi->quit;

my ($ret, $stdout, $stderr) = $standby->psql('postgres', qq{SELECT phrbac_authenticate('$token')});
like($stderr, qr/invalid API key.*\n.*project token .* may have been reset/,
	'the old token no longer authenticates on the standby');
($ret, $stdout, $stderr) = $standby->psql('postgres', qq{SELECT phrbac_authenticate('$secret')});
like($stderr, qr/invalid API key.*\n.*Project key .* was revoked/,
	'the revoked key no longer authenticates on the standby');
($new_token) = $new_token =~ /(phc_[0-9a-f]{64})/;
is($standby->safe_psql('postgres', qq{
	BEGIN;
	SELECT phrbac_authenticate('$new_token') IS NULL;
	SELECT phrbac_can(1, 'event:create');
	COMMIT;
}), "t\nt", 'the new token works on the standby');

$standby->stop;
$primary->stop;
done_testing();
