#!/usr/bin/env bash
# protect.sh: what phrbac's row-level security costs a query (issue 5).
#
# BENCH_EVENTS rows of events (default 10,000,000) over 1,000 projects.
# Each comparison first checks that both scripts count the same rows.

bench_protect() {
	local dir=test/bench/protect events=${BENCH_EVENTS:-10000000}
	local round_setting=$BENCH_ROUNDS
	psql -X -q -v ON_ERROR_STOP=1 -v events="$events" -f "$dir/setup.sql" >/dev/null || return 1

	bench_same_rows "$dir/member_floor.sql" "$dir/member_phrbac.sql" || return 1
	bench_same_rows "$dir/member_floor.sql" "$dir/member_hand.sql" || return 1
	bench_same_rows "$dir/admin_floor.sql" "$dir/admin_phrbac.sql" || return 1
	bench_same_rows "$dir/flags_floor.sql" "$dir/flags_phrbac.sql" || return 1

	bench_compare "RLS: member of 3 of 1,000 projects, count(*) of $events events" \
		"hand-written WHERE, no policy=$dir/member_floor.sql" "phrbac_protect=$dir/member_phrbac.sql" || return 1
	bench_compare "RLS: the same against the best hand-written policy" \
		"membership table + sub-select policy=$dir/member_hand.sql" "phrbac_protect=$dir/member_phrbac.sql" || return 1
	bench_compare "RLS: organization owner, count(*) of every event" \
		"no policy=$dir/admin_floor.sql" "phrbac_protect=$dir/admin_phrbac.sql" || return 1
	# the owner's count on one core: what the policy costs a core, apart
	# from how the two plans use parallel workers
	bench_compare "RLS: organization owner, count(*) of every event, one core" \
		"no policy=$dir/admin_floor_one_core.sql" "phrbac_protect=$dir/admin_phrbac_one_core.sql" || return 1
	bench_compare "RLS: 100,000 feature flags with 1,000 object rules" \
		"hand-written WHERE, no policy=$dir/flags_floor.sql" "phrbac_protect=$dir/flags_phrbac.sql" || return 1
	# a per-row PL/pgSQL policy reads every row: one round is enough to see it
	BENCH_ROUNDS=1
	bench_compare "RLS: a per-row PL/pgSQL policy, against phrbac" \
		"phrbac_protect=$dir/member_phrbac.sql" "naive PL/pgSQL policy=$dir/member_naive.sql" || return 1
	BENCH_ROUNDS=$round_setting
	psql -X -q -c 'DROP EXTENSION phrbac CASCADE' -c 'DROP TABLE events, events_hand, feature_flags, membership' \
		-c 'DROP FUNCTION naive_can' -c 'DROP ROLE bench_reader, bench_hand, bench_naive, bench_floor' >/dev/null 2>&1
}
