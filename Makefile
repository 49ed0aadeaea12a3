# backfill - build, test and demo.
#
#   make          build bin/backfill, the processors and the tools
#   make demo     install what is missing, build, run the demo backfill, and
#                 (with chromium) photograph its heatmap into docs/gaps.png
#   make demo-clickhouse  the demo on a two-shard ClickHouse cluster of user processes
#   make check    build everything and run every test
#   make check-blocks  every test again with blocks of 32 dates as the default
#                 run.batch_dates (BACKFILL_BATCH_DATES=32)
#   make asan     the tests under AddressSanitizer + UndefinedBehaviorSanitizer
#   make tsan     the tests under ThreadSanitizer
#   make valgrind the end-to-end tests under valgrind memcheck
#   make faults   the full fault-injection sweeps, SQLite and HTTP (samples run in make check)
#   make lint     clang-format check and cppcheck
#   make bench    the benchmarks (ratios against a baseline in the same run)
#   make bench-clickhouse  blocks of dates on a two-shard ClickHouse cluster
#                 (60 dates x 3 processors) against one date at a time
#   make bench-demo  the full demo against the SQLite floor, a Python script
#                 and an xargs loop (BENCH_RUNS, BENCH_DEMO_RUNS repetitions),
#                 then make bench-models: the demo's model files against their
#                 C forms (BENCH_RUNS repetitions)
#   make bench-scale  the core's own cost with 200 processors over 10,000 dates
#                 at 1/4, 1/2 and full size (BENCH_SCALE_PROCS, _DATES, _SIZES, _RUNS)
#   make soak     kill -9 at random instants and resume, SOAK_KILLS times, one
#                 date at a time, then in blocks of SOAK_BATCH dates (kills inside blocks too)
#   make install  PREFIX=/usr/local DESTDIR=: the binary, the SDK header and
#                 backfill.pc, the demo processors, a sample config, the man
#                 pages and bash completion; make uninstall removes them
#   make fuzz     each libFuzzer target for FUZZ_SECONDS (clang; new inputs in build/fuzz)
#   make screenshot  docs/gaps.png, the README's picture (make demo takes it too
#                 when chromium is installed)

CC      ?= cc
OPT     ?= -O2 -g
CFLAGS  ?=
CFLAGS  += -std=c11 -D_GNU_SOURCE -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes \
           -Wmissing-prototypes $(OPT) -Iinclude -Icore
PLUGIN_CFLAGS = -fPIC -shared -fvisibility=default
LDLIBS  = -lconfig -ljansson -lsqlite3 -lelf -lpthread -ldl -lm

CORE_SRC   = $(wildcard core/*/*.c)
CORE_OBJ   = $(CORE_SRC:%.c=build/%.o)
LIB_OBJ    = $(filter-out build/core/cli/main.o,$(CORE_OBJ))
HEADERS    = $(wildcard include/backfill/*.h core/*/*.h)

PLUGINS    = $(patsubst plugins/%/,plugins/%.so,$(sort $(dir $(wildcard plugins/*/*.c))))
TOOLS      = $(patsubst tools/%.c,bin/%,$(filter-out tools/demo_incidents.c,$(wildcard tools/*.c)))
TEST_PLUGINS = $(patsubst %.c,%.so,$(wildcard tests/plugins/*.c)) tests/plugins/abi_v1.so
UNIT_TESTS = $(patsubst tests/unit/%.c,build/tests/%,$(wildcard tests/unit/test_*.c))
FUZZ_TARGETS = $(patsubst tests/fuzz/fuzz_%.c,%,$(filter-out tests/fuzz/fuzz_util.c,$(wildcard tests/fuzz/fuzz_*.c)))
FUZZ_REPLAYS = $(FUZZ_TARGETS:%=build/tests/replay_%)

all: bin/backfill $(PLUGINS) $(TOOLS)

bin/backfill: $(CORE_OBJ)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -o $@ $^ $(LDFLAGS) $(LDLIBS)

build/%.o: %.c $(HEADERS)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -c -o $@ $<

# The version --version prints.
build/core/cli/main.o: CFLAGS += -DBF_VERSION='"$(VERSION)"'

plugins/%.so: plugins/%/*.c include/backfill/plugin.h $(wildcard plugins/*.h)
	$(CC) $(CFLAGS) $(PLUGIN_CFLAGS) -o $@ $(filter %.c,$^) $(LDFLAGS)

# demo_gen is two files: the warehouse and its incidents.
bin/demo_gen: tools/demo_gen.c tools/demo_incidents.c tools/demo_gen.h build/core/base/dates.o \
              build/core/base/files.o core/base/dates.h
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -Itools -o $@ $(filter %.c %.o,$^) $(LDFLAGS) $(LDLIBS)

# Tools may use the core's date functions (which read dates files).
bin/%: tools/%.c build/core/base/dates.o build/core/base/files.o core/base/dates.h
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -o $@ $< build/core/base/dates.o build/core/base/files.o $(LDFLAGS) $(LDLIBS)

tests/plugins/%.so: tests/plugins/%.c include/backfill/plugin.h
	$(CC) $(CFLAGS) $(PLUGIN_CFLAGS) -o $@ $< $(LDFLAGS)

# Built against the copy of the first published SDK header, which must stay
# loadable as the header grows.
tests/plugins/abi_v1.so: tests/plugins/abi_v1/abi_v1.c tests/plugins/abi_v1/backfill/plugin.h
	$(CC) -Itests/plugins/abi_v1 $(CFLAGS) $(PLUGIN_CFLAGS) -o $@ $< $(LDFLAGS)

# Deliberately broken plugins: one without validate_date, one with a wrong
# ABI block, one declaring a quality check of no known kind, one that is not
# an ELF file at all, descriptor sizes out of range, a library whose
# constructor must never run, and a processor that links a library exporting
# an unrelated prepare().
tests/plugins/broken/missing_symbol.so: tests/plugins/broken/missing_symbol.c include/backfill/plugin.h
	$(CC) $(CFLAGS) $(PLUGIN_CFLAGS) -o $@ $<
tests/plugins/broken/wrong_abi.so: tests/plugins/broken/wrong_abi.c include/backfill/plugin.h
	$(CC) $(CFLAGS) $(PLUGIN_CFLAGS) -o $@ $<
tests/plugins/broken/bad_check.so: tests/plugins/broken/bad_check.c include/backfill/plugin.h
	$(CC) $(CFLAGS) $(PLUGIN_CFLAGS) -o $@ $<
tests/plugins/broken/not_elf.so:
	printf 'this is not a shared object\n' > $@
tests/plugins/broken/big_descriptor.so: tests/plugins/broken/wrong_abi.c include/backfill/plugin.h
	$(CC) $(CFLAGS) $(PLUGIN_CFLAGS) '-DDESCRIPTOR_SIZE=(sizeof(bf_descriptor) + 8)' -o $@ $<
tests/plugins/broken/small_descriptor.so: tests/plugins/broken/wrong_abi.c include/backfill/plugin.h
	$(CC) $(CFLAGS) $(PLUGIN_CFLAGS) -DDESCRIPTOR_SIZE=8 -o $@ $<
tests/plugins/broken/constructor_only.so: tests/plugins/broken/constructor_only.c
	$(CC) $(CFLAGS) $(PLUGIN_CFLAGS) -o $@ $<
tests/plugins/broken/lib/libprepare_helper.so: tests/plugins/broken/prepare_helper.c
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(PLUGIN_CFLAGS) -o $@ $<
tests/plugins/broken/links_prepare.so: tests/plugins/broken/links_prepare.c \
                                       tests/plugins/broken/lib/libprepare_helper.so
	$(CC) $(CFLAGS) $(PLUGIN_CFLAGS) -o $@ $< -Ltests/plugins/broken/lib -lprepare_helper
BROKEN_PLUGINS = tests/plugins/broken/missing_symbol.so tests/plugins/broken/wrong_abi.so \
                 tests/plugins/broken/bad_check.so tests/plugins/broken/not_elf.so \
                 tests/plugins/broken/big_descriptor.so \
                 tests/plugins/broken/small_descriptor.so tests/plugins/broken/constructor_only.so \
                 tests/plugins/broken/links_prepare.so

# Processors that only declare: together they make the graph faults (a
# cycle, two writers of one table, a writer of the calendar). Tests copy the
# ones they need into a plugin_dir of their own.
GRAPH_PLUGINS = $(patsubst %.c,%.so,$(wildcard tests/plugins/graph/*.c))
tests/plugins/graph/%.so: tests/plugins/graph/%.c tests/plugins/graph/graph_node.h include/backfill/plugin.h
	$(CC) $(CFLAGS) $(PLUGIN_CFLAGS) -o $@ $<

# The fault-injection shim is preloaded into a plain build only: always
# built without sanitizers, which bring their own malloc.
tests/faults/shim.so: tests/faults/shim.c
	$(CC) -std=c11 -D_GNU_SOURCE -Wall -Wextra -Werror -O2 -g -fPIC -shared -o $@ $< -ldl

build/tests/%: tests/unit/%.c $(LIB_OBJ) tests/unit/unit.h
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -Itests/unit -o $@ $< $(LIB_OBJ) $(LDFLAGS) $(LDLIBS)

# The fuzz targets over their committed corpus, built with $(CC): no clang
# needed for `make check`.
build/tests/replay_%: tests/fuzz/fuzz_%.c tests/fuzz/replay.c tests/fuzz/fuzz_util.c \
                      tests/fuzz/fuzz.h $(LIB_OBJ)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -Itests/fuzz -DTARGET='"$*"' -DCORPUS_DIR='"$(CURDIR)/tests/fuzz/$*"' -o $@ \
	    $(filter %.c %.o,$^) $(LDFLAGS) $(LDLIBS)

# What the test programs need built: make check and make valgrind alike.
CHECK_DEPS = all $(TEST_PLUGINS) tests/bench/scale_node.so $(BROKEN_PLUGINS) $(GRAPH_PLUGINS) \
             $(UNIT_TESTS) $(FUZZ_REPLAYS) tests/faults/shim.so

check: test-deps $(CHECK_DEPS)
	@tests/run.sh $(UNIT_TESTS) $(FUZZ_REPLAYS) $(sort $(wildcard tests/e2e/test_*.sh))

check-blocks:
	@BACKFILL_BATCH_DATES=32 $(MAKE) --no-print-directory check

asan:
	$(MAKE) clean
	$(MAKE) check OPT="-O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all" \
	    LDFLAGS="-fsanitize=address,undefined"

tsan:
	$(MAKE) clean
	$(MAKE) check CC=clang OPT="-O1 -g -fsanitize=thread" LDFLAGS="-fsanitize=thread"

# Every unit test and end-to-end command under memcheck; any report fails.
# No gdbserver: a run the tests kill with -9 would leave its FIFOs in /tmp.
VALGRIND = valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite \
           --show-possibly-lost=no --vgdb=no
valgrind: $(CHECK_DEPS)
	@BF_WRAPPER="$(VALGRIND)" UNIT_WRAPPER="$(VALGRIND)" \
	    tests/run.sh $(UNIT_TESTS) $(FUZZ_REPLAYS) $(sort $(wildcard tests/e2e/test_*.sh))

# libFuzzer: the core built once with clang's sanitizers and coverage, each
# target linked against it and run for FUZZ_SECONDS from its corpus. New
# inputs go to build/fuzz/corpus-TARGET, crashes to build/fuzz/TARGET-crash-*;
# a crash makes `make fuzz` fail. Copy a crash into tests/fuzz/TARGET/ as a
# regression case once fixed.
FUZZ_SECONDS ?= 60
FUZZ_CFLAGS = -std=c11 -D_GNU_SOURCE -g -O1 -Iinclude -Icore -Itests/fuzz \
              -fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=all
FUZZ_LIB_OBJ = $(patsubst build/%,build/fuzz/%,$(LIB_OBJ)) build/fuzz/tests/fuzz/fuzz_util.o

build/fuzz/%.o: %.c $(HEADERS) tests/fuzz/fuzz.h
	@mkdir -p $(@D)
	clang $(FUZZ_CFLAGS) -c -o $@ $<

build/fuzz/fuzz_%: tests/fuzz/fuzz_%.c $(FUZZ_LIB_OBJ)
	clang $(FUZZ_CFLAGS) -fsanitize=fuzzer -o $@ $^ $(LDLIBS)

fuzz: $(FUZZ_TARGETS:%=build/fuzz/fuzz_%)
	@for t in $(FUZZ_TARGETS); do \
	    mkdir -p build/fuzz/corpus-$$t; \
	    echo "=== fuzz $$t for $(FUZZ_SECONDS) s"; \
	    LSAN_OPTIONS=suppressions=$(CURDIR)/tests/fuzz/lsan.supp \
	        build/fuzz/fuzz_$$t -max_total_time=$(FUZZ_SECONDS) -timeout=10 -print_final_stats=1 \
	        -artifact_prefix=build/fuzz/$$t- build/fuzz/corpus-$$t tests/fuzz/$$t \
	        >build/fuzz/$$t.log 2>&1; \
	    rc=$$?; \
	    grep -E '^(stat::number_of_executed_units|stat::new_units_added|SUMMARY|artifact_prefix)' \
	        build/fuzz/$$t.log; \
	    [ $$rc -eq 0 ] || { echo "fuzz $$t: failed, see build/fuzz/$$t.log"; exit 1; }; \
	done

# Every fault point of a 20-date run, then every 40th allocation and every
# 4th other call again under memcheck, for leaks on the error paths; then
# the HTTP path: every connect, send, recv, hangup, cut and libcurl call
# (and every 100th allocation) of a ClickHouse run with a webhook.
faults: all $(TEST_PLUGINS) tests/faults/shim.so
	@FAULTS_WRAPPER= tests/faults/run.sh
	@FAULTS_WRAPPER="$(VALGRIND)" ALLOC_STEP=40 FAULT_STEP=4 tests/faults/run.sh
	@FAULTS_WRAPPER= tests/faults/http.sh

FORMATTED = $(wildcard core/*/*.[ch] include/backfill/*.h tests/plugins/*.[ch] \
            tests/plugins/graph/*.[ch] tests/unit/*.[ch] tests/fuzz/*.[ch] tests/faults/*.c \
            plugins/*.h \
            plugins/*/*.c tools/*.c)

lint:
	clang-format --dry-run --Werror $(FORMATTED)
	cppcheck --quiet --error-exitcode=1 --enable=warning,style,performance,portability --std=c11 \
	    -Iinclude -Icore -Itests/fuzz --suppress=missingIncludeSystem --inline-suppr core include \
	    tests/plugins tests/fuzz tests/faults \
	    $(wildcard plugins tools/*.c)
	mandoc -T lint -W warning $(MANPAGES)

deps:
	@tools/install-deps.sh

# What make check needs, installed if missing: on a fresh machine the
# README's second command works after its first.
test-deps:
	@tools/install-deps.sh --test

# With chromium installed, the demo ends by photographing the incident
# heatmap it wrote into docs/gaps.png (the README's picture).
demo: deps
	$(MAKE) all
	@tools/demo.sh
	@if command -v chromium >/dev/null 2>&1; then $(MAKE) --no-print-directory screenshot && \
	    echo "docs/gaps.png: var/gaps-incident.html as chromium shows it"; \
	else echo "chromium not installed: docs/gaps.png left as it is"; fi

demo-clickhouse: all
	@tools/demo_clickhouse.sh

bench: all $(TEST_PLUGINS)
	@tests/bench/run.sh
	@tests/bench/pipeline.sh
	@tests/bench/clickhouse.sh

bench-clickhouse: all
	@tests/bench/clickhouse_batches.sh

bench-demo: all $(TEST_PLUGINS)
	@tests/bench/demo.sh
	@tests/bench/models.sh

# The demo processors that ship as model files against their C forms.
bench-models: all
	@tests/bench/models.sh

bench-scale: all tests/bench/scale_node.so
	@tests/bench/scale.sh

tests/bench/scale_node.so: tests/bench/scale_node.c include/backfill/plugin.h
	$(CC) $(CFLAGS) $(PLUGIN_CFLAGS) -o $@ $< $(LDFLAGS)

SOAK_KILLS ?= 100
SOAK_BATCH ?= 32
soak: all $(TEST_PLUGINS)
	@tests/soak/soak.sh $(SOAK_KILLS)
	@SOAK_PROCESSOR=batched SOAK_BATCH=$(SOAK_BATCH) tests/soak/soak.sh $(SOAK_KILLS)

# ---- install ---------------------------------------------------------------
PREFIX     ?= /usr/local
DESTDIR    ?=
VERSION     = 0.1.0
PLUGINDIR   = $(PREFIX)/lib/backfill/plugins
MODELS      = $(wildcard plugins/models/*.sql)
MANPAGES    = man/backfill.1 man/backfill.conf.5 man/backfill-model.5 man/backfill-plugin.7
# Every file install writes, for uninstall (plugins by name: the list of
# built ones may change between the two).
INSTALLED   = bin/backfill include/backfill/plugin.h lib/pkgconfig/backfill.pc \
              share/backfill/backfill.conf share/bash-completion/completions/backfill \
              share/man/man1/backfill.1 share/man/man5/backfill.conf.5 \
              share/man/man5/backfill-model.5 share/man/man7/backfill-plugin.7 \
              $(patsubst plugins/%,lib/backfill/plugins/%,$(PLUGINS)) \
              $(patsubst plugins/models/%,share/backfill/models/%,$(MODELS))

install: all
	install -d $(addprefix $(DESTDIR)$(PREFIX)/,bin include/backfill lib/pkgconfig \
	    lib/backfill/plugins share/backfill/models share/bash-completion/completions \
	    share/man/man1 share/man/man5 share/man/man7)
	install -m 755 bin/backfill $(DESTDIR)$(PREFIX)/bin/backfill
	install -m 644 include/backfill/plugin.h $(DESTDIR)$(PREFIX)/include/backfill/plugin.h
	sed -e 's|@PREFIX@|$(PREFIX)|' -e 's|@VERSION@|$(VERSION)|' tools/backfill.pc.in \
	    >$(DESTDIR)$(PREFIX)/lib/pkgconfig/backfill.pc
	install -m 755 $(PLUGINS) $(DESTDIR)$(PLUGINDIR)/
	install -m 644 $(MODELS) $(DESTDIR)$(PREFIX)/share/backfill/models/
	sed -e 's|^plugin_dir = .*|plugin_dir = [ "$(PLUGINDIR)" ];|' \
	    -e 's|path = "../var/demo.db"|path = "warehouse.db"|' \
	    -e 's|^state_dir = .*|state_dir = "var/state";|' \
	    -e '1s|.*|# backfill sample configuration (libconfig syntax): copy it, set store.path.|' \
	    conf/backfill.conf >$(DESTDIR)$(PREFIX)/share/backfill/backfill.conf
	install -m 644 tools/backfill-completion.bash \
	    $(DESTDIR)$(PREFIX)/share/bash-completion/completions/backfill
	for m in $(MANPAGES); do \
	    install -m 644 $$m $(DESTDIR)$(PREFIX)/share/man/man$${m##*.}/; done

uninstall:
	rm -f $(addprefix $(DESTDIR)$(PREFIX)/,$(INSTALLED))
	for d in lib/backfill/plugins lib/backfill share/backfill/models share/backfill include/backfill; do \
	    [ ! -d $(DESTDIR)$(PREFIX)/$$d ] || rmdir --ignore-fail-on-non-empty $(DESTDIR)$(PREFIX)/$$d; \
	done

# The README's picture: the demo warehouse's gaps before the repair, as
# headless chromium renders var/gaps-incident.html (written by make demo).
screenshot: all
	@test -f var/gaps-incident.html || { echo "run make demo first"; exit 1; }
	@mkdir -p docs build
	chromium --headless --no-sandbox --disable-gpu --hide-scrollbars \
	    --user-data-dir=build/chromium --window-size=1300,1300 \
	    --screenshot=docs/gaps.png file://$(abspath var/gaps-incident.html) 2>/dev/null

clean:
	rm -rf build bin plugins/*.so tests/plugins/*.so tests/plugins/broken/*.so tests/plugins/broken/lib \
	    tests/plugins/graph/*.so tests/faults/*.so tests/bench/*.so

.PHONY: all check check-blocks test-deps asan tsan valgrind faults lint deps demo demo-clickhouse bench bench-clickhouse bench-demo bench-models bench-scale soak \
        install uninstall fuzz screenshot clean
.SECONDARY:
