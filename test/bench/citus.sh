#!/usr/bin/env bash
# citus.sh: what phrbac's policies cost on a Citus cluster of a coordinator
# and two workers on this machine (issue 12): BENCH_EVENTS events (default
# 10,000,000) over 1,000 projects, distributed by project.  Each comparison
# first checks that both scripts count the same rows.  Skipped, saying why,
# where Citus cannot be had (test/lib/citus.sh).

bench_citus() {
	local dir=test/bench/citus events=${BENCH_EVENTS:-10000000} reason
	if reason=$(phrbac_citus_unavailable); then
		echo "| Citus | skipped: $reason | | |"
		return 0
	fi
	phrbac_citus_install >/dev/null || return 1
	(
		trap phrbac_citus_cluster_stop EXIT
		phrbac_citus_cluster_start || exit 1
		psql -X -q -v ON_ERROR_STOP=1 -v events="$events" -f "$dir/setup.sql" >/dev/null || exit 1
		bench_same_rows "$dir/member_floor.sql" "$dir/member_phrbac.sql" || exit 1
		bench_same_rows "$dir/owner_floor.sql" "$dir/owner_phrbac.sql" || exit 1
		bench_same_rows "$dir/router_floor.sql" "$dir/router_phrbac.sql" || exit 1
		bench_compare "Citus: member of 3 of 1,000 projects, count(*) of $events distributed events" \
			"hand-written WHERE, no policy=$dir/member_floor.sql" "phrbac_protect=$dir/member_phrbac.sql" || exit 1
		bench_compare "Citus: organization owner, count(*) of every event" \
			"no policy=$dir/owner_floor.sql" "phrbac_protect=$dir/owner_phrbac.sql" || exit 1
		bench_compare "Citus: router query on one project" \
			"no policy=$dir/router_floor.sql" "phrbac_protect=$dir/router_phrbac.sql" || exit 1
	)
}
