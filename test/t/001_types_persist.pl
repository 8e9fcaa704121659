# 001_types_persist.pl: phrbac's types survive what a real cluster does to
# them: a restart (values and indexes read back), pg_dump/pg_restore, and
# binary COPY, where malformed values must be refused with 22P03 without
# harming the server.
use strict;
use warnings;

use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;

my $node = PostgreSQL::Test::Cluster->new('types');
$node->init;
$node->start;

$node->safe_psql('postgres', q{
	CREATE EXTENSION phrbac;
	CREATE TABLE access_sample (
		id      integer PRIMARY KEY,
		level   phrbac_role NOT NULL,
		scopes  phrbac_scope[] NOT NULL,
		access  phrbac_grant NOT NULL
	);
	INSERT INTO access_sample
	SELECT i,
	       (ARRAY['none','viewer','member','admin','owner'])[1 + i % 5]::phrbac_role,
	       ARRAY[(ARRAY['insight:read','feature_flag:write','*'])[1 + i % 3]]::phrbac_scope[],
	       format('feature_flag/%s:%s', i, (ARRAY['viewer','editor','view+create'])[1 + i % 3])::phrbac_grant
	FROM generate_series(1, 3000) AS i;
	CREATE INDEX ON access_sample (level);
	CREATE INDEX ON access_sample USING hash (access);
	CREATE UNIQUE INDEX ON access_sample (access);
});

my $fingerprint_sql = q{
	SELECT count(*), md5(string_agg(format('%s|%s|%s|%s', id, level, scopes, access), ',' ORDER BY id))
	FROM access_sample
};
my $by_index_sql = q{
	SET enable_seqscan = off; SET enable_bitmapscan = off;
	SELECT count(*) FROM access_sample WHERE level >= 'admin';
	SELECT id FROM access_sample WHERE access = 'feature_flag/43:view+create+edit+delete';
};
my $before = $node->safe_psql('postgres', $fingerprint_sql);
my $index_before = $node->safe_psql('postgres', $by_index_sql);
is($index_before, "1200\n43", 'indexes answer before the restart');

$node->restart;

is($node->safe_psql('postgres', $fingerprint_sql), $before,
	'every stored value reads back the same after a restart');
is($node->safe_psql('postgres', $by_index_sql), $index_before,
	'btree and hash indexes answer the same after a restart');

# pg_dump / pg_restore: the types dump as canonical text and load back.
my $dump = $node->basedir . '/types.dump';
$node->command_ok([ 'pg_dump', '-Fc', '-f', $dump, '-d', $node->connstr('postgres') ],
	'pg_dump of a database using phrbac types');
$node->safe_psql('postgres', 'CREATE DATABASE restored');
$node->command_ok([ 'pg_restore', '-d', $node->connstr('restored'), $dump ],
	'pg_restore into a fresh database');
is($node->safe_psql('restored', $fingerprint_sql), $before,
	'restored values equal the originals');

# Binary COPY: hand-made files in PostgreSQL's binary COPY format.
sub copy_file
{
	my ($name, @fields) = @_;
	my $path = $node->basedir . "/$name.bin";
	my $data = "PGCOPY\n\377\r\n\0" . pack('NN', 0, 0);
	for my $field (@fields)
	{
		$data .= pack('n', 1) . pack('N', length($field)) . $field;
	}
	$data .= pack('n', 0xffff);
	open(my $fh, '>:raw', $path) or die "cannot write $path: $!";
	print $fh $data;
	close($fh);
	return $path;
}

$node->safe_psql('postgres', q{
	CREATE TABLE role_in (v phrbac_role);
	CREATE TABLE scope_in (v phrbac_scope);
	CREATE TABLE grant_in (v phrbac_grant);
});

# Positive controls: well-formed payloads load, so the refusals below are
# refusals of the payload and not of the file format.
my @accepted = (
	[ 'role_in',  'admin',                   "\x01\x03" ],
	[ 'scope_in', 'insight:read',            "\x01insight\0\x01" ],
	[ 'scope_in', '*',                       "\x01*\0\x02" ],
	[ 'grant_in', 'feature_flag/42:editor',  "\x01feature_flag\0\x0f42\0" ],
	[ 'grant_in', '*:viewer',                "\x01*\0\x01\0" ],
);
for my $case (@accepted)
{
	my ($table, $expected, $payload) = @$case;
	my $file = copy_file("ok_$table", $payload);
	$node->safe_psql('postgres',
		"TRUNCATE $table; COPY $table FROM '$file' (FORMAT binary)");
	is($node->safe_psql('postgres', "SELECT v FROM $table"),
		$expected, "binary $table accepts $expected");
}

my @refused = (
	[ 'role_in',  'a rank past owner', "\x01\x05",
	  '22P03', qr/Rank 5 is not a value a role can hold/ ],
	[ 'role_in',  'an unknown format version', "\x02\x03",
	  '22P03', qr/Unsupported binary format version 2/ ],
	[ 'scope_in', 'an access that is neither read nor write', "\x01insight\0\x03",
	  '22P03', qr/Unknown access "3"/ ],
	[ 'scope_in', 'an unknown resource', "\x01featureflag\0\x01",
	  '22P03', qr/Unknown resource "featureflag"/ ],
	[ 'scope_in', '"*" with read', "\x01*\0\x01",
	  '22P03', qr/The scope "\*" allows everything/ ],
	[ 'grant_in', 'an action bit past manage', "\x01feature_flag\0\x20\0",
	  '22P03', qr/Action set 0x20 is not a value a grant can hold/ ],
	[ 'grant_in', 'create without view', "\x01feature_flag\0\x02\0",
	  '22P03', qr/Action set 0x02 is not a value a grant can hold/ ],
	[ 'grant_in', 'a space in the object id', "\x01feature_flag\0\x01a b\0",
	  '22P03', qr/The object id "a b" must be/ ],
	[ 'grant_in', 'an object id on "*"', "\x01*\0\x01" . "1\0",
	  '22P03', qr/takes no object id/ ],
	[ 'grant_in', 'an unknown resource', "\x01featureflag\0\x01\0",
	  '22P03', qr/Unknown resource "featureflag"/ ],
	[ 'grant_in', 'an object id of 129 bytes', "\x01feature_flag\0\x01" . ('x' x 129) . "\0",
	  '22P03', qr/must be 1 to 128 characters/ ],
	[ 'grant_in', 'trailing bytes', "\x01feature_flag\0\x01\0junk",
	  '22P03', qr/incorrect binary data format/ ],
	[ 'grant_in', 'a string without terminator', "\x01feature_fl",
	  '08P01', qr/invalid string in message/ ],
);
for my $case (@refused)
{
	my ($table, $what, $payload, $sqlstate, $message) = @$case;
	my $file = copy_file("bad_$table", $payload);
	my ($ret, $stdout, $stderr) = $node->psql('postgres',
		"\\set VERBOSITY verbose\nCOPY $table FROM '$file' (FORMAT binary)");
	isnt($ret, 0, "binary $table refuses $what");
	like($stderr, qr/ERROR:  $sqlstate:/, "binary $table refuses $what with $sqlstate");
	like($stderr, $message, "binary $table says why it refuses $what");
}
is($node->safe_psql('postgres', 'SELECT count(*) FROM role_in, scope_in, grant_in'),
	'1', 'no refused binary value was stored, and the server is still up');

$node->stop;
done_testing();
