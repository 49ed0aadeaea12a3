#!/usr/bin/env bash
# The demo processors' guarantees with blocks of dates: test_demo_league.sh
# (exact row counts per processor and date from independent queries, usage
# rate NULL exactly where the team row is missing, idempotent re-runs) run
# again with every run in blocks of 8 dates (BACKFILL_BATCH_DATES, which
# overrides run.batch_dates). The same script runs one date at a time in
# its own entry.
BACKFILL_BATCH_DATES=8 exec "$(dirname "$0")/test_demo_league.sh"
