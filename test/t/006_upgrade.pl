# 006_upgrade.pl: ALTER EXTENSION phrbac UPDATE from the oldest released
# version gives a database what a fresh install of the newest gives, and
# keeps its data working.
#
# Installs 0.1.0, loads the Acme fixture, writes audit rows and API keys,
# protects a table, updates, then checks that (a) a binary-upgrade schema
# dump (which, unlike a plain one, lists every object of the extension)
# equals a fresh install's once OIDs are taken out, the protected table's
# policies and triggers those 0.2.0 writes included, (b) every decision, the keys and the
# audit chains are what they were before the update, (c) 0.1.0's
# unpartitioned audit log is now partitioned by month, every row in it as
# it was, hash and all, and new rows chain onto the old ones, also on a
# chain whose last 0.1.0 row is dated before an earlier one (README,
# "Retention").
use strict;
use warnings;

use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;

my $node = PostgreSQL::Test::Cluster->new('upgrade');
$node->init;
$node->start;
$node->safe_psql('postgres', 'CREATE DATABASE upgraded');
$node->safe_psql('postgres', 'CREATE DATABASE fresh');

my $oldest = '0.1.0';
my $newest = $node->safe_psql('postgres',
	q{SELECT default_version FROM pg_available_extensions WHERE name = 'phrbac'});

$node->safe_psql('upgraded', "CREATE EXTENSION phrbac VERSION '$oldest'");
$node->safe_psql('upgraded', slurp_file('fixture/acme.sql'));

# A table protected on each version: 0.1.0's policies read a sub-select,
# 0.2.0's on a bigint column are the check itself, and it has an approvals
# trigger.
my $visits = q{
	SET client_min_messages = warning;
	CREATE TABLE public.visits (id int PRIMARY KEY, project_id bigint NOT NULL);
	CREATE INDEX ON public.visits (project_id);
	SELECT phrbac_protect('public.visits', 'event');
};
$node->safe_psql('upgraded', $visits);

# Two keys, one revoked, and the audit rows they write.
my $keys = $node->safe_psql('upgraded', q{
	BEGIN;
	SELECT phrbac_set_user(3);
	SELECT secret FROM phrbac_create_api_key('erin-ci', '{insight:read,feature_flag:write}');
	SELECT secret FROM phrbac_create_api_key('erin-old', '{*}');
	SELECT phrbac_revoke_api_key(2);
	COMMIT;
});
my ($live, $revoked) = $keys =~ /(phx_[0-9a-f]{64})/g;
ok(defined $revoked, 'two keys were created on the oldest version');

# Three months of history in 0.1.0's log (test/fixture/audit_backdate.sql):
# organization 901's, in order; 902's last row dated a month before the
# row it follows (0.1.0 dated a row when the change was made, not when it
# was chained).  The organizations come after the update.
$node->safe_psql('upgraded', slurp_file('fixture/audit_backdate.sql') . q{
	SET TimeZone = 'UTC';
	SELECT pg_temp.backdate(901, date_trunc('month', now()) - make_interval(months => k), 2)
	  FROM generate_series(3, 1, -1) AS k;
	SELECT pg_temp.backdate(902, date_trunc('month', now()) - interval '1 month', 2);
	SELECT pg_temp.backdate(902, date_trunc('month', now()) - interval '2 months', 1);
});
my $audit_rows = q{
	SELECT string_agg(concat_ws('|', id, created_at, organization_id, project_id, user_id,
	                            api_key_id, db_user, scope, activity, item_id, detail,
	                            prev_hash, hash), E'\n' ORDER BY id)
	FROM phrbac.audit_log
};
my $audit_before = $node->safe_psql('upgraded', $audit_rows);
is($node->safe_psql('upgraded',
		'SELECT count(*) FILTER (WHERE first_bad_id IS NULL) FROM phrbac_audit_verify()'),
	'4', 'on the oldest version, four audit chains verify');

# Every user x project x resource x action, with and without the cache.
my $decisions = q{
	SELECT string_agg(format('%s/%s/%s:%s=%s', u.id, p.id, r, a,
	                         phrbac_user_can(u.id, p.id, format('%s:%s', r, a)::phrbac_grant)),
	                  ' ' ORDER BY u.id, p.id, r, a)
	FROM phrbac.users AS u, phrbac.projects AS p,
	     unnest(ARRAY['feature_flag', 'insight', 'dashboard', 'event']) AS r,
	     unnest(ARRAY['view', 'create', 'edit', 'delete', 'manage']) AS a
};
my $key_check = q{
	BEGIN;
	SELECT phrbac_authenticate('%s');
	SELECT phrbac_can(1, 'feature_flag:edit'), phrbac_can(1, 'insight:edit');
	COMMIT;
};
my $data_dump = sub {
	# (the audit log's partitions are compared row by row below)
	my ($dump) = run_command(
		[ 'pg_dump', '--data-only', '--schema=phrbac', '--exclude-table=phrbac.audit_log_????_??',
			'-d', $node->connstr('upgraded') ]);
	$dump =~ s/^\\(un)?restrict .*\n//mg;
	# 0.2.0 adds organizations.access_request_max_duration, last, with its
	# default: the rows are otherwise the same
	$dump =~ s/^(COPY phrbac\.organizations \(.*), access_request_max_duration\)/$1)/m;
	$dump =~ s/^(\d+\t[^\n]*)\t90 days$/$1/mg;
	return $dump;
};

my $before = $node->safe_psql('upgraded', $decisions);
my $before_off = $node->safe_psql('upgraded', "SET phrbac.cache = off; $decisions");
is($before_off, $before, 'on the oldest version the cache changes no answer');
my $data_before = $data_dump->();

$node->safe_psql('upgraded', 'ALTER EXTENSION phrbac UPDATE');
is($node->safe_psql('upgraded', q{SELECT extversion FROM pg_extension WHERE extname = 'phrbac'}),
	$newest, "the update reaches $newest");

# (a) The schema: a fresh install of the newest version.
$node->safe_psql('fresh', 'CREATE EXTENSION phrbac');
$node->safe_psql('fresh', $visits);
my $schema = sub {
	my ($db) = @_;
	# (the audit log's partitions are data, made as rows come: not compared)
	my ($dump) = run_command([ 'pg_dump', '--schema-only', '--binary-upgrade',
			'--exclude-table=phrbac.audit_log_????_??', '-d', $node->connstr($db) ]);
	$dump =~ s/^SELECT pg_catalog\.binary_upgrade_set_next_[a-z_]+\(.*\);\n//mg;
	$dump =~ s/'\{[0-9,]*\}'/'{oids}'/g;
	$dump =~ s/relfrozenxid = '\d+', relminmxid = '\d+'/relfrozenxid = 'xid', relminmxid = 'xid'/g;
	$dump =~ s/WHERE oid = '\d+'/WHERE oid = 'oid'/g;
	$dump =~ s/^(SELECT pg_catalog\.setval\('[\w.]+'), \d+, \w+\);/$1, n);/mg;
	$dump =~ s/^\\(un)?restrict .*\n//mg;
	$dump =~ s/^-- (Dumped|Name|TOC).*\n//mg;
	$dump =~ s/\bDATABASE \w+/DATABASE db/g;
	$dump =~ s/\b(upgraded|fresh)\b/db/g;
	return $dump;
};
my ($upgraded_schema, $fresh_schema) = ($schema->('upgraded'), $schema->('fresh'));
like($fresh_schema, qr/CREATE TABLE phrbac\.audit_log/,
	'the binary-upgrade dump lists the extension\'s objects');
ok($upgraded_schema eq $fresh_schema, 'the updated schema equals a fresh install\'s');
if ($upgraded_schema ne $fresh_schema)
{
	my $dir = PostgreSQL::Test::Utils::tempdir;
	append_to_file("$dir/upgraded.sql", $upgraded_schema);
	append_to_file("$dir/fresh.sql", $fresh_schema);
	my ($diff) = run_command([ 'diff', '-u', "$dir/fresh.sql", "$dir/upgraded.sql" ]);
	diag($diff);
}

# (b) The data: the same rows, the same answers, keys and chains.
is($data_dump->(), $data_before, 'the update changes no row of the catalog or the log');
is($node->safe_psql('upgraded', $decisions), $before,
	'every decision is the same after the update');
is($node->safe_psql('upgraded', "SET phrbac.cache = off; $decisions"), $before,
	'... and without the cache');
is($node->safe_psql('upgraded', sprintf($key_check, $live)), "1\nt|f",
	'a key created before the update authenticates with its scopes');
my ($status, $out, $err) = $node->psql('upgraded', sprintf($key_check, $revoked));
like($err, qr/invalid API key/, 'a key revoked before the update stays refused');
is($node->safe_psql('upgraded',
		'SELECT count(*), count(*) FILTER (WHERE first_bad_id IS NULL) FROM phrbac_audit_verify()'),
	'4|4', 'every audit chain verifies after the update');

# (c) The log, partitioned: the same rows, hashes and all.
is($node->safe_psql('upgraded', q{SELECT relkind FROM pg_class WHERE oid = 'phrbac.audit_log'::regclass}),
	'p', 'the audit log is partitioned after the update');
is($node->safe_psql('upgraded', $audit_rows), $audit_before,
	'every audit row is as it was, id, date and hash');
# Three months ago alone; two months ago to this month in one partition,
# from 902's last row on; none of them a member of the extension.
is($node->safe_psql('upgraded', q{
		SET TimeZone = 'UTC';
		SELECT string_agg((pg_get_expr(c.relpartbound, c.oid) LIKE '%' ||
		                   to_char(date_trunc('month', now()) + interval '1 month', 'YYYY-MM') || '%')::text,
		                  ',' ORDER BY c.relname),
		       bool_and(NOT EXISTS (SELECT 1 FROM pg_depend AS d WHERE d.objid = c.oid AND d.deptype = 'e'))
		FROM pg_inherits AS i JOIN pg_class AS c ON c.oid = i.inhrelid
		WHERE i.inhparent = 'phrbac.audit_log'::regclass}),
	'false,true|t', '0.1.0\'s rows are in partitions of their months, the last shared from 902\'s last row on');
is($node->safe_psql('upgraded', q{SELECT last_value FROM phrbac.audit_log_id_seq}),
	$node->safe_psql('upgraded', q{SELECT max(id) FROM phrbac.audit_log}),
	'the ids go on where 0.1.0\'s stopped');
$node->safe_psql('upgraded', q{
	INSERT INTO phrbac.organizations (id, name) VALUES (901, 'Backdated'), (902, 'Out of order');
});
is($node->safe_psql('upgraded',
		'SELECT count(*) FILTER (WHERE first_bad_id IS NULL) FROM phrbac_audit_verify()'),
	'4', 'new rows chain onto the converted ones, out-of-order dates included');
ok($node->safe_psql('upgraded', 'SELECT count(*) FROM phrbac.audit_log') > 30,
	'the chains hold the fixture\'s and the keys\' rows');

# New rows chain onto the old ones.
$node->safe_psql('upgraded', q{
	BEGIN;
	SELECT phrbac_set_user(1);
	UPDATE phrbac.organization_members SET role = 'admin' WHERE user_id = 4;
	COMMIT;
});
is($node->safe_psql('upgraded',
		'SELECT count(*) FILTER (WHERE first_bad_id IS NULL) FROM phrbac_audit_verify()'),
	'4', 'a change after the update extends the old chain intact');

$node->stop;
done_testing();
