# 004_api_keys.pl: personal API keys on a primary and its hot standby.
#
# A standby authenticates keys although it cannot write last_used_at; a
# standby session that authenticated with a key is refused by its next
# statement once the key's revocation is replayed.  No secret reaches the
# server log (with log_statement at its default), whether authentication
# succeeds or fails.
use strict;
use warnings;

use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;

my $primary = PostgreSQL::Test::Cluster->new('primary');
$primary->init(allows_streaming => 1);
# The test framework logs every statement; a server as shipped does not.
$primary->append_conf('postgresql.conf', "log_statement = 'none'");
$primary->start;
$primary->safe_psql('postgres', q{
	CREATE EXTENSION phrbac;
	INSERT INTO phrbac.users (email) VALUES ('owner@acme.io'), ('bi@acme.io');
	INSERT INTO phrbac.organizations (name) VALUES ('Acme');
	INSERT INTO phrbac.projects (organization_id, name) VALUES (1, 'Production');
	INSERT INTO phrbac.organization_members (organization_id, user_id, role)
		VALUES (1, 1, 'owner'), (1, 2, 'member');
});

# The BI key of PostHog's guide: read insights, dashboards and queries.
my $secret = $primary->safe_psql('postgres', q{
	BEGIN;
	SELECT phrbac_set_user(2);
	SELECT secret FROM phrbac_create_api_key('BI dashboard',
		'{insight:read,dashboard:read,query:read}');
	COMMIT;
});
($secret) = $secret =~ /(phx_[0-9a-f]{64})/;
ok(defined $secret, 'the secret is returned once');

$primary->backup('backup');
my $standby = PostgreSQL::Test::Cluster->new('standby');
$standby->init_from_backup($primary, 'backup', has_streaming => 1);
$standby->start;
$primary->wait_for_catchup($standby);

my $session = $standby->background_psql('postgres');
is($session->query_safe(qq{SELECT phrbac_authenticate('$secret', false)}), '1',
	'a hot standby authenticates the key');
is($session->query_safe(q{SELECT phrbac_can(1, 'insight:view') || ' ' || phrbac_can(1, 'insight:edit')}),
	'true false', 'the key reads insights and cannot edit them');
is($standby->safe_psql('postgres', q{SELECT last_used_at IS NULL FROM phrbac.api_keys}),
	't', 'the standby did not try to write last_used_at');

# Revoke on the primary: the standby session loses access after replay.
$primary->safe_psql('postgres', q{
	BEGIN;
	SELECT phrbac_set_user(1);
	SELECT phrbac_revoke_api_key(1);
	COMMIT;
});
$primary->wait_for_catchup($standby);
is($session->query_safe(q{SELECT phrbac_can(1, 'insight:view')}), 'f',
	'the authenticated standby session is refused once the revocation is replayed');
$session->quit;

my ($ret, $stdout, $stderr) = $standby->psql('postgres',
	qq{SELECT phrbac_authenticate('$secret')});
like($stderr, qr/ERROR:  invalid API key/, 'the revoked key no longer authenticates');
like($stderr, qr/DETAIL:  Key phx_\.\.\.[0-9a-f]{4} was revoked\./, 'the detail names the mask');

# A read-only transaction on the primary authenticates a fresh key too.
my $second = $primary->safe_psql('postgres', q{
	BEGIN;
	SELECT phrbac_set_user(2);
	SELECT secret FROM phrbac_create_api_key('exports', '{event:read,query:read}');
	COMMIT;
});
($second) = $second =~ /(phx_[0-9a-f]{64})/;
is($primary->safe_psql('postgres', qq{
	BEGIN READ ONLY;
	SELECT phrbac_authenticate('$second');
	SELECT phrbac_can(1, 'event:view');
	COMMIT;
}), "2\nt", 'a read-only transaction authenticates and checks');
is($primary->safe_psql('postgres', q{SELECT last_used_at IS NULL FROM phrbac.api_keys WHERE id = 2}),
	't', 'and leaves last_used_at alone');
is($primary->safe_psql('postgres', qq{
	SELECT phrbac_authenticate('$second');
	SELECT last_used_at IS NOT NULL FROM phrbac.api_keys WHERE id = 2;
}), "2\nt", 'a writable transaction records the use');

for my $node ($primary, $standby)
{
	my $log = slurp_file($node->logfile);
	unlike($log, qr/\Q$secret\E/, $node->name . ': the first secret is not in the server log');
	unlike($log, qr/\Q$second\E/, $node->name . ': the second secret is not in the server log');
}

$standby->stop;
$primary->stop;
done_testing();
