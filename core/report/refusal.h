/* refusal.h - the fix a pre-flight refusal prints: commands to paste. */
#ifndef BF_REFUSAL_H
#define BF_REFUSAL_H

#include <stdio.h>

#include "engine/job.h"
#include "report/report.h"

/* After j's pre-flight refused it (run, verify, pipeline): on out, in this
 * order, the command filling every blocking upstream that a processor
 * writes (`pipeline --targets A,B` over the refused dates, as resolved),
 * each late raw table with the command waiting for it, the waiver, and the
 * --skip-preflight --reason command. inv names the program and the -c
 * given. Writes nothing else. */
void refusal_print_fix(FILE *out, const invocation *inv, const date_args *dates, const job *j);

#endif
