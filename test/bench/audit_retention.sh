#!/usr/bin/env bash
# audit_retention.sh: the audit log at scale (issue 15; README,
# "Retention").  A log of BENCH_AUDIT_ROWS rows (default 5,000,000) over
# six months, written into 0.1.0's one table, then the same database copied
# and updated to 0.2.0, which partitions it by month (the update's time is
# printed).  Side by side, interleaved, each in its own database: what
# auditing adds to a write request on 0.1.0's table, on the partitioned
# log, and on the same 0.2.0 database's log put back in one table (it must
# not grow); pruning the oldest month, 0.1.0's
# phrbac_audit_prune(before) row by row against phrbac_audit_prune() by
# retention, which drops the month's partition (both remove the same rows,
# checked); and a SIEM poller's page of 1,000 rows through
# phrbac_audit_export() against the same page read by hand, in rows per
# second.

# bench_db_medians <script> <database> ... -- [pgbench options]: like
# bench_medians (lib.sh), each script run against its own database.
bench_db_medians() {
	local scripts=() databases=() latency i runs=()
	while [ $# -gt 0 ] && [ "$1" != -- ]; do scripts+=("$1"); databases+=("$2"); shift 2; done
	[ $# -gt 0 ] && shift
	for _ in $(seq "${BENCH_DB_ROUNDS:-$BENCH_ROUNDS}"); do
		for i in "${!scripts[@]}"; do
			latency=$(pgbench -n "$@" -f "${scripts[$i]}" "${databases[$i]}" 2>&1 |
				sed -n 's/^latency average = \([0-9.]*\) ms$/\1/p')
			if [ -z "$latency" ]; then
				echo "bench: pgbench failed on ${scripts[$i]} in ${databases[$i]}" >&2
				pgbench -n "$@" -t 1 -f "${scripts[$i]}" "${databases[$i]}" >&2
				return 1
			fi
			runs[i]="${runs[i]:-} $latency"
		done
	done
	BENCH_MEDIANS=()
	for i in "${!scripts[@]}"; do
		# shellcheck disable=SC2086 # one latency per word
		BENCH_MEDIANS+=("$(bench_median ${runs[$i]})")
	done
}

bench_audit_retention() {
	local dir=test/bench/audit_retention rows=${BENCH_AUDIT_ROWS:-5000000}
	local old=phrbac_retention_010 new=phrbac_retention_020 flat=phrbac_retention_020_flat
	local started took
	local label
	label=$(printf "%'d" "$rows" 2>/dev/null || echo "$rows")

	psql -X -q -c "SET client_min_messages = warning" -c "DROP DATABASE IF EXISTS $old" \
		-c "DROP DATABASE IF EXISTS $new" -c "DROP DATABASE IF EXISTS $flat" \
		-c "CREATE DATABASE $old" >/dev/null || return 1
	psql -X -q -v ON_ERROR_STOP=1 -v rows="$rows" -d "$old" -f "$dir/setup.sql" >/dev/null || return 1
	psql -X -q -c "CREATE DATABASE $new TEMPLATE $old" >/dev/null || return 1
	started=$(date +%s.%N)
	psql -X -q -v ON_ERROR_STOP=1 -d "$new" -c 'ALTER EXTENSION phrbac UPDATE' >/dev/null || return 1
	took=$(awk -v a="$started" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }')
	# organization 1 keeps five months: the oldest of the six is what goes
	psql -X -q -d "$new" -c "UPDATE phrbac.organizations SET audit_retention = '5 months' WHERE id = 1" \
		>/dev/null || return 1
	psql -X -q -d "$new" -c 'VACUUM ANALYZE phrbac.audit_log' >/dev/null || return 1
	echo "audit at scale: ALTER EXTENSION phrbac UPDATE partitioned $label rows in $took s" >&2

	# What auditing adds to a request (audited less not audited, in each
	# database): the chain's head found in one index or in the newest
	# partition holding the chain, the row routed to its month's.  Against
	# 0.1.0, and against the same 0.2.0 database with its log in one table
	# (audit_retention/unpartition.sql), where partitioning is the only
	# difference.
	psql -X -q -c "CREATE DATABASE $flat TEMPLATE $new" >/dev/null || return 1
	psql -X -q -d "$flat" -f "$dir/unpartition.sql" >/dev/null || return 1
	bench_db_medians "$dir/requests_plain.sql" "$old" "$dir/requests_audited.sql" "$old" \
		"$dir/requests_plain.sql" "$flat" "$dir/requests_audited.sql" "$flat" \
		"$dir/requests_plain.sql" "$new" "$dir/requests_audited.sql" "$new" -- \
		-M simple -T "$BENCH_SECONDS" || return 1
	local partitioned
	partitioned=$(bench_difference "${BENCH_MEDIANS[5]}" "${BENCH_MEDIANS[4]}")
	bench_row "audit at scale: what auditing adds to 100 write requests, log of $label rows: partitioned by month against 0.1.0's one table" \
		"0.1.0, one table" "$(bench_difference "${BENCH_MEDIANS[1]}" "${BENCH_MEDIANS[0]}")" \
		"0.2.0, partitioned" "$partitioned"
	bench_row "audit at scale: the same, 0.2.0 partitioned against 0.2.0 with the log in one table" \
		"0.2.0, one table" "$(bench_difference "${BENCH_MEDIANS[3]}" "${BENCH_MEDIANS[2]}")" \
		"0.2.0, partitioned" "$partitioned"
	psql -X -q -c "DROP DATABASE $flat" >/dev/null 2>&1

	# Pruning the oldest month: the same rows, then the time.
	local removed_old removed_new
	removed_old=$(psql -X -q -A -t -d "$old" -f "$dir/prune_before.sql") || return 1
	removed_new=$(psql -X -q -A -t -d "$new" -f "$dir/prune_month.sql") || return 1
	if [ "$removed_old" != "$removed_new" ] || [ "$removed_new" = 0 ]; then
		echo "bench: prune(before) removes '$removed_old' rows but prune() '$removed_new'" >&2
		return 1
	fi
	BENCH_DB_ROUNDS=$(( BENCH_ROUNDS < 3 ? BENCH_ROUNDS : 3 )) \
		bench_db_medians "$dir/prune_before.sql" "$old" "$dir/prune_month.sql" "$new" -- -t 1 || return 1
	bench_row "audit at scale: pruning the oldest of 6 months ($(printf "%'d" "$removed_new" 2>/dev/null || echo "$removed_new") rows)" \
		"0.1.0's prune(before), row by row" "${BENCH_MEDIANS[0]}" \
		"prune() by retention, the month dropped" "${BENCH_MEDIANS[1]}" \
		"$(awk -v a="${BENCH_MEDIANS[1]}" -v b="${BENCH_MEDIANS[0]}" 'BEGIN { printf "%.4f", a / b }')"

	# A poller's page of 1,000 rows after a random cursor, and rows per second.
	local last
	last=$(psql -X -q -A -t -d "$new" -c 'SELECT max(id) - 1000 FROM phrbac.audit_log') || return 1
	bench_db_medians "$dir/plain_page.sql" "$new" "$dir/export_page.sql" "$new" -- \
		-M prepared -T "$BENCH_SECONDS" -D last="$last" || return 1
	local plain_rate export_rate
	plain_rate=$(awk -v ms="${BENCH_MEDIANS[0]}" 'BEGIN { printf "%d", 1000 / ms * 1000 }')
	export_rate=$(awk -v ms="${BENCH_MEDIANS[1]}" 'BEGIN { printf "%d", 1000 / ms * 1000 }')
	bench_row "audit at scale: a page of 1,000 rows after a cursor, partitioned log (rows/s: by hand $plain_rate, export $export_rate)" \
		"SELECT ... ORDER BY id LIMIT" "${BENCH_MEDIANS[0]}" "phrbac_audit_export()" "${BENCH_MEDIANS[1]}"

	psql -X -q -c "DROP DATABASE $old" -c "DROP DATABASE $new" >/dev/null 2>&1
	return 0
}
