/* report.h - what a run tells the operator at its end: counts per status,
 * the dates that need attention, and a command re-running exactly them. */
#ifndef BF_REPORT_H
#define BF_REPORT_H

#include <stdio.h>

#include <jansson.h>

#include "config/config.h"
#include "engine/plan.h"
#include "engine/preflight.h"

/* The command that ran, for ready-to-paste commands: argv[0], the -c FILE
 * given (or NULL), and argv joined. Borrowed strings. */
typedef struct invocation {
    const char *program, *config_path, *command_line;
} invocation;

/* The per-status table, in a fixed order. */
void report_counts(FILE *out, const size_t counts[STATE_COUNT], size_t resumed);

/* The summary table, then the failed/check-failed/partial/blocked/pending dates and
 * a ready-to-paste re-run command. Long lists go to a dates file in
 * state_dir (named in the command) instead of the command line. */
void report_summary(FILE *out, const invocation *o, const bf_config *cfg, const char *processor,
                    const plan *pl, double wall_s);

/* Print the re-run command for the given dates, with extra options
 * appended; writes state_dir/<processor>.rerun when n is large. */
void report_rerun(FILE *out, const invocation *o, const bf_config *cfg, const char *processor,
                  const char *const *dates, size_t n, const char *extra);

/* [{"table", "required", "covered", "expected", "coverage", "threshold",
 *   "passed", "table_missing", "missing": [dates]}] */
json_t *report_preflight_json(const preflight_report *pre);
/* The whole result of `run --json`; the caller owns the reference. */
json_t *report_run_json(const plan *pl, const preflight_report *pre, int skip_preflight,
                        const char *processor, int exit_code, double wall_s);

/* Print doc on stdout, indented, and release it. */
void report_print_json(json_t *doc);

#endif
