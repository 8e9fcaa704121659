#!/usr/bin/env bash
# prepare.sh: what every runner (test/run, test/demo/run, test/bench/run)
# does first: install what is missing, choose the PostgreSQL major version
# in PG (15 unless set; another is built once, see pgbuild.sh), and load the
# cluster helpers.  Sourced from the root of the clone.

source test/lib/deps.sh
source test/lib/pgbuild.sh
source test/lib/cluster.sh
phrbac_install_deps && phrbac_select_postgres
