/* run_text.h - a run told to the operator: what it is about to do (the
 * pre-flight report, what resumes and what is redone), the progress line,
 * and at its end the summary, the re-run command and --json's document. */
#ifndef BF_RUN_TEXT_H
#define BF_RUN_TEXT_H

#include <stdio.h>

#include "engine/run.h"
#include "report/progress.h"
#include "report/report.h"

/* How the command wants a run told. */
typedef struct run_text {
    FILE *out;          /* the report (stderr under --json) */
    int verbose;        /* list each missing upstream date */
    int progress;       /* show the progress line */
    int json;           /* print the --json document on stdout at the end */
    int skip_preflight; /* as requested */
    const invocation *inv;
    progress pg;
    /* Operations: the dates as given (a refusal's fix repeats them), the
     * config whose notify hears that a run began to wait (NULL: none), and
     * the ETA per date before enough dates finished. */
    date_args dates;
    const bf_config *notify_cfg;
    double est_s_per_date;
} run_text;

/* Hooks for run_request.hooks that tell the run on rt->out. */
run_hooks run_text_hooks(run_text *rt);

/* The end of a run, after run_processor returned res. */
void run_text_end(run_text *rt, const run_result *res, const bf_config *cfg);

#endif
