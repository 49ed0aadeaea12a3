/* raw_days.h - which raw day changed inside a window wider than one day.
 * A published date records one fingerprint per raw table, summed over its
 * window (raw_inputs.h): enough to know the window changed, not which day.
 * So a run also records, once in the processor's checkpoint ("raw_days"),
 * the per-day fingerprints its judgement saw of every raw table read
 * through a wider window: {TABLE: {DATE: "ROWS:HEX ROWS:HEX ..."}}, the
 * newest first, the last RAW_DAYS_KEPT kept. A stale date's window is then
 * compared day by day, and the reason names the day that changed. Days of
 * no rows are recorded only once a day held rows; an absent day read as
 * empty. */
#ifndef BF_RAW_DAYS_H
#define BF_RAW_DAYS_H

#include <stddef.h>
#include <stdint.h>

#include "engine/judge.h"
#include "state/checkpoint.h"

#define RAW_DAYS_KEPT 4

/* When the judge read p's records by the scan (no tree), p's checkpoint
 * is opened whole only if a day is to be named: the first time, and kept
 * until raw_days_source_free. new: NULL out of memory (no day is then
 * named; the reason names the window). free(NULL) does nothing. */
typedef struct raw_days_source raw_days_source;
raw_days_source *raw_days_source_new(const char *state_dir, const char *name);
void raw_days_source_free(raw_days_source *src);

/* Record into cp the per-day fingerprints jg saw of every raw table p
 * reads through a window wider than one day (and the calendar when any
 * window is). A day whose newest recorded fingerprint is the same is left
 * as it is. 0, or -1 out of memory (what was recorded stays, the rest is
 * not: the reason then names the window). */
int raw_days_record(const judgement *jg, checkpoint *cp);

/* The day of t (raw table name, window [from, to]) that changed since a
 * date that recorded was_rows:was_sum over it: searched among the
 * recorded versions of each day for the ones whose sum is what the date
 * read. 1 with the reason in why ("stale: TABLE DAY changed since
 * published (R rows -> R rows, content differs)"), 0 when the recorded
 * days cannot tell (no map for the table, or none matches the sum). */
int raw_days_name(const judgement *jg, const char *name, const table_facts *t, bf_day from,
                  bf_day to, int64_t was_rows, uint64_t was_sum, char *why, size_t whylen);

#endif
