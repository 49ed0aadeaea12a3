/* scheduler.h - dispatch dates to a pool of workers, each with its own
 * store connection, and stop dispatching on failure. */
#ifndef BF_SCHEDULER_H
#define BF_SCHEDULER_H

#include "engine/audit.h"
#include "base/budget.h"
#include "state/checkpoint.h"
#include "config/config.h"
#include "plugin/loader.h"
#include "engine/plan.h"

/* Why dispatch stopped before the last date. */
enum stop_reason {
    STOP_NONE = 0,
    STOP_MAX_FAILURES,
    STOP_FAILURE_RATE,
    STOP_INTERRUPTED,
    STOP_CONFIG
};

/* A failure rate is judged only once this many dates have finished. */
#define FAILURE_RATE_MIN_DATES 20

typedef struct scheduler_opts {
    int workers;
    int batch;               /* dates per block (batch.c); <= 1: one date at a time */
    int batch_exact;         /* nonzero: batch exactly (--batch); else at most
                              * ceil(dates / workers) (batch_size) */
    int max_failures;        /* stop after this many failed dates; 0 = no limit */
    double max_failure_rate; /* stop once failed/finished exceeds this percent; < 0 = off */
    atomic_int *interrupted; /* nonzero: dispatch nothing new; may be NULL */
    /* Called under the pool's lock after each finished date, or NULL. */
    void (*progress)(void *udata, size_t done, size_t failed, size_t blocked);
    void *progress_udata;
    size_t blocked; /* handed to progress */
    budget *budget; /* slots shared with other processors; may be NULL */
    audit_policy policy;
} scheduler_opts;

typedef struct scheduler_result {
    size_t done;   /* dates that ran to an outcome */
    size_t failed; /* of those, not complete */
    int stop;      /* enum stop_reason */
} scheduler_result;

/* The reason as the summary states it, e.g. "--max-failures 1 reached". */
const char *scheduler_stop_text(int stop);

/* Run todo (in the given order). Each finished date is copied into its
 * entry and into cp, which is saved at most once a second; the caller saves
 * it at the end. Returns -1 with one line in err if a worker's store cannot
 * be opened (then nothing ran). */
int scheduler_run(const bf_config *cfg, const plugin *p, date_entry **todo, size_t n,
                  const scheduler_opts *opts, checkpoint *cp, scheduler_result *result, char *err,
                  size_t errlen);

#endif
