#!/usr/bin/env bash
# lib.sh: side-by-side timing for the benchmarks in test/bench.
#
# bench_compare runs pgbench scripts in interleaved rounds (a, b, a, b, ...)
# against the running cluster, so that drift in the machine hits every
# script alike, and reports the median latency of each and their ratio to
# the first, the baseline.  Results are appended to $BENCH_RESULTS as
# Markdown table rows.

BENCH_ROUNDS=${BENCH_ROUNDS:-7}
BENCH_SECONDS=${BENCH_SECONDS:-5}

# The median of numbers given as arguments.
bench_median() {
	printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END {
		if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

# One pgbench run of a script; prints its average latency in milliseconds.
bench_latency() {
	local script=$1
	shift
	pgbench -n -M prepared -T "$BENCH_SECONDS" "$@" -f "$script" 2>&1 |
		sed -n 's/^latency average = \([0-9.]*\) ms$/\1/p'
}

# The last result row of a script run once by psql: the answer it counts.
bench_answer() {
	psql -X -q -A -t -v ON_ERROR_STOP=1 -f "$1" | tail -n 1
}

# Fails unless two scripts give the same answer: a timing of wrong answers
# means nothing.
bench_same_rows() {
	local a b
	a=$(bench_answer "$1") && b=$(bench_answer "$2") || return 1
	if [ "$a" != "$b" ]; then
		echo "bench: $1 answers '$a' but $2 answers '$b'" >&2
		return 1
	fi
}

# bench_medians <label=script>... -- [pgbench options...]: runs the scripts
# in interleaved rounds and sets BENCH_MEDIANS to their median latencies
# (ms), in the order given.
bench_medians() {
	local scripts=() script latency i
	while [ $# -gt 0 ] && [ "$1" != -- ]; do scripts+=("$1"); shift; done
	[ $# -gt 0 ] && shift
	local runs=()
	for _ in $(seq "$BENCH_ROUNDS"); do
		for i in "${!scripts[@]}"; do
			script=${scripts[$i]#*=}
			latency=$(bench_latency "$script" "$@")
			if [ -z "$latency" ]; then
				echo "bench: pgbench failed on $script" >&2
				pgbench -n -M prepared -c 1 -t 1 "$@" -f "$script" >&2
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

# bench_row <title> <baseline label> <baseline ms> <label> <ms> [ratio]:
# one Markdown result row; the ratio defaults to ms / baseline ms.
bench_row() {
	local ratio=${6:-$(awk -v a="$5" -v b="$3" 'BEGIN { printf "%.2f", a / b }')}
	printf '| %s | %s: %.3f ms | %s: %.3f ms | %s× |\n' "$1" "$2" "$3" "$4" "$5" "$ratio" |
		tee -a "$BENCH_RESULTS"
}

# bench_difference <a ms> <b ms>: a - b.
bench_difference() {
	awk -v a="$1" -v b="$2" 'BEGIN { print a - b }'
}

# bench_compare <title> <baseline script> <script> [pgbench options...]
# Scripts are "label=path"; options (-D name=value) go to every run.
bench_compare() {
	local title=$1 baseline=$2 candidate=$3
	shift 3
	bench_medians "$baseline" "$candidate" -- "$@" || return 1
	bench_row "$title" "${baseline%%=*}" "${BENCH_MEDIANS[0]}" "${candidate%%=*}" "${BENCH_MEDIANS[1]}"
}
