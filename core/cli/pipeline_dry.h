/* pipeline_dry.h - `pipeline --dry-run`: each selected processor's plan as
 * it would start now, judged on a pool of threads (engine/judge_pool.h)
 * through one judge cache, and printed in graph order as the judgements
 * come in, so the output is the same whatever the number of threads. */
#ifndef BF_CLI_PIPELINE_DRY_H
#define BF_CLI_PIPELINE_DRY_H

#include <stdio.h>

#include "cli/cli.h"
#include "engine/graph.h"

/* The dry run of g's nodes with selected[i] set, in graph order: one line
 * per processor on out, the lines each judgement logged and its error on
 * stderr, in the same order. Nothing is written and no lock is taken.
 * Returns EXIT_DONE, or EXIT_USAGE out of memory. */
int pipeline_dry_run(const cli_options *o, const bf_config *cfg, const graph *g,
                     const unsigned char *selected, FILE *out);

#endif
