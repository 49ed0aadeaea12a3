#!/usr/bin/env bash
# The kill -9 soak's short form with blocks of dates: 12 kills of a
# 500-date run on 2 workers, the processor computing blocks of 32 dates
# (SOAK_BATCH), the attempts taking turns at a random instant in blocks, a
# random instant one date at a time (--batch 1), and inside a block (paused
# there by a FIFO handshake); each followed by the checks that no date is
# half-written. See tests/soak/soak.sh.
SOAK_BATCH=32 SOAK_PROCESSOR=batched exec "$(dirname "$0")/../soak/soak.sh" 12
