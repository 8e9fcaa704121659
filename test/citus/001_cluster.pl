# 001_cluster.pl: phrbac on a Citus cluster (a coordinator and two workers)
# decides as one node does (README, "Citus").
#
# The same catalog (Acme and Globex, API keys) and the same application
# tables go into the Citus cluster and into a single node without Citus:
# events distributed by project, feature flags distributed by id with object
# and creator columns, dashboards a reference table, each protected with
# phrbac_protect's defaults.  For every user and key, multi-shard and router
# reads return the rows one node returns, and writes are allowed and refused
# as there.  Then: no principal from a worker's client can be forged; a
# revocation and an expiry reach warm sessions on the workers; catalog
# changes keep their rules; an access request and an offboarding do what
# they do on one node; every change is audited once and every chain, on
# every node, verifies.  A member's reads go to the shards of their projects
# only, and a prepared read is planned again for another principal and
# after a change to the catalog.
use strict;
use warnings;

use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;

my $secret = join '', map { sprintf '%02x', int(rand(256)) } 1 .. 32;

my @citus;
for my $name (qw(coordinator worker1 worker2))
{
	my $node = PostgreSQL::Test::Cluster->new($name);
	$node->init;
	$node->append_conf('postgresql.conf', qq{
shared_preload_libraries = 'citus'
max_prepared_transactions = 100
citus.node_conninfo = 'sslmode=disable'
phrbac.cluster_secret = '$secret'
});
	$node->start;
	$node->safe_psql('postgres', 'CREATE EXTENSION citus');
	push @citus, $node;
}
my ($coordinator, @workers) = @citus;
my $single = PostgreSQL::Test::Cluster->new('single');
$single->init;
$single->start;
$single->safe_psql('postgres', 'CREATE EXTENSION phrbac');

$coordinator->safe_psql('postgres', sprintf(q{
	SELECT citus_set_coordinator_host(%s, %d);
	SELECT citus_add_node(%s, %d);
	SELECT citus_add_node(%s, %d);
	CREATE EXTENSION phrbac;
}, map { ("'" . $_->host . "'", $_->port) } @citus));

# Runs SQL on a node as the application's role.
sub app_psql
{
	my ($node, $sql) = @_;
	my ($stdout, $stderr);
	$node->psql('postgres', $sql, stdout => \$stdout, stderr => \$stderr,
		on_error_stop => 0, extra_params => [ '-U', 'app' ]);
	return ($stdout, $stderr);
}

# ---------------------------------------------------------------------------
# phrbac_citus_setup: refused until every node holds the coordinator's secret

$workers[1]->append_conf('postgresql.conf', "phrbac.cluster_secret = '" . ('ab' x 32) . "'");
$workers[1]->reload;
my ($ret, $out, $err) = $coordinator->psql('postgres', 'SELECT phrbac_citus_setup()');
like($err, qr/phrbac\.cluster_secret differs on node .*:${\ $workers[1]->port }/,
	'setup refuses a worker whose cluster secret differs');
$workers[1]->append_conf('postgresql.conf', "phrbac.cluster_secret = '$secret'");
$workers[1]->reload;

# The catalog, loaded before setup and after it: both kinds reach every node.
for my $node ($coordinator, $single)
{
	$node->safe_psql('postgres', join("\n",
		PostgreSQL::Test::Utils::slurp_file('fixture/acme.sql')));
}
$coordinator->safe_psql('postgres', 'SELECT phrbac_citus_setup()');
$coordinator->safe_psql('postgres', 'SELECT phrbac_citus_setup()');    # idempotent
for my $node ($coordinator, $single)
{
	$node->safe_psql('postgres', join("\n",
		PostgreSQL::Test::Utils::slurp_file('fixture/globex.sql')));
}
is($coordinator->safe_psql('postgres', q{
	SELECT string_agg(result, ',') FROM run_command_on_workers(
		'SELECT count(*) FROM phrbac.users')}), '11,11',
	'every worker holds the whole catalog');
is($coordinator->safe_psql('postgres', q{
	SELECT count(*) = cardinality(phrbac.catalog_tables()) FROM pg_dist_partition
	WHERE logicalrelid::text LIKE 'phrbac.%' AND partmethod = 'n'}), 't',
	"the catalog's tables are reference tables");
is($coordinator->safe_psql('postgres', q{
	SELECT string_agg(result, ',') FROM run_command_on_workers(
		'SELECT count(*) FROM phrbac.project_tokens WHERE project_id = 4')}), '1,1',
	'a project made after setup has its one project token on every node');

# ---------------------------------------------------------------------------
# The application's tables, the same data on both

my $tables = q{
	CREATE ROLE app LOGIN;
	GRANT USAGE ON SCHEMA phrbac TO app;
	GRANT EXECUTE ON FUNCTION phrbac_set_user(bigint, text, boolean) TO app;
	CREATE TABLE events (id bigint NOT NULL, project_id bigint NOT NULL,
	                     created_by bigint, payload text);
	CREATE TABLE feature_flags (id bigint PRIMARY KEY, project_id bigint NOT NULL,
	                            key text NOT NULL, created_by bigint);
	CREATE TABLE dashboards (id bigint PRIMARY KEY, project_id bigint NOT NULL, name text);
	%s
	INSERT INTO events SELECT g, 1 + g %% 4, 1 + g %% 11, 'event ' || g
	FROM generate_series(1, 100000) AS g;
	INSERT INTO feature_flags SELECT g, 1 + g %% 4,
		CASE WHEN g %% 50 = 1 THEN 'top-secret' ELSE 'flag-' || g END, 1 + g %% 11
	FROM generate_series(1, 600) AS g;
	INSERT INTO dashboards SELECT g, 1 + g %% 4, 'dashboard ' || g FROM generate_series(1, 40) AS g;
	GRANT SELECT, INSERT, UPDATE, DELETE ON events, feature_flags, dashboards TO app;
	ALTER TABLE events OWNER TO app;
	ALTER TABLE feature_flags OWNER TO app;
	ALTER TABLE dashboards OWNER TO app;
	SET ROLE app;
	SELECT phrbac_protect('events', 'event');
	SELECT phrbac_protect('feature_flags', 'feature_flag', object_column => 'key',
	                      creator_column => 'created_by');
	SELECT phrbac_protect('dashboards', 'dashboard');
	RESET ROLE;
};
$coordinator->safe_psql('postgres', sprintf($tables, q{
	SELECT create_distributed_table('events', 'project_id');
	SELECT create_distributed_table('feature_flags', 'id');
	SELECT create_reference_table('dashboards');
}));
$single->safe_psql('postgres', sprintf($tables, ''));
is($coordinator->safe_psql('postgres',
		q{SELECT string_agg(tbl || ':' || form, ',' ORDER BY tbl::text) FROM phrbac.protected_tables}),
	'dashboards:citus,events:citus,feature_flags:citus',
	'phrbac_protect picks the citus form on distributed and reference tables');
is($single->safe_psql('postgres',
		q{SELECT string_agg(DISTINCT form, ',') FROM phrbac.protected_tables}),
	'standard', 'and the standard form on one node');

# API keys, the same on both: (user, label, scopes, projects).
my @keys = (
	[ 1, 'owner-all', '{*}', 'NULL' ],
	[ 3, 'erin-events', '{event:read,feature_flag:write}', 'NULL' ],
	[ 5, 'paula-flags', '{feature_flag:read}', 'NULL' ],
	[ 6, 'victor-dev', '{*}', 'ARRAY[3]::bigint[]' ],
	[ 9, 'hal-analytics', '{event:read,dashboard:read}', 'NULL' ]);
my (%citus_key, %single_key);
for my $key (@keys)
{
	my ($user, $label, $scopes, $projects) = @$key;
	my $create = qq{BEGIN; SELECT phrbac_set_user($user);
		SELECT secret FROM phrbac_create_api_key('$label', '$scopes', $projects); COMMIT;};
	($citus_key{$label}) = $coordinator->safe_psql('postgres', $create) =~ /(phx_\w+)/;
	($single_key{$label}) = $single->safe_psql('postgres', $create) =~ /(phx_\w+)/;
}
ok($citus_key{'owner-all'} && $single_key{'owner-all'}, 'API keys are created on both');

# ---------------------------------------------------------------------------
# Reads: every user and key sees on the cluster what it sees on one node

my $reads = join("\n",
	q{SELECT 'events', count(*), coalesce(sum(id), 0) FROM events;},
	(map { "SELECT 'events router $_', count(*), coalesce(sum(id), 0) FROM events WHERE project_id = $_;" } 1 .. 4),
	q{SELECT 'flags', count(*), coalesce(sum(id), 0) FROM feature_flags;},
	q{SELECT 'flags top-secret', count(*), coalesce(sum(id), 0) FROM feature_flags WHERE key = 'top-secret';},
	q{SELECT 'flag router', count(*), coalesce(sum(id), 0) FROM feature_flags WHERE id = 51;},
	q{SELECT 'dashboards', count(*), coalesce(sum(id), 0) FROM dashboards;},
	q{SELECT 'events sub-query', count(*), coalesce(sum(id), 0) FROM (SELECT id FROM events WHERE id % 7 = 0) AS s;});
# A user's projects are written into the first for Citus to prune shards by,
# not into the second, where events may be missing.  (Under a key, Citus
# refuses both: see the coordinator's limits below.)
my $join_reads = join("\n",
	q{SELECT 'events join', count(*), coalesce(sum(e.id), 0) FROM events AS e JOIN dashboards AS d ON d.project_id = e.project_id AND d.id = e.id;},
	q{SELECT 'events outer join', count(*), count(e.id) FROM dashboards AS d LEFT JOIN events AS e ON e.project_id = d.project_id AND e.id = d.id;});
my %events_seen;
for my $who ((map { [ "user $_", "SELECT phrbac_set_user($_);" ] } 1 .. 11),
	(map { my $l = $_->[1]; [ "key $l", "SELECT phrbac_authenticate('%s');", $l ] } @keys),
	[ 'no principal', '' ])
{
	my ($name, $set, $label) = @$who;
	my $these = $label ? $reads : "$reads\n$join_reads";
	my ($on_citus) = app_psql($coordinator, 'BEGIN;'
		  . ($label ? sprintf($set, $citus_key{$label}) : $set) . $these . 'COMMIT;');
	my ($on_single) = app_psql($single, 'BEGIN;'
		  . ($label ? sprintf($set, $single_key{$label}) : $set) . $these . 'COMMIT;');
	is($on_citus, $on_single, "$name reads on the cluster what it reads on one node");
	my ($events) = $on_single =~ /^events\|(\d+)\|/m;
	$events_seen{$events // 'error'}++;
	is($events, 0, 'no principal sees nothing') if $name eq 'no principal';
}
ok(keys %events_seen >= 3 && $events_seen{0} && !$events_seen{error},
	'principals see different parts of the events, some none: ' . join(',', sort { $a <=> $b } keys %events_seen));

# Citus sends a read to the shards of the principal's projects only: a
# member's to the one of their project, the owner's to those of Acme's
# three; with no policy, to all 32.
my $tasks = q{SET ROLE app; BEGIN; %s
	EXPLAIN (COSTS OFF) SELECT count(*) FROM events; COMMIT;};
my @tasks = map { $coordinator->safe_psql('postgres', sprintf($tasks, $_)) =~ /Task Count: (\d+)/ }
	('SELECT phrbac_set_user(7);', 'SELECT phrbac_set_user(1);', 'RESET ROLE;');
is(join(',', @tasks), '1,3,32', "a read goes to the shards of the principal's projects only");

# A prepared statement's plan holds the principal's projects: it is planned
# again for the next principal, and after a change to the catalog, even
# inside one transaction.
my $grant_carl = sprintf(q{\! psql -X -q -h '%s' -p %d -d postgres -c "%s"},
	$coordinator->host, $coordinator->port, '%s');
my @prepared = grep { /^\d+$/ } split /\n/, $coordinator->safe_psql('postgres', join("\n",
	'SET ROLE app;', 'PREPARE events_seen AS SELECT count(*) FROM events;',
	'BEGIN; SELECT phrbac_set_user(7);', ('EXECUTE events_seen;') x 6, 'COMMIT;',
	'BEGIN; SELECT phrbac_set_user(1); EXECUTE events_seen; COMMIT;',
	'BEGIN; SELECT phrbac_set_user(7); EXECUTE events_seen;',
	sprintf($grant_carl, q{INSERT INTO phrbac.project_members (organization_id, project_id, user_id, role) VALUES (1, 1, 7, 'member')}),
	'EXECUTE events_seen; COMMIT;',
	sprintf($grant_carl, q{DELETE FROM phrbac.project_members WHERE project_id = 1 AND user_id = 7}),
	'BEGIN; SELECT phrbac_set_user(7); EXECUTE events_seen; COMMIT;'));
is_deeply(\@prepared, [ (25000) x 6, 75000, 25000, 50000, 25000 ],
	'a prepared read counts what its principal may see now, on the cluster');

# ---------------------------------------------------------------------------
# Writes: allowed and refused as on one node

# The outcome of every write, each in a rolled-back transaction, with what
# differs between the two (a shard's name, the node that refused) left out.
sub writes
{
	my ($node, $user) = @_;
	my $sql = '';
	for my $p (1 .. 4)
	{
		for my $write (
			"INSERT INTO events VALUES (1000000 + $p, $p, $user, 'new')",
			"UPDATE events SET payload = 'changed' WHERE project_id = $p AND id < 2000",
			"DELETE FROM events WHERE project_id = $p AND id < 1000",
			"INSERT INTO feature_flags VALUES (10000 + $p, $p, 'new-flag', $user)",
			"UPDATE feature_flags SET key = key || '!' WHERE project_id = $p",
			"UPDATE feature_flags SET project_id = 1 + $p % 4 WHERE project_id = $p AND created_by = $user",
			"DELETE FROM feature_flags WHERE project_id = $p AND key = 'top-secret'",
			"UPDATE dashboards SET name = 'renamed' WHERE project_id = $p",
			"DELETE FROM dashboards WHERE project_id = $p")
		{
			$sql .= "BEGIN; SELECT phrbac_set_user($user);\n$write;\n\\echo :ROW_COUNT\nROLLBACK;\n";
		}
	}
	my ($stdout, $stderr) = app_psql($node, $sql);
	my $outcome = "$stdout\n$stderr";
	$outcome =~ s/_1\d{5}\b//g;                     # a shard's name is its table's
	$outcome =~ s/^(CONTEXT:  )?while executing command on .*(\n|\z)//mg;
	$outcome =~ s/^psql:<stdin>:\d+: //mg;
	$outcome =~ s/\s+\z//;
	return $outcome;
}
for my $user (1, 3, 5, 6, 7, 9)
{
	my $on_single = writes($single, $user);
	my $on_citus = writes($coordinator, $user);
	is($on_citus, $on_single, "user $user writes on the cluster as on one node");
	like($on_single, qr/ERROR|UPDATE 0|DELETE 0/, "user $user is refused something") if $user != 1;
}
# A row moves between projects where the table is distributed by another
# column (checked above, as on one node); where it is distributed by its
# project, Citus itself refuses to move it.
my (undef, $moved) = app_psql($coordinator,
	'BEGIN; SELECT phrbac_set_user(1); UPDATE events SET project_id = 2 WHERE id = 1; ROLLBACK;');
like($moved, qr/modifying the partition value of rows is not allowed/,
	'a row of a table distributed by its project cannot move: Citus refuses');

# An approval policy on a Citus table's resource refuses the writes it
# matches, on the shards as on one node; a change request for such a table
# is refused (README, "Citus").
my $policy = q{BEGIN; SELECT phrbac_set_user(1);
	INSERT INTO phrbac.approval_policies (organization_id, project_id, name, resource, action)
	VALUES (1, 2, 'every flag edit in Staging', 'feature_flag', 'edit'); COMMIT;};
$_->safe_psql('postgres', $policy) for $coordinator, $single;
my $held_back = q{BEGIN; SELECT phrbac_set_user(1);
	UPDATE feature_flags SET key = key || '!' WHERE project_id = 2 AND id < 100; ROLLBACK;};
my (undef, $held_on_single) = app_psql($single, $held_back);
my (undef, $held_on_citus) = app_psql($coordinator, $held_back);
like($held_on_single, qr/this change needs approval: policy "every flag edit in Staging"/,
	'one node holds back a write an approval policy matches');
like($held_on_citus, qr/this change needs approval: policy "every flag edit in Staging"/,
	'... and so does the cluster, on the shards');
my $request = q{BEGIN; SELECT phrbac_set_user(1);
	SELECT phrbac_request_change('feature_flags', 'edit', '{"key": "renamed"}', '{"id": 5}'); ROLLBACK;};
my ($requested) = app_psql($single, $request);
like($requested, qr/^\d+$/m, 'one node records a change request');
my (undef, $request_refused) = app_psql($coordinator, $request);
like($request_refused, qr/change requests are not supported on Citus tables: "feature_flags" is one/,
	'the cluster refuses one for a Citus table');
$_->safe_psql('postgres', q{BEGIN; SELECT phrbac_set_user(1);
	DELETE FROM phrbac.approval_policies; COMMIT;}) for $coordinator, $single;

# ---------------------------------------------------------------------------
# The principal cannot be forged on a worker

my $worker = $workers[0];
my ($shard) = $worker->safe_psql('postgres',
	q{SELECT logicalrelid::text || '_' || shardid FROM pg_dist_shard
	  WHERE logicalrelid = 'events'::regclass AND EXISTS (
	    SELECT 1 FROM pg_dist_placement AS p JOIN pg_dist_node AS n USING (groupid)
	    WHERE p.shardid = pg_dist_shard.shardid AND n.nodeport = } . $worker->port . ') LIMIT 1');
my $count_shard = "SELECT count(*) FROM $shard";
my $signed = $coordinator->safe_psql('postgres',
	q{BEGIN; SELECT phrbac_set_user(1); SHOW phrbac.principal; COMMIT;});
($signed) = $signed =~ /^(\d+:[a-z0-9-]+:\d+:\d+\/[0-9a-f]{64})$/m;
ok($signed, 'the coordinator signs the principal it sends');
(my $forged_for_2 = $signed) =~ s/^1:/2:/;
my @forgeries = (
	[ 'SET', "SET phrbac.principal = '1:password:0:0'" ],
	[ 'SET LOCAL', "BEGIN; SET LOCAL phrbac.principal = '1:password:0:0'; COMMIT" ],
	[ 'set_config', "SELECT set_config('phrbac.principal', '1:password:0:0', false)" ],
	[ 'a made-up signature', "SET phrbac.principal = '1:password:0:0/" . ('0' x 64) . "'" ],
	[ 'another principal under a real signature', "SET phrbac.principal = '$forged_for_2'" ],
	[ 'a Citus-internal connection',
		"SET application_name = 'citus_internal gpid=10000099999'; "
		  . "SELECT assign_distributed_transaction_id(0, 99999, now()); "
		  . "SET phrbac.principal = '1:password:0:0'" ]);
for my $forgery (@forgeries)
{
	my ($how, $sql) = @$forgery;
	my ($stdout, $stderr) = app_psql($worker,
		"SELECT phrbac_principal_user_id(); $sql; SELECT coalesce(phrbac_principal_user_id(), 0) AS who; $count_shard;");
	like($stderr, qr/the principal can only be set by/, "a worker's client cannot set a principal by $how");
	like($stdout, qr/^0\n0$/m, "... and is nobody there, seeing no row ($how)");
}
# A placeholder set before phrbac is loaded is checked when it loads.
my ($stdout, $stderr) = app_psql($worker,
	"SET phrbac.principal = '1:password:0:0'; SELECT coalesce(phrbac_principal_user_id(), 0); $count_shard;");
like($stderr, qr/the principal can only be set by/, 'a placeholder set before phrbac loads is refused');
like($stdout, qr/^0\n0$/m, '... and its session is nobody');
# The coordinator's limits, each refused clearly or failing closed.
(undef, $stderr) = app_psql($coordinator, 'SELECT phrbac_set_user(3, \'password\', false)');
like($stderr, qr/a session principal cannot reach Citus workers/, 'a session principal is refused');
($stdout) = app_psql($coordinator, 'SELECT phrbac_set_user(1), (SELECT count(*) FROM events)');
like($stdout, qr/^\|0$/m, 'outside a transaction block, shard queries get no principal: they see nothing');
# An authentication that records a key's use (at most hourly) writes a
# reference table as the catalog's owner; Citus then refuses the
# application's role some later reads of reference tables in the
# transaction.
my ($fresh_key) = $coordinator->safe_psql('postgres', q{BEGIN; SELECT phrbac_set_user(1);
	SELECT secret FROM phrbac_create_api_key('fresh', '{*}'); COMMIT;}) =~ /(phx_\w+)/;
(undef, $stderr) = app_psql($coordinator,
	"BEGIN; SELECT phrbac_authenticate('$fresh_key'); $reads\n$join_reads COMMIT;");
like($stderr, qr/cannot perform query on placements that were modified in this transaction by a different user/,
	"a key's first use refuses a join with a reference table after the reads above");
# A cache fill on the coordinator reads the catalog's reference tables by
# Citus's local execution, after which Citus refuses EXPLAIN ANALYZE in the
# transaction; with the user's facts cached already, or local execution
# off, it runs.
my $explain = 'EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, SUMMARY OFF) SELECT count(*) FROM events;';
(undef, $stderr) = app_psql($coordinator, "BEGIN; SELECT phrbac_set_user(1); $explain COMMIT;");
like($stderr, qr/cannot execute command because a local execution has accessed a placement in the transaction/,
	'EXPLAIN ANALYZE is refused in the transaction of a cache fill');
($stdout, $stderr) = app_psql($coordinator,
	"BEGIN; SELECT phrbac_set_user(1); COMMIT;\nBEGIN; SELECT phrbac_set_user(1); $explain COMMIT;");
like($stdout, qr/Custom Scan \(Citus Adaptive\)/, '... and runs once the user is cached');
($stdout, $stderr) = app_psql($coordinator,
	"BEGIN; SET LOCAL citus.enable_local_execution TO off; SELECT phrbac_set_user(1); $explain COMMIT;");
like($stdout, qr/Custom Scan \(Citus Adaptive\)/, '... or with local execution off');

# ---------------------------------------------------------------------------
# Revocation and expiry reach warm sessions on the workers

my $erin = 'BEGIN; SELECT phrbac_set_user(3); SELECT count(*) FROM events; COMMIT;';
my $session = join("\n",
	"SET ROLE app;", $erin, $erin,
	sprintf(q{\! psql -X -q -h '%s' -p %d -d postgres -c "UPDATE phrbac.project_members SET role = 'none' WHERE project_id = 2 AND role_id = 1"},
		$coordinator->host, $coordinator->port),
	$erin,
	sprintf(q{\! psql -X -q -h '%s' -p %d -d postgres -c "UPDATE phrbac.organization_members SET expires_at = now() + interval '3 seconds' WHERE user_id = 3"},
		$coordinator->host, $coordinator->port),
	$erin, 'SELECT pg_sleep(3.5);', $erin);
my @counts = grep { /^\d+$/ } split /\n/, $coordinator->safe_psql('postgres', $session);
is_deeply(\@counts, [ 75000, 75000, 50000, 50000, 0 ],
	'a revocation and an expiry are seen by the next statement of a warm session, on every worker');

# ---------------------------------------------------------------------------
# Catalog changes through the coordinator keep their rules and are audited once

# The grants on schema phrbac, an extension's, are every node's own; and
# Citus locks the reference tables a change's foreign keys reach, which
# needs a write privilege on each (README, "Citus").
$coordinator->safe_psql('postgres', q{
	SELECT run_command_on_workers('GRANT USAGE ON SCHEMA phrbac TO app');
	GRANT SELECT, INSERT, UPDATE, DELETE ON phrbac.project_members, phrbac.organization_members TO app;
	DO $$ DECLARE t text; BEGIN
		FOREACH t IN ARRAY phrbac.catalog_tables() LOOP
			EXECUTE format('GRANT UPDATE ON phrbac.%I TO app', t);
		END LOOP;
	END $$;
});
(undef, $stderr) = app_psql($coordinator,
	'BEGIN; SELECT phrbac_set_user(4); INSERT INTO phrbac.project_members (organization_id, project_id, user_id, role) VALUES (1, 2, 4, \'admin\'); COMMIT;');
like($stderr, qr/only organization admins and project admins can change members in project "Staging"/, 'a member cannot make themself a project admin through the coordinator');
(undef, $stderr) = app_psql($coordinator,
	'BEGIN; SELECT phrbac_set_user(2); DELETE FROM phrbac.organization_members WHERE user_id = 1; COMMIT;');
like($stderr, qr/only owners can change or remove an owner of organization "Acme"/, 'an admin cannot remove the owner');
app_psql($coordinator,
	'BEGIN; SELECT phrbac_set_user(2); UPDATE phrbac.project_members SET reason = \'audited once\' WHERE project_id = 3 AND user_id = 7; COMMIT;');
app_psql($coordinator,
	"BEGIN; SELECT phrbac_set_user(1); INSERT INTO events VALUES (2000001, 1, 1, 'audited once'), (2000002, 2, 1, 'audited once'); COMMIT;");

# SSO logins and SCIM, which write the catalog from functions, on the cluster:
# a login provisions and syncs a mapped role; SCIM's deactivation removes the
# membership on every node.
$coordinator->safe_psql('postgres', q{
	INSERT INTO phrbac.sso_group_mappings (organization_id, idp_group, role_id) VALUES (1, 'engineering', 1)});
my $nina = $coordinator->safe_psql('postgres', q{
	BEGIN; SELECT phrbac_sso_login('nina@acme.io', 1, '{engineering}'); COMMIT;});
($nina) = $nina =~ /^(\d+)$/m;
ok($nina, 'an SSO login provisions a user through the coordinator');
is($coordinator->safe_psql('postgres', qq{
	SELECT string_agg(result, ',') FROM run_command_on_workers(
		'SELECT count(*) FROM phrbac.role_members WHERE user_id = $nina AND role_id = 1')}),
	'1,1', 'and syncs the mapped role on every node');
$coordinator->safe_psql('postgres', q{
	SELECT phrbac_scim_upsert_user(1, 'okta-eli', 'eli@acme.io', 'Eli', true);
	SELECT phrbac_scim_upsert_user(1, 'okta-eli', 'eli@acme.io', 'Eli', false);});
is($coordinator->safe_psql('postgres', q{
	SELECT (SELECT count(*) FROM phrbac.organization_members WHERE user_id = 4) || ',' ||
	       string_agg(result, ',') FROM run_command_on_workers(
		'SELECT count(*) FROM phrbac.organization_members WHERE user_id = 4')}),
	'0,0,0', 'a SCIM deactivation removes the membership on every node');

# How many rows of the audit log match, on every node together.
sub audited
{
	my ($where) = @_;
	my $count = "SELECT count(*) FROM phrbac.audit_log WHERE $where";
	return $coordinator->safe_psql('postgres', qq{
		SELECT ($count) + (SELECT sum(result::bigint) FROM run_command_on_workers(\$w\$$count\$w\$))});
}
is(audited(q{scope = 'AccessControl' AND detail::text LIKE '%audited once%'}), 1,
	'a catalog change is audited once, on the coordinator');
my $scim_rows = $coordinator->safe_psql('postgres',
	q{SELECT count(*) FROM phrbac.audit_log WHERE activity = 'scim_deprovisioned'});
ok($scim_rows > 0 && audited(q{activity = 'scim_deprovisioned'}) == $scim_rows,
	'so is a SCIM deactivation: its rows are on the coordinator only');
is(audited(q{scope = 'Event' AND detail::text LIKE '%audited once%'}), 2,
	'each write to a distributed table is audited once, on the worker that holds its row');
# Workflows that write the catalog and the application's tables from
# PL/pgSQL functions, run on the cluster and on the single node alike: Carl
# asks for a day in Production and Adam grants it; then Adam offboards him
# from Acme and takes over his feature flags there (README, "Access
# requests", "Governance").  (Earlier steps changed the two catalogs apart:
# what Carl sees is compared with what the cluster holds.)
my $carl_counts = q{BEGIN; SELECT phrbac_set_user(7);
	SELECT (SELECT count(*) FROM events WHERE project_id = 1) || ',' ||
	       (SELECT count(*) FROM events) || ',' || (SELECT count(*) FROM feature_flags); COMMIT;};
sub carl_counts
{
	my ($node) = @_;
	my ($stdout, $stderr) = app_psql($node, $carl_counts);
	return $stdout =~ /^(\d+,\d+,\d+)$/m ? $1 : "error: $stderr";
}
my $production_events = $coordinator->safe_psql('postgres', 'SELECT count(*) FROM events WHERE project_id = 1');
like(carl_counts($coordinator), qr/^0,[1-9]/, 'before his request, Carl sees no Production event');
for my $node ($coordinator, $single)
{
	$node->safe_psql('postgres', q{
		BEGIN; SELECT phrbac_set_user(7);
		SELECT phrbac_request_access(1, 'member', 'incident 42', '1 day'); COMMIT;
		BEGIN; SELECT phrbac_set_user(2);
		SELECT phrbac_decide_access(max(id), true, 'on call') FROM phrbac.access_requests; COMMIT;});
}
like(carl_counts($coordinator), qr/^$production_events,/,
	"once Adam grants it through the coordinator, he sees all $production_events");
is($coordinator->safe_psql('postgres', q{
	SELECT string_agg(result, ',') FROM run_command_on_workers(
		'SELECT count(*) FROM phrbac.project_members WHERE user_id = 7 AND project_id = 1 AND expires_at IS NOT NULL')}),
	'1,1', 'the granted membership, with its expiry, is on every worker');

my $flags_held = q{SELECT string_agg(id || ':' || created_by, ',' ORDER BY id) FROM feature_flags
	WHERE created_by IN (2, 7)};
my $offboard = q{BEGIN; SELECT phrbac_set_user(2); SELECT phrbac_offboard(7, 1, 2) IS NOT NULL; COMMIT;};
my ($offboarded, $offboard_error) = ('', '');
$coordinator->psql('postgres', $offboard, stdout => \$offboarded, stderr => \$offboard_error);
$single->safe_psql('postgres', $offboard);
is($offboard_error, '', 'Adam offboards Carl through the coordinator');
is($coordinator->safe_psql('postgres', $flags_held), $single->safe_psql('postgres', $flags_held),
	'his flags in Acme pass to Adam, row for row as on one node');
is(carl_counts($coordinator), carl_counts($single), 'what Carl sees afterwards is what one node shows');
like(carl_counts($coordinator), qr/^0,0,/, '... no event of Acme');
is($coordinator->safe_psql('postgres', q{
	SELECT string_agg(result, ',') FROM run_command_on_workers(
		'SELECT count(*) FROM phrbac.organization_members WHERE user_id = 7 AND organization_id = 1')}),
	'0,0', 'his membership is gone from every worker');

# Tables only phrbac's functions write refuse anyone else, though their
# triggers fire on shards, which Citus hides from pg_class.
$coordinator->safe_psql('postgres',
	'GRANT SELECT, UPDATE ON phrbac.project_tokens, phrbac.access_requests TO app');
(undef, $stderr) = app_psql($coordinator,
	'BEGIN; SELECT phrbac_set_user(1); UPDATE phrbac.project_tokens SET token = \'phc_chosen\' WHERE project_id = 1; COMMIT;');
like($stderr, qr/project tokens and project keys change only through phrbac's functions/,
	'the owner cannot write a project token through the coordinator');
(undef, $stderr) = app_psql($coordinator,
	'BEGIN; SELECT phrbac_set_user(1); UPDATE phrbac.access_requests SET reason = \'forged\'; COMMIT;');
like($stderr, qr/access_requests_\d+ is written only by phrbac's functions/,
	'nor an access request');
for my $node (@citus)
{
	is($node->safe_psql('postgres',
			'SELECT count(*) FROM phrbac_audit_verify() WHERE first_bad_id IS NOT NULL'),
		'0', 'every chain verifies on ' . $node->name);
}

$_->stop for @citus, $single;
done_testing();
