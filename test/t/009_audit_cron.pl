# 009_audit_cron.pl: phrbac_audit_prune() scheduled with pg_cron (README,
# "Retention"), with Debian's postgresql-15-cron preloaded: the job runs,
# succeeds and prunes (the months an organization's retention has passed
# are gone, a checkpoint is left, every chain verifies).  pg_cron is not
# packaged for other major versions here: on them the test is skipped, and
# says why; on 15 a missing pg_cron fails it (test/lib/deps.sh installs it).
use strict;
use warnings;

use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;
use Time::HiRes qw(usleep);

my $node = PostgreSQL::Test::Cluster->new('cron');
my $pkglibdir = $node->config_data('--pkglibdir');
my ($major) = $node->config_data('--version') =~ /PostgreSQL (\d+)/;
if (!-f "$pkglibdir/pg_cron.so")
{
	if ($major == 15)
	{
		fail("pg_cron is installed for PostgreSQL 15 (Debian's postgresql-15-cron, test/lib/deps.sh)");
		done_testing();
		exit;
	}
	plan skip_all => "pg_cron is not packaged for PostgreSQL $major here "
	  . "(Debian ships postgresql-15-cron only): scheduling is tested on 15";
}

$node->init;
$node->append_conf('postgresql.conf', q{
shared_preload_libraries = 'pg_cron'
cron.database_name = 'postgres'
cron.use_background_workers = on
max_worker_processes = 16
});
$node->start;

# An organization that keeps one month, with three months of history.
$node->safe_psql('postgres', slurp_file('fixture/audit_backdate.sql') . q{
	CREATE EXTENSION phrbac;
	CREATE EXTENSION pg_cron;
	SET TimeZone = 'UTC';
	SELECT phrbac_audit_partition(date_trunc('month', now()) - make_interval(months => k)),
	       pg_temp.backdate(1, date_trunc('month', now()) - make_interval(months => k), 3)
	  FROM generate_series(3, 1, -1) AS k;
	INSERT INTO phrbac.organizations (id, name, audit_retention) VALUES (1, 'Acme', '1 month');
});
my $partitions = q{SELECT count(*) FROM pg_inherits WHERE inhparent = 'phrbac.audit_log'::regclass};
is($node->safe_psql('postgres', $partitions), '4', 'three months of history and this one');

# The README's one line, every minute here (pg_cron 1.4's finest).
$node->safe_psql('postgres',
	q{SELECT cron.schedule('phrbac-audit-prune', '* * * * *', 'SELECT phrbac_audit_prune()')});

# pg_cron starts jobs at the turn of a minute: wait for one run, at most
# three minutes.
my $run = '';
my $deadline = time() + 180;
while (time() < $deadline)
{
	$run = $node->safe_psql('postgres', q{
		SELECT status || ': ' || coalesce(return_message, '') FROM cron.job_run_details
		 WHERE status IN ('succeeded', 'failed') ORDER BY runid LIMIT 1});
	last if $run ne '';
	usleep(500_000);
}
is($run, 'succeeded: SELECT 1', 'the scheduled phrbac_audit_prune() ran and succeeded');

# It pruned: the two months the retention has passed are dropped (next
# month's partition made), a checkpoint holds the 6 rows, the chain verifies.
is($node->safe_psql('postgres', $partitions), '3', 'two months dropped, next month made');
is($node->safe_psql('postgres',
		q{SELECT detail->>'rows' FROM phrbac.audit_log WHERE activity = 'pruned'}),
	'6', 'a checkpoint names what the job pruned');
is($node->safe_psql('postgres',
		q{SELECT count(*) FILTER (WHERE first_bad_id IS NULL) || '/' || count(*) FROM phrbac_audit_verify()}),
	'1/1', 'the chain verifies after the scheduled prune');

$node->safe_psql('postgres', q{SELECT cron.unschedule('phrbac-audit-prune')});
$node->stop;
done_testing();
