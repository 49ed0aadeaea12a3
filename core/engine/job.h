/* job.h - what run and verify share for one processor: the plugin, the
 * graph around it, a read-only connection, the plan and its pre-flight. */
#ifndef BF_JOB_H
#define BF_JOB_H

#include <stdio.h>

#include "plugin/check_measure.h"
#include "cli/cli.h"
#include "engine/graph.h"
#include "engine/preflight.h"

typedef struct job {
    const bf_config *cfg;
    plugin p;
    graph g; /* every processor: who writes what p reads */
    store *ro;
    date_selection sel;
    plan plan;
    preflight_report pre;
    check_set checks;     /* the effective quality checks */
    size_t outdated_kept; /* outdated dates --keep-outdated resumed */
} job;

/* Load, plan and measure o->processor over o's dates. Returns 0 or an exit
 * code after one error line (then nothing is left open). Nothing here
 * writes: the store is opened read-only. */
int job_open(job *j, const cli_options *o, const bf_config *cfg);
void job_close(job *j);

/* Ask the judge and print the pre-flight report on out. Returns 0 or an
 * exit code after one error line. */
int job_preflight(job *j, const cli_options *o, FILE *out);

/* Print doc on stdout, indented, and free it. */
void job_print_json(json_t *doc);

#endif
