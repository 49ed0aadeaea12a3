# backfill - build, test and demo.
#
#   make          build bin/backfill, the processors and the tools
#   make demo     install what is missing, build, run the demo backfill
#   make check    build everything and run every test
#   make asan     the tests under AddressSanitizer + UndefinedBehaviorSanitizer
#   make tsan     the tests under ThreadSanitizer
#   make valgrind the end-to-end tests under valgrind memcheck
#   make lint     clang-format check and cppcheck
#   make bench    the benchmarks (ratios against a baseline in the same run)
#   make screenshot  docs/gaps.png, the README's picture (after make demo)

CC      ?= cc
OPT     ?= -O2 -g
CFLAGS  ?=
CFLAGS  += -std=c11 -D_GNU_SOURCE -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes \
           -Wmissing-prototypes $(OPT) -Iinclude -Icore
PLUGIN_CFLAGS = -fPIC -shared -fvisibility=default
LDLIBS  = -lconfig -ljansson -lcurl -lsqlite3 -lpthread -ldl -lm

CORE_SRC   = $(wildcard core/*.c core/stores/*.c)
CORE_OBJ   = $(CORE_SRC:%.c=build/%.o)
LIB_OBJ    = $(filter-out build/core/main.o,$(CORE_OBJ))
HEADERS    = $(wildcard include/backfill/*.h core/*.h core/stores/*.h)

PLUGINS    = $(patsubst plugins/%/,plugins/%.so,$(sort $(dir $(wildcard plugins/*/*.c))))
TOOLS      = $(patsubst tools/%.c,bin/%,$(wildcard tools/*.c))
TEST_PLUGINS = $(patsubst %.c,%.so,$(wildcard tests/plugins/*.c))
UNIT_TESTS = $(patsubst tests/unit/%.c,build/tests/%,$(wildcard tests/unit/test_*.c))

all: bin/backfill $(PLUGINS) $(TOOLS)

bin/backfill: $(CORE_OBJ)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -o $@ $^ $(LDFLAGS) $(LDLIBS)

build/%.o: %.c $(HEADERS)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -c -o $@ $<

plugins/%.so: plugins/%/*.c include/backfill/plugin.h $(wildcard plugins/*.h)
	$(CC) $(CFLAGS) $(PLUGIN_CFLAGS) -o $@ $(filter %.c,$^) $(LDFLAGS)

# Tools may use the core's date functions.
bin/%: tools/%.c build/core/dates.o core/dates.h
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -o $@ $< build/core/dates.o $(LDFLAGS) $(LDLIBS)

tests/plugins/%.so: tests/plugins/%.c include/backfill/plugin.h
	$(CC) $(CFLAGS) $(PLUGIN_CFLAGS) -o $@ $< $(LDFLAGS)

# Deliberately broken plugins: one without validate_date, one with a wrong
# ABI block, one that is not an ELF file at all.
tests/plugins/broken/missing_symbol.so: tests/plugins/broken/missing_symbol.c include/backfill/plugin.h
	$(CC) $(CFLAGS) $(PLUGIN_CFLAGS) -o $@ $<
tests/plugins/broken/wrong_abi.so: tests/plugins/broken/wrong_abi.c include/backfill/plugin.h
	$(CC) $(CFLAGS) $(PLUGIN_CFLAGS) -o $@ $<
tests/plugins/broken/not_elf.so:
	printf 'this is not a shared object\n' > $@
BROKEN_PLUGINS = tests/plugins/broken/missing_symbol.so tests/plugins/broken/wrong_abi.so \
                 tests/plugins/broken/not_elf.so

# Processors that only declare: together they make the graph faults (a
# cycle, two writers of one table, a writer of the calendar). Tests copy the
# ones they need into a plugin_dir of their own.
GRAPH_PLUGINS = $(patsubst %.c,%.so,$(wildcard tests/plugins/graph/*.c))
tests/plugins/graph/%.so: tests/plugins/graph/%.c tests/plugins/graph/graph_node.h include/backfill/plugin.h
	$(CC) $(CFLAGS) $(PLUGIN_CFLAGS) -o $@ $<

build/tests/%: tests/unit/%.c $(LIB_OBJ) tests/unit/unit.h
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -Itests/unit -o $@ $< $(LIB_OBJ) $(LDFLAGS) $(LDLIBS)

check: all $(TEST_PLUGINS) $(BROKEN_PLUGINS) $(GRAPH_PLUGINS) $(UNIT_TESTS)
	@tests/run.sh $(UNIT_TESTS) $(sort $(wildcard tests/e2e/test_*.sh))

asan:
	$(MAKE) clean
	$(MAKE) check OPT="-O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all" \
	    LDFLAGS="-fsanitize=address,undefined"

tsan:
	$(MAKE) clean
	$(MAKE) check CC=clang OPT="-O1 -g -fsanitize=thread" LDFLAGS="-fsanitize=thread"

# Every unit test and end-to-end command under memcheck; any report fails.
VALGRIND = valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite \
           --show-possibly-lost=no
valgrind: all $(TEST_PLUGINS) $(BROKEN_PLUGINS) $(GRAPH_PLUGINS) $(UNIT_TESTS)
	@BF_WRAPPER="$(VALGRIND)" UNIT_WRAPPER="$(VALGRIND)" \
	    tests/run.sh $(UNIT_TESTS) $(sort $(wildcard tests/e2e/test_*.sh))

FORMATTED = $(wildcard core/*.[ch] core/stores/*.[ch] include/backfill/*.h tests/plugins/*.[ch] \
            tests/plugins/graph/*.[ch] \
            tests/unit/*.[ch] plugins/*.h plugins/*/*.c tools/*.c)

lint:
	clang-format --dry-run --Werror $(FORMATTED)
	cppcheck --quiet --error-exitcode=1 --enable=warning,style,performance,portability --std=c11 \
	    -Iinclude -Icore --suppress=missingIncludeSystem --inline-suppr core include tests/plugins \
	    $(wildcard plugins tools/*.c)

deps:
	@tools/install-deps.sh

demo: deps
	$(MAKE) all
	@tools/demo.sh

bench: all $(TEST_PLUGINS)
	@tests/bench/run.sh
	@tests/bench/pipeline.sh

# The README's picture: the demo warehouse's gaps before the repair, as
# headless chromium renders var/gaps-incident.html (written by make demo).
screenshot: all
	@test -f var/gaps-incident.html || { echo "run make demo first"; exit 1; }
	@mkdir -p docs build
	chromium --headless --no-sandbox --disable-gpu --hide-scrollbars \
	    --user-data-dir=build/chromium --window-size=1300,1300 \
	    --screenshot=docs/gaps.png file://$(abspath var/gaps-incident.html) 2>/dev/null

clean:
	rm -rf build bin plugins/*.so tests/plugins/*.so tests/plugins/broken/*.so tests/plugins/graph/*.so

.PHONY: all check asan tsan valgrind lint deps demo bench screenshot clean
.SECONDARY:
