# 002_decisions.pl: decisions survive pg_dump/pg_restore (the catalog is
# extension configuration, dumped with its data), and a parallel scan under
# a policy that calls phrbac_can() returns the rows a serial scan returns,
# with workers launched: the principal reaches them.
use strict;
use warnings;

use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;

my $node = PostgreSQL::Test::Cluster->new('decisions');
$node->init;
$node->append_conf('postgresql.conf', "max_worker_processes = 8\nmax_parallel_workers = 4");
$node->start;

$node->safe_psql('postgres', q{
	CREATE EXTENSION phrbac;
	INSERT INTO phrbac.users (email) VALUES    -- ids 1 to 4, from the identity sequence
		('owner@acme.io'), ('eng@acme.io'), ('pm@acme.io'), ('exec@acme.io');
	INSERT INTO phrbac.organizations (id, name) VALUES (1, 'Acme');
	INSERT INTO phrbac.projects (id, organization_id, name, default_role) VALUES
		(1, 1, 'Production', 'none'), (2, 1, 'Staging', 'member'), (3, 1, 'Development', 'member');
	INSERT INTO phrbac.organization_members (organization_id, user_id, role) VALUES
		(1, 1, 'owner'), (1, 2, 'member'), (1, 3, 'member'), (1, 4, 'member');
	INSERT INTO phrbac.roles (id, organization_id, name) VALUES (1, 1, 'Engineering');
	INSERT INTO phrbac.role_members (role_id, user_id) VALUES (1, 2);
	INSERT INTO phrbac.project_members (project_id, role_id, role) VALUES (1, 1, 'member'), (2, 1, 'admin');
	INSERT INTO phrbac.project_members (project_id, user_id, role) VALUES (2, 4, 'viewer'), (3, 4, 'viewer');
	INSERT INTO phrbac.access_rules (organization_id, project_id, role_id, access) VALUES
		(1, 1, 1, 'feature_flag:view+create+edit');
	INSERT INTO phrbac.access_rules (organization_id, access) VALUES (1, 'session_recording:none');
});

# Every user x project x resource x action, as one fingerprint.
my $decisions_sql = q{
	SELECT count(*) FILTER (WHERE allowed), count(*),
	       md5(string_agg(format('%s/%s/%s:%s=%s', u, p, r, a, allowed), ',' ORDER BY u, p, r, a))
	FROM (SELECT u, p, r, a, phrbac_user_can(u, p, (r || ':' || a)::phrbac_grant) AS allowed
	      FROM generate_series(1, 4) AS u, generate_series(1, 3) AS p,
	           phrbac_resources() AS r,
	           unnest('{view,create,edit,delete,manage}'::text[]) AS a) AS d
};
my $before = $node->safe_psql('postgres', $decisions_sql);
like($before, qr/^\d+\|2100\|/, 'every decision is made');
unlike($before, qr/^(0|2100)\|/, 'some decisions allow and some deny');

my $dump = $node->basedir . '/catalog.dump';
$node->command_ok([ 'pg_dump', '-Fc', '-f', $dump, '-d', $node->connstr('postgres') ],
	'pg_dump of a database with a phrbac catalog');
$node->safe_psql('postgres', 'CREATE DATABASE restored');
$node->command_ok([ 'pg_restore', '-d', $node->connstr('restored'), $dump ],
	'pg_restore into a fresh database');
is($node->safe_psql('restored', $decisions_sql), $before,
	'the restored catalog makes the same decisions');
is($node->safe_psql('restored',
		q{INSERT INTO phrbac.users (email) VALUES ('new@acme.io') RETURNING id}),
	'5', 'identity sequences are restored too');

# A parallel scan under a policy that calls phrbac_can().
$node->safe_psql('postgres', q{
	CREATE ROLE app LOGIN;
	GRANT EXECUTE ON FUNCTION phrbac_set_user(bigint, text, boolean) TO app;
	CREATE TABLE events (project_id bigint NOT NULL, payload text);
	INSERT INTO events SELECT 1 + i % 3, repeat('x', 50) FROM generate_series(1, 300000) AS i;
	ANALYZE events;
	ALTER TABLE events ENABLE ROW LEVEL SECURITY;
	CREATE POLICY visible ON events FOR SELECT USING (phrbac_can(project_id, 'event:view'));
	GRANT SELECT ON events TO app;
});

sub count_as
{
	my ($user, $parallel) = @_;
	my $workers = $parallel ? 2 : 0;
	return $node->safe_psql('postgres', qq{
		SET ROLE app;
		SET parallel_setup_cost = 0; SET parallel_tuple_cost = 0;
		SET min_parallel_table_scan_size = 0;
		SET max_parallel_workers_per_gather = $workers;
		BEGIN;
		SELECT phrbac_set_user($user);
		EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, SUMMARY OFF) SELECT count(*) FROM events;
		SELECT 'rows=' || count(*) FROM events;
		COMMIT;
	});
}

for my $case ([ 3, 200000, 'a member of Staging and Development' ],
	[ 2, 300000, 'an engineer in every project' ],
	[ 1, 300000, 'the owner' ])
{
	my ($user, $expected, $who) = @$case;
	my $serial = count_as($user, 0);
	my $parallel = count_as($user, 1);
	like($serial, qr/rows=$expected$/, "serial scan: $who sees $expected rows");
	like($parallel, qr/Workers Launched: 2/, "parallel scan for $who launches workers");
	like($parallel, qr/rows=$expected$/, "parallel scan: $who sees the same $expected rows");
}

# Without a principal the policy hides everything, in workers too.
like($node->safe_psql('postgres', q{
	SET ROLE app; SET parallel_setup_cost = 0; SET parallel_tuple_cost = 0;
	SET min_parallel_table_scan_size = 0; SET max_parallel_workers_per_gather = 2;
	SELECT 'rows=' || count(*) FROM events;
}), qr/rows=0$/, 'no principal sees no rows');

$node->stop;
done_testing();
