# 005_audit.pl: the audit log across processes and servers.
#
# phrbac.log_denials writes a refused phrbac_require() to the server log;
# pg_dump and pg_restore keep every chain verifiable, a month's partition
# pruned by retention included (README, "Retention"); a hot standby, where
# no trigger fires, verifies the chains it replays; a row edited with the
# triggers disabled is named by phrbac_audit_verify() on the standby too;
# phrbac_audit_export() refuses to page there.
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
});
$primary->safe_psql('postgres', q{
	BEGIN;
	SELECT phrbac_set_user(1);
	INSERT INTO phrbac.project_members (project_id, user_id, role) VALUES (1, 2, 'viewer');
	UPDATE phrbac.organization_members SET role = 'admin' WHERE user_id = 2;
	COMMIT;
});

# log_denials: the denial reaches the server log; off, it does not.
my $offset = -s $primary->logfile;
$primary->psql('postgres', q{
	SET phrbac.log_denials = on;
	BEGIN; SELECT phrbac_set_user(2); UPDATE phrbac.organization_members SET role = 'member' WHERE user_id = 2; COMMIT;
	BEGIN; SELECT phrbac_set_user(2, 'password'); SELECT phrbac_require(1, 'insight:manage'); COMMIT;
});
my $log = slurp_file($primary->logfile, $offset);
unlike($log, qr/phrbac denied insight:manage/, 'an admin is not denied: nothing logged');
$primary->safe_psql('postgres', q{
	BEGIN; SELECT phrbac_set_user(1);
	UPDATE phrbac.organization_members SET role = 'member' WHERE user_id = 2;
	UPDATE phrbac.project_members SET role = 'viewer' WHERE user_id = 2;
	COMMIT;
});
$offset = -s $primary->logfile;
$primary->psql('postgres', q{
	SET phrbac.log_denials = on;
	BEGIN; SELECT phrbac_set_user(2); SELECT phrbac_require(1, 'insight:edit'); COMMIT;
});
$log = slurp_file($primary->logfile, $offset);
like($log, qr/LOG:  phrbac denied insight:view\+edit in project 1 to user 2/,
	'a denied phrbac_require reaches the server log');
$offset = -s $primary->logfile;
$primary->psql('postgres', q{
	BEGIN; SELECT phrbac_set_user(2); SELECT phrbac_require(1, 'insight:edit'); COMMIT;
});
$log = slurp_file($primary->logfile, $offset);
unlike($log, qr/phrbac denied/, 'with log_denials off, no denial line');
my ($ret, $out, $err) = $primary->psql('postgres', q{
	CREATE ROLE regress_plain LOGIN;
	SELECT phrbac_can(1, 'insight:view');
	SET ROLE regress_plain;
	SET phrbac.log_denials = off;
});
like($err, qr/permission denied to set parameter "phrbac.log_denials"/,
	'only superusers change phrbac.log_denials');

# Three months of an organization's history (test/fixture/audit_backdate.sql),
# kept one month: phrbac_audit_prune() drops the two older months' partitions
# and leaves a checkpoint.
$primary->safe_psql('postgres', slurp_file('fixture/audit_backdate.sql') . q{
	SET TimeZone = 'UTC';
	SELECT phrbac_audit_partition(date_trunc('month', now()) - make_interval(months => k)),
	       pg_temp.backdate(2, date_trunc('month', now()) - make_interval(months => k), 3)
	  FROM generate_series(3, 1, -1) AS k;
	INSERT INTO phrbac.organizations (id, name, audit_retention) VALUES (2, 'Old', '1 month');
});
is($primary->safe_psql('postgres', q{
		SELECT count(*) FROM pg_inherits WHERE inhparent = 'phrbac.audit_log'::regclass;
		SELECT phrbac_audit_prune();
		SELECT count(*) FROM pg_inherits WHERE inhparent = 'phrbac.audit_log'::regclass;
		SELECT detail->>'rows' FROM phrbac.audit_log WHERE activity = 'pruned'}),
	"4\n6\n3\n6", 'the prune drops two months whole (and makes next month\'s) and leaves a checkpoint');

my $chains = q{SELECT coalesce(organization_id::text, 'none') || ':' || rows_checked || ':' || coalesce(first_bad_id::text, 'ok')
               FROM phrbac_audit_verify() ORDER BY organization_id NULLS FIRST};
my $before = $primary->safe_psql('postgres', $chains);
like($before, qr/^none:\d+:ok\n1:\d+:ok\n2:5:ok$/, 'the chains verify on the primary, the pruned one too');

# pg_dump and pg_restore keep the chains (the restore's own COPY of the
# catalog, by a superuser with no principal, is not audited again).
my $dump = $primary->basedir . '/phrbac.dump';
$primary->command_ok([ 'pg_dump', '-Fc', '-d', $primary->connstr('postgres'), '-f', $dump ], 'pg_dump');
$primary->safe_psql('postgres', 'CREATE DATABASE restored');
$primary->command_ok([ 'pg_restore', '-d', $primary->connstr('restored'), $dump ], 'pg_restore');
is($primary->safe_psql('restored', $chains), $before, 'the restored chains verify, row for row');

# A hot standby verifies the replayed chains and names a tampered row.
$primary->backup('backup');
my $standby = PostgreSQL::Test::Cluster->new('standby');
$standby->init_from_backup($primary, 'backup', has_streaming => 1);
$standby->start;
$primary->wait_for_catchup($standby);
is($standby->safe_psql('postgres', $chains), $before, 'the standby verifies the same chains');

my $tampered = $primary->safe_psql('postgres', q{
	ALTER TABLE phrbac.audit_log DISABLE TRIGGER append_only;
	UPDATE phrbac.audit_log SET user_id = 2 WHERE id = (SELECT min(id) FROM phrbac.audit_log WHERE user_id = 1)
		RETURNING id;
	ALTER TABLE phrbac.audit_log ENABLE TRIGGER append_only;
});
($tampered) = $tampered =~ /(\d+)/;
$primary->wait_for_catchup($standby);
is($standby->safe_psql('postgres', q{SELECT first_bad_id FROM phrbac_audit_verify(1)}), $tampered,
	'the standby names the row edited behind the triggers\' back');
my (undef, undef, $refused) = $standby->psql('postgres', 'SELECT * FROM phrbac_audit_export()');
like($refused, qr/phrbac_audit_export\(\) runs on the primary only/,
	'the export refuses to page on a standby, which cannot see the writers\' locks');

$standby->stop;
$primary->stop;
done_testing();
