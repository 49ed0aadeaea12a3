/* refusal.h - the fix a pre-flight refusal prints: commands to paste. */
#ifndef BF_REFUSAL_H
#define BF_REFUSAL_H

#include <stdio.h>

#include "engine/job.h"

/* After j's pre-flight refused it (run, verify, pipeline): on out, in this
 * order, the command filling every blocking upstream that a processor
 * writes (`pipeline --targets A,B` over o's dates, as resolved), each late
 * raw table with the command waiting for it, the waiver, and the
 * --skip-preflight --reason command. Writes nothing else. */
void refusal_print_fix(FILE *out, const cli_options *o, const job *j);

#endif
