#!/usr/bin/env bash
# citus.sh: Citus for the citus test level, built once from its release
# source into a cache outside the clone and installed from there into the
# server of PG_CONFIG, and the benchmark's cluster.  Citus is a test
# dependency only: phrbac never needs it.  The test level's clusters are
# started by its TAP test (test/citus).
#
#   PHRBAC_CACHE   where builds are kept (as for pgbuild.sh)
#   PHRBAC_VENDOR  where the release source and its patch are (default
#                  ../shared/vendor beside the clone)
#
# phrbac_citus_unavailable prints why Citus cannot be had here (and
# succeeds) or prints nothing (and fails): the level is then skipped, and
# says why.

PHRBAC_CITUS_VERSION=13.2.2
PHRBAC_CITUS_PACKAGES="libcurl4-openssl-dev liblz4-dev libzstd-dev libkrb5-dev
	libselinux1-dev libxslt1-dev libpam0g-dev libreadline-dev"

phrbac_citus_vendor() {
	local root
	root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
	echo "${PHRBAC_VENDOR:-$root/../shared/vendor}"
}

# Where the build for this server is kept (make install DESTDIR=...).
phrbac_citus_stage() {
	local cache=${PHRBAC_CACHE:-/var/cache/phrbac}
	[ -n "${PHRBAC_CACHE:-}" ] || { mkdir -p "$cache" 2>/dev/null && [ -w "$cache" ]; } ||
		cache=$HOME/.cache/phrbac
	echo "$cache/citus-$PHRBAC_CITUS_VERSION-pg$("$PG_CONFIG" --version | sed 's/^PostgreSQL \([0-9.]*\).*/\1/')"
}

phrbac_citus_unavailable() {
	local major
	major=$("$PG_CONFIG" --version | sed 's/^PostgreSQL \([0-9]*\).*/\1/')
	if [ "$major" -lt 15 ] || [ "$major" -gt 17 ]; then
		echo "Citus $PHRBAC_CITUS_VERSION supports PostgreSQL 15 to 17; this run is PostgreSQL $major"
		return 0
	fi
	[ -f "$("$PG_CONFIG" --pkglibdir)/citus.so" ] && return 1
	if [ ! -f "$(phrbac_citus_vendor)/citus-$PHRBAC_CITUS_VERSION.tar.gz" ] &&
		[ ! -f "$(phrbac_citus_stage)/.built" ]; then
		echo "no Citus release source at $(phrbac_citus_vendor) (set PHRBAC_VENDOR) and no cached build"
		return 0
	fi
	if [ ! -w "$("$PG_CONFIG" --pkglibdir)" ]; then
		echo "Citus is not installed in $("$PG_CONFIG" --pkglibdir), which this user cannot write"
		return 0
	fi
	return 1
}

# Builds Citus into its stage when it is not there, then copies the stage
# into the server's folders.
phrbac_citus_install() {
	[ -f "$("$PG_CONFIG" --pkglibdir)/citus.so" ] && return 0
	local stage vendor
	stage=$(phrbac_citus_stage)
	vendor=$(phrbac_citus_vendor)
	mkdir -p "$(dirname "$stage")" || return 1
	(
		flock 9
		[ -f "$stage/.built" ] && exit 0
		if [ "$(id -u)" -eq 0 ]; then
			# shellcheck disable=SC2086
			DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $PHRBAC_CITUS_PACKAGES >/dev/null ||
				exit 1
		fi
		echo "phrbac: building Citus $PHRBAC_CITUS_VERSION into $stage (once; a few minutes)" >&2
		local work
		work=$(mktemp -d "${TMPDIR:-/tmp}/phrbac-citus.XXXXXX")
		trap 'rm -rf "$work"' EXIT
		rm -rf "$stage"
		# the release tarball has no top folder
		mkdir "$work/citus" &&
			tar -xzf "$vendor/citus-$PHRBAC_CITUS_VERSION.tar.gz" -C "$work/citus" &&
			cd "$work/citus" &&
			for patch in "$vendor"/citus-"$PHRBAC_CITUS_VERSION"-*.patch; do
				[ -f "$patch" ] || continue
				patch -s -p1 <"$patch" || exit 1
			done &&
			PG_CONFIG=$PG_CONFIG ./configure >"$work/configure.log" 2>&1 &&
			make -j"$(nproc)" >"$work/make.log" 2>&1 &&
			make install DESTDIR="$stage" >>"$work/make.log" 2>&1 ||
			{
				echo "phrbac: building Citus failed; last lines:" >&2
				tail -n 30 "$work"/*.log >&2
				exit 1
			}
		touch "$stage/.built"
	) 9>"$(dirname "$stage")/citus.lock" || return 1
	# the stage mirrors the server's absolute folders
	cp -a "$stage"/usr / || return 1
}

# Starts a coordinator and two workers as the postgres OS user, on loopback
# ports and a socket folder of their own, with Citus and a fresh cluster
# secret, the workers added and phrbac created on all three; exports PGHOST
# and PGPORT (the coordinator's).  phrbac_citus_cluster_stop stops them and
# removes their folder; the caller arranges for it to run on exit.
phrbac_citus_cluster_start() {
	local secret port node base
	PHRBAC_CITUS_DIR=$(mktemp -d "${TMPDIR:-/tmp}/phrbac-citus-cluster.XXXXXX")
	[ "$(id -u)" -eq 0 ] && chown postgres: "$PHRBAC_CITUS_DIR"
	secret=$(od -An -N32 -tx1 /dev/urandom | tr -d ' \n')
	# below the ports Linux gives outgoing connections (32768 on)
	base=$((20000 + RANDOM % 12000))
	PHRBAC_CITUS_PORTS="$base $((base + 1)) $((base + 2))"
	for port in $PHRBAC_CITUS_PORTS; do
		node=$PHRBAC_CITUS_DIR/$port
		phrbac_as_postgres "$PG_BINDIR/initdb" -D "$node" -U postgres -A trust --no-sync \
			>"$PHRBAC_CITUS_DIR/initdb-$port.log" 2>&1 || {
			cat "$PHRBAC_CITUS_DIR/initdb-$port.log" >&2
			return 1
		}
		cat >>"$node/postgresql.conf" <<CONF
listen_addresses = '127.0.0.1'
port = $port
unix_socket_directories = '$PHRBAC_CITUS_DIR'
fsync = off
shared_preload_libraries = 'citus'
max_prepared_transactions = 100
citus.node_conninfo = 'sslmode=disable'
citus.max_cached_conns_per_worker = 4
phrbac.cluster_secret = '$secret'
CONF
		phrbac_as_postgres "$PG_BINDIR/pg_ctl" -D "$node" -w -l "$PHRBAC_CITUS_DIR/$port.log" \
			start >/dev/null || {
			cat "$PHRBAC_CITUS_DIR/$port.log" >&2
			return 1
		}
		"$PG_BINDIR/psql" -X -q -h "$PHRBAC_CITUS_DIR" -p "$port" -U postgres -d postgres \
			-c 'CREATE EXTENSION citus' || return 1
	done
	set -- $PHRBAC_CITUS_PORTS
	"$PG_BINDIR/psql" -X -q -v ON_ERROR_STOP=1 -h "$PHRBAC_CITUS_DIR" -p "$1" -U postgres -d postgres \
		-c "SELECT citus_set_coordinator_host('127.0.0.1', $1)" \
		-c "SELECT citus_add_node('127.0.0.1', $2)" -c "SELECT citus_add_node('127.0.0.1', $3)" \
		-c 'CREATE EXTENSION phrbac' >/dev/null || return 1
	export PGHOST=$PHRBAC_CITUS_DIR PGPORT=$1 PGUSER=postgres PGDATABASE=postgres
}

phrbac_citus_cluster_stop() {
	[ -n "${PHRBAC_CITUS_DIR:-}" ] && [ -d "$PHRBAC_CITUS_DIR" ] || return 0
	local port
	for port in $PHRBAC_CITUS_PORTS; do
		phrbac_as_postgres "$PG_BINDIR/pg_ctl" -D "$PHRBAC_CITUS_DIR/$port" -m fast -w stop \
			>/dev/null 2>&1
	done
	rm -rf "$PHRBAC_CITUS_DIR"
	PHRBAC_CITUS_DIR=
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
	cd "$(dirname "$0")/../.." || exit 1
	source test/lib/prepare.sh && phrbac_citus_install
fi
