/* run.h - one processor's run: what `run` does, and what `pipeline` does
 * for each processor it starts. */
#ifndef BF_RUN_H
#define BF_RUN_H

#include <stdio.h>

#include "base/budget.h"
#include "cli/cli.h"
#include "engine/plan.h"

#define RUN_FAILED_SHOWN 20

typedef struct run_outcome {
    int exit_code;                    /* as `run` would exit */
    size_t counts[DATE_STATUS_COUNT]; /* dates per status at the end */
    size_t redo;                      /* dry run: stale or changed dates to redo */
    double wall_s;
    char why[256]; /* not 0: why, in a few words */
    /* For notifications: */
    char first[DATE_LEN], last[DATE_LEN];    /* the plan's dates, "" if none */
    size_t stale;                            /* dates the judge found stale */
    size_t nfailed;                          /* failed, incomplete or blocked */
    char failed[RUN_FAILED_SHOWN][DATE_LEN]; /* the first of them */
    char estimate[192];                      /* dry run: how long the dates to run should take */
} run_outcome;

/* Run o->processor over o's dates, reports on out (errors and logs on
 * stderr). slots: worker slots shared with other processors, or NULL.
 * Returns the exit code, also in res. */
int run_processor(const cli_options *o, const bf_config *cfg, FILE *out, budget *slots,
                  run_outcome *res);

#endif
