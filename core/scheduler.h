/* scheduler.h - dispatch dates to a pool of workers, each with its own
 * store connection, and stop dispatching on failure. */
#ifndef BF_SCHEDULER_H
#define BF_SCHEDULER_H

#include "audit.h"
#include "checkpoint.h"
#include "config.h"
#include "loader.h"
#include "plan.h"

typedef struct scheduler_opts {
    int workers;
    int keep_going;      /* 0: stop dispatching after the first failed date */
    audit_policy policy;
} scheduler_opts;

typedef struct scheduler_result {
    size_t done;           /* dates that ran to an outcome */
    int stopped_on_failure; /* dispatch stopped because a date failed */
} scheduler_result;

/* Run todo (in the given order). Each finished date is copied into its
 * entry and into cp, which is saved at most once a second; the caller saves
 * it at the end. Returns -1 with one line in err if a worker's store cannot
 * be opened (then nothing ran). */
int scheduler_run(const bf_config *cfg, const plugin *p, date_entry **todo, size_t n,
                  const scheduler_opts *opts, checkpoint *cp, scheduler_result *result,
                  char *err, size_t errlen);

#endif
