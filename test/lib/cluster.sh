#!/usr/bin/env bash
# cluster.sh: a throwaway PostgreSQL cluster for tests and the demo.
#
# phrbac_cluster_start creates it in a fresh temporary directory, owned by
# the postgres OS user when run as root (initdb refuses root), listening on
# a Unix socket in that directory only, and exports PGHOST, PGPORT, PGUSER
# and PGDATABASE for psql and pg_regress.  phrbac_cluster_stop stops it and
# removes the directory; phrbac_cluster_start arranges for it to run on exit,
# pass or fail.  The server is the one in PG_BINDIR (test/lib/pgbuild.sh).

# The prefix that runs a command as the postgres OS user when we are root
# (initdb and postgres refuse root), and as ourselves otherwise; for
# commands that take a command, such as timeout.
PHRBAC_AS_POSTGRES=()
[ "$(id -u)" -eq 0 ] && PHRBAC_AS_POSTGRES=(runuser -u postgres --)

# Runs a command as the postgres OS user when we are root, else as ourselves,
# from a folder that user can enter: PostgreSQL's programs complain on
# stderr when they cannot return to their working folder (a clone under
# /root).  Paths given to it must be absolute.
phrbac_as_postgres() {
	(cd / && "${PHRBAC_AS_POSTGRES[@]}" "$@")
}

phrbac_cluster_start() {
	PHRBAC_CLUSTER_DIR=$(mktemp -d "${TMPDIR:-/tmp}/phrbac-cluster.XXXXXX")
	[ "$(id -u)" -eq 0 ] && chown postgres: "$PHRBAC_CLUSTER_DIR"
	trap phrbac_cluster_stop EXIT
	trap 'exit 130' INT TERM

	phrbac_as_postgres "$PG_BINDIR/initdb" -D "$PHRBAC_CLUSTER_DIR/data" \
		-U postgres -A trust --no-sync >"$PHRBAC_CLUSTER_DIR/initdb.log" 2>&1 || {
		cat "$PHRBAC_CLUSTER_DIR/initdb.log" >&2
		return 1
	}
	phrbac_as_postgres "$PG_BINDIR/pg_ctl" -D "$PHRBAC_CLUSTER_DIR/data" -w \
		-l "$PHRBAC_CLUSTER_DIR/server.log" \
		-o "-c listen_addresses='' -c unix_socket_directories='$PHRBAC_CLUSTER_DIR' -c port=5432 -c fsync=off" \
		start >/dev/null || {
		cat "$PHRBAC_CLUSTER_DIR/server.log" >&2
		return 1
	}
	export PGHOST=$PHRBAC_CLUSTER_DIR PGPORT=5432 PGUSER=postgres PGDATABASE=postgres
}

phrbac_cluster_stop() {
	[ -n "${PHRBAC_CLUSTER_DIR:-}" ] && [ -d "$PHRBAC_CLUSTER_DIR" ] || return 0
	phrbac_as_postgres "$PG_BINDIR/pg_ctl" -D "$PHRBAC_CLUSTER_DIR/data" -m fast \
		-w stop >/dev/null 2>&1
	rm -rf "$PHRBAC_CLUSTER_DIR"
	PHRBAC_CLUSTER_DIR=
}
