/* estimate.h - how long the dates to run should take, from what the
 * processor's dates took across its recent runs (state/run_history.h: the
 * event logs), or, when no log is left, from the per-date durations its
 * checkpoint records (each date's latest run). */
#ifndef BF_ESTIMATE_H
#define BF_ESTIMATE_H

#include <stddef.h>

#include "state/checkpoint.h"

typedef struct estimate {
    size_t history;           /* durations it is based on; 0: no history */
    size_t runs;              /* the runs they come from; 0: from the checkpoint */
    double median_ms, p90_ms; /* per date */
    int workers;
    size_t todo;            /* the dates to run */
    double median_s, p90_s; /* the dates to run: todo x per-date / workers */
} estimate;

/* From the dates processor published in its last runs (event logs in
 * state_dir/runs), else from cp's complete dates (cp may be NULL), for todo
 * dates on workers workers. Reads only; out of memory is no history. */
void estimate_from(const char *state_dir, const char *processor, const checkpoint *cp, size_t todo,
                   int workers, estimate *e);

/* estimate_from, reading the checkpoint state_dir/processor.json (whole,
 * and only) when no event log is left: for a caller that did not open it. */
void estimate_from_state(const char *state_dir, const char *processor, size_t todo, int workers,
                         estimate *e);

/* e for todo dates to run instead: the same per-date figures, the totals
 * scaled (a pipeline's dry run adds the dates it foresees stale). */
void estimate_rescale(estimate *e, size_t todo);

/* "about 0:02:10 (p90 0:03:40) for 412 dates: median 310 ms, p90 520 ms per date over 412
 * dates published in 3 runs, 4 workers" ("over 412 recorded dates (each
 * date's latest run)" from the checkpoint), or "no history". */
void estimate_text(const estimate *e, char *out, size_t len);

#endif
