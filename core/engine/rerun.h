/* rerun.h - which dates need work, and the one order every re-run list
 * groups them in. The judge's verdict (judge.h) names a date's state; this
 * file says which of those states a run should take up again, so `status`,
 * `gaps` (text, CSV, JSON, HTML) and `run` list the same dates. */
#ifndef BF_RERUN_H
#define BF_RERUN_H

#include <stddef.h>

#include <jansson.h>

#include "base/dates.h"
#include "state/record.h"

/* Whether a date in that state needs work: partial, missing, blocked,
 * orphaned, stale, outdated, failed, check-failed or unverified. Complete,
 * skipped, waived and pending (no verdict) do not. */
int rerun_needs_work(int state);

/* The states of a re-run list in the order they are grouped, and how many. */
extern const int rerun_order[];
extern const size_t rerun_nstates;

/* The dates of one table that need work, grouped by state. */
typedef struct rerun_list {
    date_list by_state[STATE_COUNT]; /* ascending within each state */
    size_t total;
    int oom;
} rerun_list;

/* Add day in state (ignored unless rerun_needs_work, or with add_pending
 * also STATE_PENDING: a run's dates not run). Days must be added in
 * ascending order. Sets l->oom instead of failing. */
void rerun_add(rerun_list *l, int state, bf_day day, int add_pending);
void rerun_free(rerun_list *l);

/* Every date of l into out (empty on entry), ascending, as one list for
 * --dates. Returns 0, or -1 out of memory (out then freed). */
int rerun_all(const rerun_list *l, date_list *out);

/* {"partial": ["2024-01-05", ...], "missing": [...], ...}: one key per
 * state that holds dates, in rerun_order. A new reference. */
json_t *rerun_json(const rerun_list *l);

#endif
