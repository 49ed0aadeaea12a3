# backfill - build, test and demo.
#
#   make          build bin/backfill, the processors and the tools
#   make demo     install what is missing, build, run the demo backfill
#   make check    build everything and run every test
#   make asan     the tests under AddressSanitizer + UndefinedBehaviorSanitizer
#   make tsan     the tests under ThreadSanitizer
#   make valgrind the end-to-end tests under valgrind memcheck
#   make faults   the full fault-injection sweep (a sample runs in make check)
#   make lint     clang-format check and cppcheck
#   make bench    the benchmarks (ratios against a baseline in the same run)

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

# Tools may use the core's date functions (which read dates files).
bin/%: tools/%.c build/core/dates.o build/core/files.o core/dates.h
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -o $@ $< build/core/dates.o build/core/files.o $(LDFLAGS) $(LDLIBS)

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

# The fault-injection shim is preloaded into a plain build only: always
# built without sanitizers, which bring their own malloc.
tests/faults/shim.so: tests/faults/shim.c
	$(CC) -std=c11 -D_GNU_SOURCE -Wall -Wextra -Werror -O2 -g -fPIC -shared -o $@ $< -ldl

build/tests/%: tests/unit/%.c $(LIB_OBJ) tests/unit/unit.h
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -Itests/unit -o $@ $< $(LIB_OBJ) $(LDFLAGS) $(LDLIBS)

check: all $(TEST_PLUGINS) $(BROKEN_PLUGINS) $(UNIT_TESTS) tests/faults/shim.so
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
valgrind: all $(TEST_PLUGINS) $(BROKEN_PLUGINS) $(UNIT_TESTS) tests/faults/shim.so
	@BF_WRAPPER="$(VALGRIND)" UNIT_WRAPPER="$(VALGRIND)" \
	    tests/run.sh $(UNIT_TESTS) $(sort $(wildcard tests/e2e/test_*.sh))

# Every fault point of a 20-date run, then every 40th allocation and every
# 4th other call again under memcheck, for leaks on the error paths.
faults: all $(TEST_PLUGINS) tests/faults/shim.so
	@FAULTS_WRAPPER= tests/faults/run.sh
	@FAULTS_WRAPPER="$(VALGRIND)" ALLOC_STEP=40 FAULT_STEP=4 tests/faults/run.sh

FORMATTED = $(wildcard core/*.[ch] core/stores/*.[ch] include/backfill/*.h tests/plugins/*.[ch] \
            tests/faults/*.c tests/unit/*.[ch] plugins/*.h plugins/*/*.c tools/*.c)

lint:
	clang-format --dry-run --Werror $(FORMATTED)
	cppcheck --quiet --error-exitcode=1 --enable=warning,style,performance,portability --std=c11 \
	    -Iinclude -Icore --suppress=missingIncludeSystem --inline-suppr core include tests/plugins tests/faults \
	    $(wildcard plugins tools/*.c)

deps:
	@tools/install-deps.sh

demo: deps
	$(MAKE) all
	@tools/demo.sh

bench: all $(TEST_PLUGINS)
	@tests/bench/run.sh

clean:
	rm -rf build bin plugins/*.so tests/plugins/*.so tests/plugins/broken/*.so tests/faults/*.so

.PHONY: all check asan tsan valgrind faults lint deps demo bench clean
.SECONDARY:
