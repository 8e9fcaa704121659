#!/usr/bin/env bash
# citus.sh: Citus for the citus test level and benchmark: built once from
# its release source into a cache outside the clone, installed into the
# server of PG_CONFIG from there, and a throwaway cluster of a coordinator
# and two workers.  Citus is a test dependency only: phrbac never needs it.
#
#   PHRBAC_CACHE   where builds are kept (as for pgbuild.sh)
#   PHRBAC_VENDOR  where the release source and its patch are (default
#                  ../shared/vendor beside the clone)
#
# phrbac_citus_available says why Citus cannot be had (and returns 1) when
# its source is missing: the level is then skipped, and says so.

PHRBAC_CITUS_VERSION=13.2.2
PHRBAC_CITUS_PACKAGES="libcurl4-openssl-dev liblz4-dev libzstd-dev libkrb5-dev
	libselinux1-dev libxslt1-dev libpam0g-dev libreadline-dev"

phrbac_citus_vendor() {
	local root
	root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
	echo "${PHRBAC_VENDOR:-$root/../shared/vendor}"
}

phrbac_citus_available() {
	local tarball
	tarball="$(phrbac_citus_vendor)/citus-$PHRBAC_CITUS_VERSION.tar.gz"
	if [ ! -f "$tarball" ] && [ ! -f "$(phrbac_citus_stage)/.built" ]; then
		echo "no Citus release source at $tarball (set PHRBAC_VENDOR) and no cached build"
		return 1
	fi
}

# Where the build for this server is staged (make install DESTDIR=...).
phrbac_citus_stage() {
	local cache=${PHRBAC_CACHE:-/var/cache/phrbac}
	[ -w "$cache" ] || [ -n "${PHRBAC_CACHE:-}" ] || cache=$HOME/.cache/phrbac
	echo "$cache/citus-$PHRBAC_CITUS_VERSION-pg$("$PG_CONFIG" --version | sed 's/^PostgreSQL \([0-9.]*\).*/\1/')"
}

# Builds Citus into its stage when it is not there, then copies the stage
# into the server's folders (root only: they are the system's).
phrbac_citus_install() {
	local stage vendor
	stage=$(phrbac_citus_stage)
	vendor=$(phrbac_citus_vendor)
	mkdir -p "$(dirname "$stage")" || return 1
	(
		flock 9
		[ -f "$stage/.built" ] && exit 0
		# shellcheck disable=SC2086
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $PHRBAC_CITUS_PACKAGES >/dev/null ||
			exit 1
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
	cp -a "$stage"/usr / || return 1
}

# Starts a coordinator and two workers on loopback ports, as the postgres
# OS user, with phrbac's library and Citus preloaded; exports PGHOST, PGPORT
# (the coordinator's), PHRBAC_CITUS_PORTS (all three) and PHRBAC_CITUS_DIR.
# Stopped on exit, pass or fail.
phrbac_citus_cluster_start() {
	PHRBAC_CITUS_DIR=$(mktemp -d "${TMPDIR:-/tmp}/phrbac-citus-cluster.XXXXXX")
	[ "$(id -u)" -eq 0 ] && chown postgres: "$PHRBAC_CITUS_DIR"
	trap phrbac_citus_cluster_stop EXIT
	trap 'exit 130' INT TERM
	local base port node
	base=$(( 20000 + RANDOM % 20000 ))
	PHRBAC_CITUS_PORTS="$base $((base + 1)) $((base + 2))"
	for port in $PHRBAC_CITUS_PORTS; do
		node=$PHRBAC_CITUS_DIR/$port
		phrbac_as_postgres "$PG_BINDIR/initdb" -D "$node" -U postgres -A trust --no-sync \
			>"$PHRBAC_CITUS_DIR/initdb-$port.log" 2>&1 || {
			cat "$PHRBAC_CITUS_DIR/initdb-$port.log" >&2
			return 1
		}
		phrbac_as_postgres "$PG_BINDIR/pg_ctl" -D "$node" -w -l "$PHRBAC_CITUS_DIR/$port.log" \
			-o "-c listen_addresses=127.0.0.1 -c port=$port -c unix_socket_directories='$PHRBAC_CITUS_DIR' -c fsync=off -c shared_preload_libraries=citus -c max_connections=200" \
			start >/dev/null || {
			cat "$PHRBAC_CITUS_DIR/$port.log" >&2
			return 1
		}
	done
	export PGHOST=$PHRBAC_CITUS_DIR PGPORT=$base PGUSER=postgres PGDATABASE=postgres
	export PHRBAC_CITUS_DIR PHRBAC_CITUS_PORTS
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
