#!/usr/bin/env bash
# A sample of the fault-injection sweep, spread over every family of calls
# (tests/faults/run.sh; the whole sweep is make faults), and every
# allocation failing in turn while the config is read.
. "$(dirname "$0")/lib.sh"
plan 2
if ldd "$BF" | grep -qE 'lib[at]san'; then
    ok "fault sweep # skip: a sanitizer build brings its own malloc"
    ok "config sweep # skip: a sanitizer build brings its own malloc"
    exit 0
fi
FAULTS_WRAPPER="${BF_WRAPPER:-}" "$ROOT/tests/faults/run.sh" --quick
# Every allocation while the config is read: libconfig's own crashes happen
# before anything is touched. Under valgrind (make valgrind) and TSan the
# allocations are the tool's own, which the shim cannot fail.
if [ -n "${BF_WRAPPER:-}" ] || shim_unusable; then
    ok "config sweep # skip: under valgrind or TSan the shim cannot fail allocations"
else
    "$ROOT/tests/faults/run.sh" --config
fi
