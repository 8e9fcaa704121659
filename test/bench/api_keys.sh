#!/usr/bin/env bash
# api_keys.sh: what a key costs a request.  phrbac_authenticate() plus one
# check, against phrbac_set_user() plus the same check (issue: at most 2×);
# per request through pgbench, and per call inside one statement.

bench_api_keys() {
	local dir=test/bench/api_keys secret
	psql -X -q -v ON_ERROR_STOP=1 -c 'CREATE EXTENSION phrbac' >/dev/null
	secret=$(psql -X -q -v ON_ERROR_STOP=1 -f "$dir/setup.sql" -c '\echo :secret' | tail -n 1)
	bench_compare "API key: one request (4 statements)" \
		"phrbac_set_user=$dir/set_user.sql" "phrbac_authenticate=$dir/authenticate.sql" \
		-D user_id=8 -D "secret=$secret" -D want=insight:view || return 1
	bench_compare "API key: 10,000 calls in one statement" \
		"phrbac_set_user=$dir/set_user_calls.sql" "phrbac_authenticate=$dir/authenticate_calls.sql" \
		-D user_id=8 -D "secret=$secret" -D want=insight:view || return 1
	psql -X -q -c 'DROP EXTENSION phrbac' >/dev/null
}
