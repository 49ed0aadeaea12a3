#!/usr/bin/env bash
# A sample of the HTTP fault sweep (tests/faults/http.sh; the whole sweep
# is part of make faults): against a real ClickHouse server and the
# webhook receiver, connect refused, send and recv reset, connections
# closed mid-response, responses cut in half, libcurl calls failing and
# allocations failing, each in turn: no crash, no false exit 0, no date
# complete without its rows.
. "$(dirname "$0")/lib.sh"
plan 1
if ldd "$BF" | grep -qE 'lib[at]san'; then
    ok "HTTP fault sweep # skip: a sanitizer build brings its own malloc"
    exit 0
fi
FAULTS_WRAPPER="${BF_WRAPPER:-}" "$ROOT/tests/faults/http.sh" --quick | grep -E '^(ok|not ok) '
