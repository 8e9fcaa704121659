# 008_pooler.pl: the principal behind PgBouncer in transaction mode, with one
# server connection that every client shares (README, "Principals behind a
# pooler").
#
# A transaction-local principal (is_local, the default) ends with its
# transaction: the next client on the same server connection has none.  A
# session principal (is_local false) stays on the server connection, and
# the next client, whoever it is, acts as that user: never use it behind a
# transaction pooler.
use strict;
use warnings;

use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;
use IPC::Run;
use Time::HiRes qw(usleep);

my $node = PostgreSQL::Test::Cluster->new('pooled');
$node->init;
$node->start;
$node->safe_psql('postgres', q{
	CREATE EXTENSION phrbac;
	INSERT INTO phrbac.users (email) VALUES ('alice@acme.io'), ('bob@acme.io');
	CREATE ROLE app LOGIN;
	GRANT EXECUTE ON FUNCTION phrbac_set_user(bigint, text, boolean) TO app;
});

my $port = PostgreSQL::Test::Cluster::get_free_port();
my $dir = PostgreSQL::Test::Utils::tempdir();
PostgreSQL::Test::Utils::append_to_file("$dir/users.txt", qq{"app" ""\n});
PostgreSQL::Test::Utils::append_to_file("$dir/pgbouncer.ini", join("\n",
	'[databases]',
	'postgres = host=' . $node->host . ' port=' . $node->port,
	'[pgbouncer]',
	'listen_addr = 127.0.0.1',
	"listen_port = $port",
	'unix_socket_dir =',
	'auth_type = trust',
	"auth_file = $dir/users.txt",
	'pool_mode = transaction',
	'default_pool_size = 1',
	"pidfile = $dir/pgbouncer.pid",
	"logfile = $dir/pgbouncer.log", ''));
system('/usr/sbin/pgbouncer', '-d', "$dir/pgbouncer.ini") == 0
  or BAIL_OUT('pgbouncer did not start');

# each call a new client connection to the pooler, as another request
my $pooled = "host=127.0.0.1 port=$port dbname=postgres user=app";
sub client
{
	my ($sql) = @_;
	my ($out, $err) = ('', '');
	IPC::Run::run([ 'psql', '-XAtq', '-v', 'ON_ERROR_STOP=1', '-d', $pooled ],
		'<', \$sql, '>', \$out, '2>', \$err, IPC::Run::timeout(60));
	chomp $out;
	return (split /\n/, $out)[-1] // '';
}

# bounded: the pooler answers within 10 s
my $ready = 0;
for (1 .. 100)
{
	if (client('SELECT 1') eq '1') { $ready = 1; last; }
	usleep(100_000);
}
ok($ready, 'PgBouncer answers');

# client A sets alice for its transaction; client B comes next
my $a = client(q{
	BEGIN;
	SELECT phrbac_set_user(1);
	SELECT pg_backend_pid() || ' ' || phrbac_principal_user_id();
	COMMIT;
});
my ($server, $principal) = split / /, $a;
is($principal, '1', 'client A acts as alice in its transaction');
my $b = client(q{SELECT pg_backend_pid() || ' ' || coalesce(phrbac_principal_user_id()::text, 'none')});
is($b, "$server none",
	'client B, on the same server connection, has no principal: a transaction-local principal never leaks');

# client A sets alice for the session: it stays on the server connection
client(q{SELECT phrbac_set_user(1, 'password', false)});
$b = client(q{SELECT pg_backend_pid() || ' ' || coalesce(phrbac_principal_user_id()::text, 'none')});
is($b, "$server 1",
	'client B, on the same server connection, acts as alice: a session principal stays for the next client');

my $pid = PostgreSQL::Test::Utils::slurp_file("$dir/pgbouncer.pid");
chomp $pid;
kill 'TERM', $pid;
$node->stop;
done_testing();
