# phrbac: PostgreSQL extension build (PGXS).
#
#   make / make install      build and install the extension
#   make test                every test level against a throwaway cluster
#   make demo                the sample organization, enforced
#   make bench               the benchmarks of test/bench, as ratios
#   make unit | fuzz         one level on its own
#   PG=18                    with test, demo or bench: against PostgreSQL 18
#
# The version comes from phrbac.control alone.

EXTENSION  = phrbac
EXTVERSION = $(shell sed -n "s/^default_version = '\(.*\)'/\1/p" $(EXTENSION).control)

MODULE_big = $(EXTENSION)
CORE_SRCS  = $(sort $(wildcard src/core/*.c))
OBJS       = $(patsubst %.c,%.o,$(sort $(wildcard src/*.c)) $(CORE_SRCS))
UPGRADE_FROM = 0.1.0
DATA_built = sql/$(EXTENSION)--$(EXTVERSION).sql \
             sql/$(EXTENSION)--$(UPGRADE_FROM)--$(EXTVERSION).sql
# Frozen install scripts of released versions and the upgrades between them.
DATA       = $(filter-out $(DATA_built),$(wildcard sql/$(EXTENSION)--*.sql))

# The install script, one file per concept in sql/install/, in the order
# they build on each other: the types and what they share, the catalog, who
# is asking, keys (a person's, then a project's), deciding, who may change
# access, the audit log, its partitions and retention, its export, approvals
# and access requests, SCIM's identities, the triggers of every catalog
# table, protected tables, governance, Citus.
INSTALL_PARTS = header role scope grant type_support catalog principal api_key project_key \
                access cache guards audit audit_partitions audit_export approvals \
                access_requests scim catalog_triggers protect governance citus

REGRESS        = $(patsubst test/sql/%.sql,%,$(sort $(wildcard test/sql/*.sql)))
REGRESS_OPTS   = --inputdir=test --load-extension=$(EXTENSION)
ISOLATION      = $(patsubst test/specs/%.spec,%,$(sort $(wildcard test/specs/*.spec)))
# PGXS sends isolation output to output_iso, where no expected/ lives; with
# the output in . both runners find their golden files in ./expected.
ISOLATION_OPTS = --inputdir=test --outputdir=. --load-extension=$(EXTENSION)

# PostgreSQL's own headers trip -Wextra's unused-parameter and
# missing-field-initializers checks (fmgr's PG_FUNCTION_ARGS); the rest of
# -Wextra stays an error.
PG_CFLAGS = -Wall -Wextra -Werror -Wno-unused-parameter \
            -Wno-missing-field-initializers -I$(srcdir)/src

EXTRA_CLEAN = results regression.diffs regression.out .built_for \
              tmp_check test/unit/run_unit test/fuzz/fuzz_parsers

PG_CONFIG ?= pg_config
PGXS := $(shell $(PG_CONFIG) --pgxs 2>/dev/null)

ifneq ($(wildcard $(PGXS)),)
include $(PGXS)
else
all:
	@echo "PostgreSQL server headers (PGXS) are missing: run 'make test' or 'make demo', which install them, or 'bash test/lib/deps.sh'." >&2
	@exit 1
endif

sql/$(EXTENSION)--$(EXTVERSION).sql: $(patsubst %,sql/install/%.sql,$(INSTALL_PARTS))
	cat $^ > $@

# The upgrade from the last release: sql/upgrade/'s file (its guard line,
# then what changes 0.1.0's objects and data) with, after its guard, every
# part of the install script that runs again over an installed phrbac
# (CREATE OR REPLACE, and what is new since), in the install script's order.
# Both scripts are frozen into sql/ when the version is released.
UPGRADE_PARTS = type_support principal api_key project_key access cache guards \
                audit_partitions audit_export approvals access_requests scim catalog_triggers \
                protect governance citus
UPGRADE_SCRIPT = sql/upgrade/$(EXTENSION)--$(UPGRADE_FROM)--$(EXTVERSION).sql
sql/$(EXTENSION)--$(UPGRADE_FROM)--$(EXTVERSION).sql: $(UPGRADE_SCRIPT) \
		$(patsubst %,sql/install/%.sql,$(UPGRADE_PARTS))
	sed -n '1,/\\quit$$/p' $(UPGRADE_SCRIPT) > $@
	cat $(patsubst %,sql/install/%.sql,$(UPGRADE_PARTS)) >> $@
	sed '1,/\\quit$$/d' $(UPGRADE_SCRIPT) >> $@

# The server the objects were compiled for: switching servers (PG=18 after
# 15, or another PG_CONFIG) recompiles them.
BUILT_FOR = $(shell $(PG_CONFIG) --version) $(PG_CONFIG)
.built_for: FORCE
	@[ "$$(cat $@ 2>/dev/null)" = "$(BUILT_FOR)" ] || echo "$(BUILT_FOR)" > $@
$(OBJS): .built_for
.PHONY: FORCE

# ---- test levels ---------------------------------------------------------

SANITIZE = -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all
CORE_CFLAGS = -std=c99 -Wall -Wextra -Werror -pedantic -g -O1 -Isrc

test/unit/run_unit: $(CORE_SRCS) $(wildcard src/core/*.h) $(wildcard test/unit/*.c test/unit/*.h)
	$(CC) $(CORE_CFLAGS) $(SANITIZE) -o $@ $(wildcard test/unit/*.c) $(CORE_SRCS) \
		$(shell pkg-config --cflags --libs check)

test/fuzz/fuzz_parsers: $(CORE_SRCS) $(wildcard src/core/*.h) test/fuzz/fuzz_parsers.c
	clang $(CORE_CFLAGS) -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
		-o $@ test/fuzz/fuzz_parsers.c $(CORE_SRCS)

.PHONY: unit fuzz test demo bench

# Check unit tests of src/core, under AddressSanitizer and UBSan.
unit: test/unit/run_unit
	./test/unit/run_unit

# libFuzzer over the core parsers, a bounded run (FUZZ_RUNS iterations).
FUZZ_RUNS ?= 300000
fuzz: test/fuzz/fuzz_parsers
	rm -rf tmp_check/fuzz && mkdir -p tmp_check/fuzz
	./test/fuzz/fuzz_parsers -runs=$(FUZZ_RUNS) -seed=1 -max_len=512 \
		tmp_check/fuzz test/fuzz/corpus

# PG=18 runs them against PostgreSQL 18, built once into a cache outside the
# clone (test/lib/pgbuild.sh).
PG ?= 15
export PG

test:
	bash test/run

demo:
	bash test/demo/run

bench:
	bash test/bench/run
