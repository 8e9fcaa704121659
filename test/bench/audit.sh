#!/usr/bin/env bash
# audit.sh: what the audit log costs a write (issue 6).  Single-row INSERT
# and UPDATE requests on a protected 10-column table: audited by phrbac
# against not audited, against a PL/pgSQL trigger writing the same jsonb
# diff, and against a row trigger that does nothing (what firing any
# trigger costs): as requests with their round trips, and run by the server
# without them, where the trigger's own cost shows; then eight writers in eight organizations against eight in
# one, after which every chain must still verify.

bench_audit() {
	local dir=test/bench/audit
	psql -X -q -v ON_ERROR_STOP=1 -f "$dir/setup.sql" >/dev/null || return 1

	# What an application sees: one request, with its round trips.
	bench_compare "audit: one write request (insert + update), audited against not" \
		"no audit=$dir/write_plain.sql" "phrbac audit=$dir/write_audited.sql" -D project=1 || return 1

	# What the trigger costs: the same requests run by the server, side by
	# side: plain, with a row trigger that does nothing (the floor of any
	# trigger-based audit), with the PL/pgSQL jsonb diff, audited by phrbac.
	bench_medians "$dir/server_plain.sql" "$dir/server_noop.sql" "$dir/server_plpgsql.sql" \
		"$dir/server_audited.sql" -- -M simple -D project=1 || return 1
	local plain=${BENCH_MEDIANS[0]} noop=${BENCH_MEDIANS[1]}
	local plpgsql=${BENCH_MEDIANS[2]} audited=${BENCH_MEDIANS[3]}
	bench_row "audit: 100 requests run by the server (no round trips), audited against not" \
		"no audit" "$plain" "phrbac audit" "$audited"
	bench_row "audit: what the trigger adds to them, phrbac against a PL/pgSQL jsonb diff" \
		"PL/pgSQL adds" "$(bench_difference "$plpgsql" "$plain")" \
		"phrbac adds" "$(bench_difference "$audited" "$plain")"
	bench_row "audit: of PL/pgSQL's, what firing any row trigger adds (one that does nothing)" \
		"PL/pgSQL adds" "$(bench_difference "$plpgsql" "$plain")" \
		"doing nothing adds" "$(bench_difference "$noop" "$plain")"
	bench_compare "audit: 8 writers, one organization against eight (latency)" \
		"8 organizations=$dir/write_audited_own_org.sql" "1 organization=$dir/write_audited.sql" \
		-c 8 -j 2 -D project=1 || return 1

	local broken
	broken=$(psql -X -q -A -t -c 'SELECT count(*) FROM phrbac_audit_verify() WHERE first_bad_id IS NOT NULL')
	if [ "$broken" != 0 ]; then
		echo "bench: $broken audit chains do not verify after the concurrent writers" >&2
		return 1
	fi
	psql -X -q -c 'DROP EXTENSION phrbac CASCADE' \
		-c 'DROP TABLE insights_audited, insights_plain, insights_plpgsql, insights_noop, plpgsql_audit' \
		-c 'DROP FUNCTION plpgsql_audit_row, noop_row' \
		-c 'DROP PROCEDURE write_requests_plain, write_requests_noop, write_requests_plpgsql, write_requests_audited' \
		-c 'DROP ROLE bench_writer' >/dev/null 2>&1
}
