/* raw_inputs.h - the raw rows a date's windows read, fingerprinted: for
 * every raw dependency (a table no processor writes) and the calendar
 * table, the rows and the order-independent checksum summed over the
 * date's window. A publish records them with the date ("raw" in its
 * checkpoint record); the judge compares them with the store's now, so a
 * corrected or late raw row makes exactly the dates whose windows read it
 * stale. The per-date facts come from judge_open's one grouped query per
 * table (store_fingerprint_dates). */
#ifndef BF_RAW_INPUTS_H
#define BF_RAW_INPUTS_H

#include <jansson.h>

#include "engine/judge.h"

/* {"TABLE": "ROWS:HEX", ...} for day: what a publish now records. NULL if
 * p reads no raw table and no calendar is configured, or out of memory. */
json_t *raw_inputs_stamp(const judgement *jg, bf_day day);

/* Whether a raw table in day's windows changed since recorded (a date's
 * "raw"); *why names the table, the day that changed (raw_days.h) or,
 * when the recorded days cannot tell, the window, and the counts. Tables the
 * record does not name, and a record without "raw", count as unchanged. */
int raw_inputs_changed(const judgement *jg, const json_t *recorded, bf_day day, char *why,
                       size_t whylen);

/* The same, for the record as the scan of the checkpoint read it
 * (state/checkpoint_records.h): n tables and their "ROWS:HEX" (a NULL
 * text: not a string, skipped). */
struct scanned_raw;
int raw_inputs_changed_scanned(const judgement *jg, const struct scanned_raw *recorded, size_t n,
                               bf_day day, char *why, size_t whylen);

#endif
