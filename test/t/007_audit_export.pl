# 007_audit_export.pl: a SIEM poller pages through the audit log with
# phrbac_audit_export() while writers keep appending (README, "Exporting the
# audit log").  pgbench clients each change roles in two organizations per
# transaction, so their commits chain two rows, drawing ids in one chain
# while they may wait for the other, and commit out of id order.  The
# poller, a page at a time after its last id, keeps up with them (pgbench
# runs at a fixed rate) and collects every row once; a
# naive poller (every visible row after its last id) runs beside it and is
# only reported, since whether it misses a row is a matter of timing.
use strict;
use warnings;

use IPC::Run;
use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;

my $node = PostgreSQL::Test::Cluster->new('export');
$node->init;
$node->start;
$node->safe_psql('postgres', q{
	CREATE EXTENSION phrbac;
	INSERT INTO phrbac.organizations (id, name)
		SELECT g, 'Org ' || g FROM generate_series(1, 4) AS g;
	CREATE SEQUENCE names;
});

my $dir = PostgreSQL::Test::Utils::tempdir();
# most transactions change a role in two organizations; one in two hundred
# changes 1,000 in one, so its rows are chained (their ids drawn) early, and
# lingers before it commits while the others commit later ids
my %scripts = (
	'two.sql' => <<'SQL',
\set a random(1, 4)
\set b random(1, 4)
BEGIN;
INSERT INTO phrbac.roles (organization_id, name) VALUES (:a, 'r' || nextval('names'));
INSERT INTO phrbac.roles (organization_id, name) VALUES (:b, 'r' || nextval('names'));
COMMIT;
SQL
	'many.sql' => <<'SQL');
\set a random(1, 4)
BEGIN;
INSERT INTO phrbac.roles (organization_id, name) SELECT :a, 'r' || nextval('names') FROM generate_series(1, 1000);
SELECT pg_sleep(0.2);
COMMIT;
SQL
while (my ($name, $text) = each %scripts)
{
	open my $fh, '>', "$dir/$name" or die "could not write $dir/$name: $!";
	print $fh $text;
	close $fh;
}

my ($out, $err) = ('', '');
my $writers = IPC::Run::start(
	[
		'pgbench', '-n', '-c', '6', '-j', '2', '-T', '5', '-R', '300',
		'-f', "$dir/two.sql\@200", '-f', "$dir/many.sql\@1",
		'-h', $node->host, '-p', $node->port, 'postgres'
	],
	'>', \$out, '2>', \$err);

# One page after the cursor: its ids, oldest first.
sub page
{
	my ($query) = @_;
	my $ids = $node->safe_psql('postgres', $query);
	return $ids eq '' ? () : split /\n/, $ids;
}

my (@exported, @naive);
my ($cursor, $naive_cursor) = (0, 0);
my ($pages, $held_back) = (0, 0);
while ($writers->pumpable)
{
	$writers->pump_nb;
	# one statement: the naive page, the newest row visible to it, then the
	# export's page (its snapshot is newer)
	my @rows = split /\n/, $node->safe_psql('postgres', qq{
		SELECT 'n', id FROM (SELECT id FROM phrbac.audit_log WHERE id > $naive_cursor ORDER BY id LIMIT 500) AS n
		UNION ALL SELECT 'm', max(id) FROM phrbac.audit_log
		UNION ALL SELECT 'e', id FROM phrbac_audit_export($cursor, 500)});
	my ($newest) = map { (split /\|/)[1] } grep { /^m\|/ } @rows;
	my @ids = map { (split /\|/)[1] } grep { /^e\|/ } @rows;
	my @naive_ids = map { (split /\|/)[1] } grep { /^n\|/ } @rows;
	push @exported, @ids;
	$cursor = $ids[-1] if @ids;
	push @naive, @naive_ids;
	$naive_cursor = $naive_ids[-1] if @naive_ids;
	$held_back++ if @ids < 500 && $newest ne '' && $newest > $cursor;
	$pages++;
}
ok($writers->finish, 'the writers ran without an error') or diag($err);

# The writers are done: both pollers read to the end.
for (;;)
{
	my @ids = page("SELECT id FROM phrbac_audit_export($cursor, 500)");
	last unless @ids;
	push @exported, @ids;
	$cursor = $ids[-1];
}
for (;;)
{
	my @ids = page(
		"SELECT id FROM phrbac.audit_log WHERE id > $naive_cursor ORDER BY id LIMIT 500");
	last unless @ids;
	push @naive, @ids;
	$naive_cursor = $ids[-1];
}

my @logged = split /\n/, $node->safe_psql('postgres', 'SELECT id FROM phrbac.audit_log ORDER BY id');
cmp_ok(scalar(@logged), '>', 500, 'the writers wrote rows (' . scalar(@logged) . ")");
cmp_ok($pages, '>', 10, "the poller paged while they wrote ($pages pages)");
my %count;
$count{$_}++ foreach @exported;
is(scalar(grep { $count{$_} > 1 } keys %count), 0, 'no row exported twice');
is_deeply([ sort { $a <=> $b } keys %count ], \@logged, 'every row exported');
is_deeply(\@exported, \@logged, 'oldest first');
my %naive_seen = map { $_ => 1 } @naive;
note("the export held $held_back of $pages pages back before a visible row");
note('the naive poller missed ' . scalar(grep { !$naive_seen{$_} } @logged) . ' rows');
is($node->safe_psql('postgres', 'SELECT count(*) FROM phrbac_audit_verify() WHERE first_bad_id IS NOT NULL'),
	'0', 'the chains verify');

done_testing();
