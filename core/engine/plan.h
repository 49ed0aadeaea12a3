/* plan.h - the dates a run is about and what became of each. */
#ifndef BF_PLAN_H
#define BF_PLAN_H

#include <stddef.h>
#include <stdint.h>

#include "base/dates.h"
#include "state/record.h"

typedef struct plan {
    date_entry *dates; /* ascending; includes bootstrap days as SKIPPED */
    size_t n;
    size_t expected;        /* dates not skipped */
    date_list off_calendar; /* asked for by --dates but not calendar dates */
    /* The processor's own checkpoint when the caller has it open (run):
     * the judge reads its records from here instead of parsing the file a
     * second time. Borrowed, and unchanged while the judge reads it. */
    const struct checkpoint *own;
} plan;

/* Build the plan from calendar days (ascending) within the selection:
 * every day becomes an entry, bootstrap days SKIPPED. Days of an explicit
 * list missing from the calendar go to off_calendar. Returns -1 on OOM. */
struct season;
int plan_build(plan *pl, const date_list *calendar, const struct date_selection *sel,
               const struct season *seasons, int nseasons, int bootstrap_days);
void plan_free(plan *pl);

/* Replace e->error with a formatted message (NULL fmt clears it). */
void plan_set_error(date_entry *e, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Mark pending dates the judge found complete (and, with keep_stale,
 * stale; with keep_outdated, outdated) and the checkpoint cp records
 * complete: COMPLETE and resumed, with their recorded figures. Returns how
 * many. */
struct checkpoint;
size_t plan_resume(plan *pl, const struct checkpoint *cp, int keep_stale, int keep_outdated);

/* 1 when the date lies in the first bootstrap_days days of a season. */
int plan_is_bootstrap(const struct season *seasons, int nseasons, int bootstrap_days, bf_day day);

/* Dates per status over the plan; 1 when every date is complete or
 * skipped; {"complete": n, ...} over every status (a new reference). */
void plan_count(const plan *pl, size_t counts[STATE_COUNT]);
int plan_all_done(const size_t counts[STATE_COUNT]);
struct json_t *plan_status_counts_json(const size_t counts[STATE_COUNT]);
struct json_t *plan_counts_json(const plan *pl);

#endif
