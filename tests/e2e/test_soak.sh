#!/usr/bin/env bash
# The kill -9 soak's short form (make soak runs 100 kills): 12 kills at
# random instants of a 500-date run on 2 workers, every third once a date
# is staged (paused there by a FIFO handshake), each followed by the
# checks that no date is half-written. See tests/soak/soak.sh.
exec "$(dirname "$0")/../soak/soak.sh" 12
