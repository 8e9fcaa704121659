#!/usr/bin/env bash
# pgbuild.sh: a PostgreSQL major version that Debian does not package, built
# once from its release source into a cache outside the clone and reused by
# every later run (make test PG=18, make bench PG=18, make demo PG=18).
#
#   PHRBAC_CACHE   where builds are kept (default /var/cache/phrbac, or
#                  ~/.cache/phrbac for a user who cannot write there)
#   PHRBAC_VENDOR  where the release sources are (default ../shared/vendor
#                  beside the clone)
#
# phrbac_pg_config MAJOR prints the pg_config to build against: Debian's for
# 15, the cached build for any other, building it first when it is missing.
# A build that stops half-way leaves no stamp, so the next run starts over.

phrbac_pg_config() {
	local major=$1
	if [ "$major" = 15 ]; then
		echo /usr/lib/postgresql/15/bin/pg_config
		return 0
	fi
	local cache=${PHRBAC_CACHE:-}
	if [ -z "$cache" ]; then
		cache=/var/cache/phrbac
		mkdir -p "$cache" 2>/dev/null && [ -w "$cache" ] || cache=$HOME/.cache/phrbac
	fi
	mkdir -p "$cache" || return 1
	local root
	root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
	local vendor=${PHRBAC_VENDOR:-$root/../shared/vendor}
	local prefix=$cache/postgresql-$major
	(
		# One builder at a time; a second run waits for the first's result.
		flock 9
		[ -f "$prefix/.built" ] && exit 0
		# Called under `make test`, the build would inherit its make level,
		# and PostgreSQL makes its generated headers only at level 0.
		unset MAKELEVEL MAKEFLAGS MFLAGS
		local tarball
		tarball=$(ls "$vendor"/postgresql-"$major".*.tar.bz2 2>/dev/null | sort -V | tail -n 1)
		if [ -z "$tarball" ]; then
			echo "phrbac: no PostgreSQL $major release source in $vendor (set PHRBAC_VENDOR)" >&2
			exit 1
		fi
		echo "phrbac: building $(basename "$tarball") into $prefix (once; about 7 minutes)" >&2
		local work
		work=$(mktemp -d "${TMPDIR:-/tmp}/phrbac-pgbuild.XXXXXX")
		trap 'rm -rf "$work"' EXIT
		rm -rf "$prefix"
		tar -xjf "$tarball" -C "$work" &&
			cd "$work"/postgresql-* &&
			./configure --prefix="$prefix" --without-icu --with-openssl \
				--enable-tap-tests >"$work/configure.log" 2>&1 &&
			make -j"$(nproc)" >"$work/make.log" 2>&1 &&
			make install >>"$work/make.log" 2>&1 &&
			make -C src/test/isolation install >>"$work/make.log" 2>&1 &&
			make -C src/test/perl install >>"$work/make.log" 2>&1 ||
			{
				echo "phrbac: building PostgreSQL $major failed; last lines:" >&2
				tail -n 30 "$work"/*.log >&2
				exit 1
			}
		touch "$prefix/.built"
	) 9>"$cache/postgresql-$major.lock" || return 1
	echo "$prefix/bin/pg_config"
}

# Exports PG_CONFIG and PG_BINDIR for the major version in PG (15 unless
# set), for make, the clusters and the TAP tests.  A PG_CONFIG given by the
# caller (make test PG_CONFIG=/path/to/pg_config) names the server instead;
# PG must then say its major version.
phrbac_select_postgres() {
	if [ -n "${PG_CONFIG:-}" ] && [ "$PG_CONFIG" != pg_config ]; then
		local major
		major=$("$PG_CONFIG" --version | sed -n 's/^PostgreSQL \([0-9]*\).*/\1/p')
		if [ "$major" != "${PG:-15}" ]; then
			echo "phrbac: $PG_CONFIG is PostgreSQL ${major:-?}, not ${PG:-15} (set PG=${major:-?})" >&2
			return 1
		fi
	else
		PG_CONFIG=$(phrbac_pg_config "${PG:-15}") || return 1
	fi
	PG_BINDIR=$("$PG_CONFIG" --bindir)
	export PG_CONFIG PG_BINDIR
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
	phrbac_pg_config "${1:-18}"
fi
