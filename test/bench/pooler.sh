#!/usr/bin/env bash
# pooler.sh: phrbac at the scale of issues 3 and 16 (README, "Benchmarks"):
# the cache fill, per-row checks, and phrbac behind a transaction pooler.
#
# BENCH_USERS users (10,000) in the catalog of test/bench/scale/setup.sql,
# 100 events per project.  First the fill in a new session (scale/fill.sql);
# then 1,000,000 checks in one statement against a precomputed list.  Then
# one request, a transaction that sets one of the users at random and
# counts the events they may see, against the same by the best hand-written
# policy (a setting and a membership table read once per statement): each
# in a new session straight to the server; then through PgBouncer in
# transaction mode, 10 server connections, 50 pgbench clients, also against
# phrbac for one user only, in interleaved rounds, twice: after
# BENCH_WARMUP seconds of requests (backends warming), and again once every
# pooled backend has most likely served every user (warm, the steady state
# of a pool that runs for hours).  Pooled latencies are each transaction's
# (pgbench's log): p50 and p99 of each run, medians over the rounds.  The
# pooled backends may keep all users' facts (phrbac.cache_size = 256MB for
# bench_reader: about 140 MB at this scale); one backend's cache counts are
# printed after each set of rounds.

BENCH_POOLER_PORT=${BENCH_POOLER_PORT:-6543}
# seconds of requests through the pooler before the measured rounds: a
# pooled backend's cache fills as it serves (BENCH_QUICK: 1)
BENCH_WARMUP=${BENCH_WARMUP:-60}

# bench_pooled <script> <user>: one pgbench run through the pooler; prints
# "p50 p99 tps" (ms, ms, transactions per second).
bench_pooled() {
	local script=$1 user=$2 dir tps
	dir=$(mktemp -d "${TMPDIR:-/tmp}/phrbac-pooled.XXXXXX")
	tps=$(cd "$dir" && pgbench -n -M simple -c 50 -j 2 -T "$BENCH_SECONDS" \
		-h 127.0.0.1 -p "$BENCH_POOLER_PORT" -U "$user" -D users="$BENCH_USERS" \
		-l --log-prefix="$dir/log" -f "$OLDPWD/$script" 2>&1 |
		sed -n 's/^tps = \([0-9.]*\) .*/\1/p')
	cat "$dir"/log.* | awk '{ print $3 / 1000 }' | sort -g | awk -v tps="$tps" '
		{ v[NR] = $1 } END {
			if (NR == 0 || tps == "") exit 1
			printf "%s %s %s\n", v[int((NR + 1) * 0.50)], v[int((NR - 1) * 0.99) + 1], tps }'
	local status=$?
	rm -rf "$dir"
	return $status
}

# bench_pooled_rounds <title>: BENCH_ROUNDS interleaved rounds through the
# pooler of the hand-written policy, phrbac and phrbac for one user only;
# prints the p50 and p99 rows, the requests per second of the user mix
# against one user, and one pooled backend's cache counts.
bench_pooled_rounds() {
	local title=$1 hand=() mine=() single=() out stats entries hits misses evictions bytes
	for _ in $(seq "$BENCH_ROUNDS"); do
		out=$(bench_pooled test/bench/pooler/hand.sql bench_hand) || { echo "bench: pooled hand.sql failed" >&2; return 1; }
		hand+=("$out")
		out=$(bench_pooled test/bench/pooler/phrbac.sql bench_reader) || { echo "bench: pooled phrbac.sql failed" >&2; return 1; }
		mine+=("$out")
		out=$(bench_pooled test/bench/pooler/single.sql bench_reader) || { echo "bench: pooled single.sql failed" >&2; return 1; }
		single+=("$out")
	done
	column() { local n=$1; shift; bench_median $(printf '%s\n' "$@" | awk -v n="$n" '{ print $n }'); }
	bench_row "$title: p50" \
		"setting + membership table" "$(column 1 "${hand[@]}")" "phrbac" "$(column 1 "${mine[@]}")"
	bench_row "the same: p99" \
		"setting + membership table" "$(column 2 "${hand[@]}")" "phrbac" "$(column 2 "${mine[@]}")"
	printf '| the same: requests per second, one of %s users against one user | one user: %.0f/s | %s users: %.0f/s | %s× |\n' \
		"$BENCH_USERS" "$(column 3 "${single[@]}")" "$BENCH_USERS" "$(column 3 "${mine[@]}")" \
		"$(awk -v a="$(column 3 "${mine[@]}")" -v b="$(column 3 "${single[@]}")" 'BEGIN { printf "%.2f", a / b }')" |
		tee -a "$BENCH_RESULTS"
	stats=$(psql -X -q -A -t -F' ' -h 127.0.0.1 -p "$BENCH_POOLER_PORT" -U bench_reader \
		-c 'SELECT entries, hits, misses, evictions, bytes FROM phrbac_cache_stats()') || return 1
	read -r entries hits misses evictions bytes <<<"$stats"
	# each request looks its user up twice (phrbac_set_user, the policy's
	# list), and fills on the first when the user is not cached
	printf '| the same: one pooled backend'"'"'s cache so far: requests that filled | %s users, %s MB | hits %s, misses %s, evictions %s | %s |\n' \
		"$entries" "$(( bytes / 1048576 ))" "$hits" "$misses" "$evictions" \
		"$(awk -v h="$hits" -v m="$misses" 'BEGIN { printf "%.0f%%", 100 * m / ((h + m) / 2) }')" | tee -a "$BENCH_RESULTS"
}

# bench_new_sessions <script> <user>: one pgbench run straight to the
# server with a new connection for every request (-C), each its backend's
# first; prints "total request" (ms): the request's average with its
# connection, and without it.
bench_new_sessions() {
	local script=$1 user=$2
	pgbench -n -C -M simple -c 1 -T "$BENCH_SECONDS" -U "$user" -D users="$BENCH_USERS" \
		-f "$script" 2>&1 | awk '
		/^latency average = / { latency = $4 }
		/^average connection time = / { connection = $5 }
		END { if (latency == "" || connection == "") exit 1; print latency, latency - connection }'
}

# bench_new_session_rounds: BENCH_ROUNDS interleaved rounds of the
# hand-written policy and phrbac, one request per new session: what an
# application without a pooler pays each time, phrbac's cold start (the
# library, the fill's plans, the relation cache) included.
bench_new_session_rounds() {
	local hand_total=() hand_request=() mine_total=() mine_request=() out
	for _ in $(seq "$BENCH_ROUNDS"); do
		out=$(bench_new_sessions test/bench/pooler/hand.sql bench_hand) || { echo "bench: hand.sql in new sessions failed" >&2; return 1; }
		hand_total+=("${out% *}") hand_request+=("${out#* }")
		out=$(bench_new_sessions test/bench/pooler/phrbac.sql bench_reader) || { echo "bench: phrbac.sql in new sessions failed" >&2; return 1; }
		mine_total+=("${out% *}") mine_request+=("${out#* }")
	done
	bench_row "a request in a new session (a new connection each, no pooler), one of $BENCH_USERS users" \
		"setting + membership table" "$(bench_median "${hand_total[@]}")" "phrbac" "$(bench_median "${mine_total[@]}")"
	bench_row "the same, the connection's time taken out" \
		"setting + membership table" "$(bench_median "${hand_request[@]}")" "phrbac" "$(bench_median "${mine_request[@]}")"
}

bench_pooler() {
	local users=${BENCH_USERS:-10000} fill i
	BENCH_USERS=$users
	createdb bench_scale || return 1
	psql -X -q -d bench_scale -v ON_ERROR_STOP=1 -v users="$users" -v events=100000 \
		-f test/bench/scale/setup.sql >/dev/null || return 1

	# the fill, cold: a new session; "first median bytes".  The session
	# before it rebuilds the relation cache's init file, which the setup's
	# DDL invalidated: a cost of the cluster's first session after DDL, not
	# of phrbac's first check.
	psql -X -q -d bench_scale -c 'SELECT 1' >/dev/null || return 1
	fill=$(psql -X -q -A -t -F' ' -d bench_scale -f test/bench/scale/fill.sql) || return 1
	read -r first median bytes <<<"$fill"
	bench_row "cache fill: first check in a new session ($users users, $((users * 8 + 20000)) rules)" \
		"target" 2 "phrbac" "$first"
	bench_row "cache fill: a user not in the cache, median of 1,000" "target" 1 "phrbac" "$median"
	printf '| cache: one user'"'"'s facts | target: 1048576 bytes | phrbac: %s bytes | %s× |\n' \
		"$bytes" "$(awk -v b="$bytes" 'BEGIN { printf "%.2f", b / 1048576 }')" | tee -a "$BENCH_RESULTS"

	# per-row checks, one core, against a precomputed list (issue 3)
	export PGDATABASE=bench_scale
	bench_same_rows test/bench/scale/checks_array.sql test/bench/scale/checks_phrbac.sql || return 1
	bench_compare "per-row checks: 1,000,000 phrbac_can() in one statement, one core" \
		"precomputed list, ANY(array)=test/bench/scale/checks_array.sql" \
		"phrbac_can=test/bench/scale/checks_phrbac.sql" || return 1
	printf '| the same: checks per second | target: 3000000/s | phrbac: %.0f/s | %s× |\n' \
		"$(awk -v ms="${BENCH_MEDIANS[1]}" 'BEGIN { print 1000000 / (ms / 1000) }')" \
		"$(awk -v ms="${BENCH_MEDIANS[1]}" 'BEGIN { printf "%.2f", 1000000 / (ms / 1000) / 3000000 }')" |
		tee -a "$BENCH_RESULTS"
	bench_new_session_rounds || return 1
	export PGDATABASE=postgres

	psql -X -q -c "ALTER ROLE bench_reader SET phrbac.cache_size = '256MB'" || return 1
	phrbac_pgbouncer_start "$BENCH_POOLER_PORT" 10 bench_reader bench_hand || return 1
	# the answers agree, through the pooler
	for i in 1 2 3; do
		a=$(printf 'BEGIN;\nSELECT phrbac_set_user(%s);\nSELECT count(*) FROM events;\nCOMMIT;\n' "$i" |
			psql -X -q -A -t -h 127.0.0.1 -p "$BENCH_POOLER_PORT" -U bench_reader -d bench_scale | tail -n 1)
		b=$(printf 'BEGIN;\nSET LOCAL bench.user_id = %s;\nSELECT count(*) FROM events_hand;\nCOMMIT;\n' "$i" |
			psql -X -q -A -t -h 127.0.0.1 -p "$BENCH_POOLER_PORT" -U bench_hand -d bench_scale | tail -n 1)
		if [ -z "$a" ] || [ "$a" != "$b" ]; then
			echo "bench: user $i counts '$a' events through phrbac but '$b' by hand" >&2
			return 1
		fi
	done

	export PGDATABASE=bench_scale
	(BENCH_SECONDS=$BENCH_WARMUP bench_pooled test/bench/pooler/phrbac.sql bench_reader >/dev/null) ||
		{ echo "bench: pooled warm-up failed" >&2; return 1; }
	bench_pooled_rounds "PgBouncer (transaction mode, 10 server connections, 50 clients), one of $users users per request, backends warming ($BENCH_WARMUP s in)" || return 1

	# The steady state of a pooled backend, which runs for hours: requests
	# until each of the 10 backends has most likely served every user (a
	# user is still missing from one backend's cache after n requests with
	# probability e^(-n / (10 x users)): 50 x users requests leave under 1%
	# of them out), then the same rounds again.
	pgbench -n -M simple -c 50 -j 2 -t "$users" -h 127.0.0.1 -p "$BENCH_POOLER_PORT" -U bench_reader \
		-D users="$users" -f test/bench/pooler/phrbac.sql >/dev/null 2>&1 ||
		{ echo "bench: filling every pooled backend failed" >&2; return 1; }
	bench_pooled_rounds "the same, backends warm (each has served every user)" || return 1
	export PGDATABASE=postgres
	phrbac_pgbouncer_stop
	psql -X -q -c 'DROP DATABASE bench_scale' -c 'DROP ROLE bench_reader, bench_hand' >/dev/null 2>&1
	return 0
}
