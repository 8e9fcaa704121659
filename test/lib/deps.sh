#!/usr/bin/env bash
# deps.sh: installs what phrbac's build, tests and demo need on Debian 12
# for the PostgreSQL major version in PG (15 unless set), and nothing when it
# is all there.  Sourced by test/lib/prepare.sh; also runnable on its own.
#
#   postgresql-server-dev-15  PGXS, server headers, pg_regress, isolation tester,
#                             PostgreSQL::Test::Cluster (TAP)
#   postgresql-15-cron        pg_cron, which schedules phrbac_audit_prune() in
#                             test/t/009_audit_cron.pl (PG=15 only: it is
#                             packaged for 15 alone; on 18 that test skips)
#   check, pkg-config         the unit tests of src/core
#   libipc-run-perl           the TAP tests
#   pgbouncer                 the pooler of the pooler benchmark and TAP test
#   clang, libclang-rt-14-dev PGXS's bitcode and the libFuzzer target
#   bison, flex, libssl-dev,  building another major version from its release
#   libreadline-dev,          source (PG=18; test/lib/pgbuild.sh)
#   zlib1g-dev

phrbac_missing_packages() {
	local missing=()
	local pg_config_bin
	pg_config_bin=$(command -v pg_config || true)
	# postgresql-client-15 ships pgxs.mk too: the server headers tell.
	if [ -z "$pg_config_bin" ] ||
		[ ! -f "$("$pg_config_bin" --includedir-server 2>/dev/null)/postgres.h" ]; then
		missing+=(postgresql-server-dev-15)
	fi
	if [ "${PG:-15}" = 15 ] && [ ! -f /usr/lib/postgresql/15/lib/pg_cron.so ]; then
		missing+=(postgresql-15-cron)
	fi
	command -v pkg-config >/dev/null 2>&1 || missing+=(pkg-config)
	pkg-config --exists check 2>/dev/null || missing+=(check)
	perl -MIPC::Run -e 1 2>/dev/null || missing+=(libipc-run-perl)
	[ -x /usr/sbin/pgbouncer ] || missing+=(pgbouncer)
	command -v clang >/dev/null 2>&1 || missing+=(clang)
	compgen -G "/usr/lib/llvm-*/lib/clang/*/lib/linux/libclang_rt.fuzzer-x86_64.a" >/dev/null ||
		missing+=(libclang-rt-14-dev)
	if [ "${PG:-15}" != 15 ]; then
		local tool
		for tool in bison flex; do
			command -v $tool >/dev/null 2>&1 || missing+=($tool)
		done
		[ -f /usr/include/openssl/ssl.h ] || missing+=(libssl-dev)
		[ -f /usr/include/readline/readline.h ] || missing+=(libreadline-dev)
		[ -f /usr/include/zlib.h ] || missing+=(zlib1g-dev)
	fi
	echo "${missing[@]}"
}

phrbac_install_deps() {
	local missing
	missing=$(phrbac_missing_packages)
	[ -z "$missing" ] && return 0
	if [ "$(id -u)" -ne 0 ]; then
		echo "phrbac: missing packages: $missing (run as root, or install them with apt-get)" >&2
		return 1
	fi
	echo "phrbac: installing $missing"
	apt-get update -qq &&
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $missing >/dev/null
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
	phrbac_install_deps
fi
