# 003_standby.pl: a hot standby decides like its primary.  Triggers never
# fire on a standby, but the relcache invalidations that phrbac's catalog
# triggers queue on the primary travel in the WAL: a standby session with a
# warm cache is refused by its next statement once a revocation is replayed.
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
	INSERT INTO phrbac.users (email) VALUES ('owner@acme.io'), ('eng@acme.io');
	INSERT INTO phrbac.organizations (name) VALUES ('Acme');
	INSERT INTO phrbac.projects (organization_id, name, default_role) VALUES (1, 'Production', 'none');
	INSERT INTO phrbac.organization_members (organization_id, user_id, role)
		VALUES (1, 1, 'owner'), (1, 2, 'member');
	INSERT INTO phrbac.project_members (project_id, user_id, role) VALUES (1, 2, 'member');
});

$primary->backup('backup');
my $standby = PostgreSQL::Test::Cluster->new('standby');
$standby->init_from_backup($primary, 'backup', has_streaming => 1);
$standby->start;
$primary->wait_for_catchup($standby);

# One long-lived standby session, the principal set for the session.
my $session = $standby->background_psql('postgres');
$session->query_safe(q{SELECT phrbac_set_user(2, 'password', false)});
is($session->query_safe(q{SELECT phrbac_can(1, 'insight:view')}), 't',
	'the standby allows what the primary granted');
is($session->query_safe(q{SELECT phrbac_can(1, 'insight:view')}), 't',
	'the answer now comes from the warm cache');

$primary->safe_psql('postgres', 'DELETE FROM phrbac.project_members WHERE user_id = 2');
$primary->wait_for_catchup($standby);
is($session->query_safe(q{SELECT phrbac_can(1, 'insight:view')}), 'f',
	'the same standby session is refused once the revocation is replayed');

$primary->safe_psql('postgres',
	q{INSERT INTO phrbac.project_members (project_id, user_id, role) VALUES (1, 2, 'viewer')});
$primary->wait_for_catchup($standby);
is($session->query_safe(q{SELECT phrbac_can(1, 'insight:view') || ' ' || phrbac_can(1, 'insight:edit')}),
	'true false', 'a new grant is replayed too: view, not edit');

$session->quit;
$standby->stop;
$primary->stop;
done_testing();
