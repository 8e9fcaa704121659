#!/usr/bin/env bash
# pgbouncer.sh: a PgBouncer in transaction mode in front of the cluster of
# cluster.sh, for the pooler benchmark (test/bench/pooler.sh).
#
# phrbac_pgbouncer_start <port> <server connections> <user>...: starts it as
# the postgres OS user, listening on 127.0.0.1:<port> only, reaching the
# cluster over its Unix socket, trusting the users named (the cluster trusts
# them too), and arranges for phrbac_pgbouncer_stop to run on exit, before
# the cluster stops.  phrbac_pgbouncer_stop stops it and removes its folder.

phrbac_pgbouncer_start() {
	local port=$1 pool=$2 user
	shift 2
	PHRBAC_PGBOUNCER_DIR=$(mktemp -d "${TMPDIR:-/tmp}/phrbac-pgbouncer.XXXXXX")
	for user in "$@"; do echo "\"$user\" \"\""; done >"$PHRBAC_PGBOUNCER_DIR/users.txt"
	cat >"$PHRBAC_PGBOUNCER_DIR/pgbouncer.ini" <<-INI
		[databases]
		* = host=$PGHOST port=$PGPORT
		[pgbouncer]
		listen_addr = 127.0.0.1
		listen_port = $port
		unix_socket_dir =
		auth_type = trust
		auth_file = $PHRBAC_PGBOUNCER_DIR/users.txt
		pool_mode = transaction
		default_pool_size = $pool
		max_client_conn = 200
		ignore_startup_parameters = extra_float_digits
		pidfile = $PHRBAC_PGBOUNCER_DIR/pgbouncer.pid
		logfile = $PHRBAC_PGBOUNCER_DIR/pgbouncer.log
	INI
	[ "$(id -u)" -eq 0 ] && chown -R postgres: "$PHRBAC_PGBOUNCER_DIR"
	trap 'phrbac_pgbouncer_stop; phrbac_cluster_stop' EXIT
	phrbac_as_postgres /usr/sbin/pgbouncer -d "$PHRBAC_PGBOUNCER_DIR/pgbouncer.ini" || {
		cat "$PHRBAC_PGBOUNCER_DIR/pgbouncer.log" >&2
		return 1
	}
	local i
	for i in $(seq 50); do
		psql -X -q -h 127.0.0.1 -p "$port" -U "$1" -c 'SELECT 1' >/dev/null 2>&1 && return 0
		sleep 0.1
	done
	echo "pgbouncer: not answering on port $port" >&2
	cat "$PHRBAC_PGBOUNCER_DIR/pgbouncer.log" >&2
	return 1
}

phrbac_pgbouncer_stop() {
	[ -n "${PHRBAC_PGBOUNCER_DIR:-}" ] && [ -d "$PHRBAC_PGBOUNCER_DIR" ] || return 0
	local pid i
	pid=$(cat "$PHRBAC_PGBOUNCER_DIR/pgbouncer.pid" 2>/dev/null || true)
	if [ -n "$pid" ]; then
		kill "$pid" 2>/dev/null
		for i in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
	fi
	rm -rf "$PHRBAC_PGBOUNCER_DIR"
	PHRBAC_PGBOUNCER_DIR=
}
