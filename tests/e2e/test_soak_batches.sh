#!/usr/bin/env bash
# The kill -9 soak's short form with blocks of dates: 12 kills at random
# instants of a 500-date run on 2 workers, the processor computing blocks
# of 32 dates (BACKFILL_BATCH_DATES), so kills land inside blocks; each
# followed by the checks that no date is half-written. See tests/soak/soak.sh.
BACKFILL_BATCH_DATES=32 SOAK_PROCESSOR=batched exec "$(dirname "$0")/../soak/soak.sh" 12
