/* batch.h - a block of dates computed in one plugin call, then judged,
 * checked, published and recorded date by date. */
#ifndef BF_BATCH_H
#define BF_BATCH_H

#include <stddef.h>

#include "engine/audit.h"
#include "state/record.h"

/* The most dates one block may hold (run.batch_dates, --batch). */
#define BATCH_MAX_DATES 256

/* Nonzero if dates of ctx's processor may run in blocks on ctx's store:
 * the plugin exports process_dates and the driver offers blocks (a model
 * file: only if it has a @process_block for the store's dialect). */
int batch_possible(const run_ctx *ctx);

/* How many of todo[0..n-1] (in dispatch order) form the next block: at
 * most max, each next to the one before in the plan (no date of the plan
 * between them, whatever its state: blocked and skipped dates never join
 * a block and never lie inside one). At least 1 when n >= 1. */
size_t batch_take(date_entry *const *todo, size_t n, size_t max);

/* The most dates per block a run of n dates on workers workers uses, from
 * the block size asked for (batch: --batch, run.batch_dates or the
 * store's default): batch itself when exact (--batch was given: the user's
 * size, kept exactly), else at most ceil(n / workers), so that every worker
 * gets a block (60 dates on 4 workers: blocks of 15). Never above
 * BATCH_MAX_DATES; 1 when batch <= 1 (one date at a time). */
size_t batch_size(int batch, int exact, size_t n, int workers);

/* Run es[0..n-1] (from batch_take) as one block on ctx: process_dates once
 * over the block, its rows counted per date in one grouped query, then
 * each date judged alone from its own rows (audit_block_date); a date that
 * fails there, and every date of a block whose computation failed, runs
 * again alone through audit_date with the policy's retries. out[i] is the
 * outcome of es[i], as audit_date gives it (attempts counts the block's
 * attempt); out[i].attempts is 0 for a date that never ran because
 * policy->abandon was set first: it stays pending. The caller owns each
 * out[i]'s checks and committed. */
void batch_run(run_ctx *ctx, date_entry *const *es, size_t n, const audit_policy *policy,
               audit_result *out);

#endif
