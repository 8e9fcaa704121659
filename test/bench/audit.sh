#!/usr/bin/env bash
# audit.sh: what the audit log costs a write (issue 6).  Single-row INSERT
# and UPDATE requests on a protected 10-column table: audited by phrbac
# against not audited, and against a PL/pgSQL trigger writing the same
# jsonb diff; then eight writers in eight organizations against eight in
# one, after which every chain must still verify.

bench_audit() {
	local dir=test/bench/audit
	psql -X -q -v ON_ERROR_STOP=1 -f "$dir/setup.sql" >/dev/null || return 1

	# The three side by side: the audited write against the plain one, and
	# what each trigger adds to the plain write against each other.
	bench_medians "$dir/write_plain.sql" "$dir/write_plpgsql.sql" "$dir/write_audited.sql" \
		-- -D project=1 || return 1
	local plain=${BENCH_MEDIANS[0]} plpgsql=${BENCH_MEDIANS[1]} audited=${BENCH_MEDIANS[2]}
	bench_row "audit: insert + update of one row, audited against not" \
		"no audit" "$plain" "phrbac audit" "$audited"
	bench_row "audit: the same against a PL/pgSQL jsonb-diff trigger" \
		"PL/pgSQL trigger" "$plpgsql" "phrbac audit" "$audited"
	bench_row "audit: the cost the trigger adds, phrbac against PL/pgSQL" \
		"PL/pgSQL adds" "$(awk -v a="$plpgsql" -v b="$plain" 'BEGIN { print a - b }')" \
		"phrbac adds" "$(awk -v a="$audited" -v b="$plain" 'BEGIN { print a - b }')" \
		"$(awk -v a="$audited" -v b="$plpgsql" -v p="$plain" 'BEGIN { printf "%.2f", (a - p) / (b - p) }')"
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
		-c 'DROP TABLE insights_audited, insights_plain, insights_plpgsql, plpgsql_audit' \
		-c 'DROP FUNCTION plpgsql_audit_row' -c 'DROP ROLE bench_writer' >/dev/null 2>&1
}
