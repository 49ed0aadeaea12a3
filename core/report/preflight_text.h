/* preflight_text.h - the pre-flight report in text. */
#ifndef BF_PREFLIGHT_TEXT_H
#define BF_PREFLIGHT_TEXT_H

#include <stdio.h>

#include "engine/job.h"

/* The plan's counts (calendar, bootstrap, expected), then the table. */
void report_preflight(FILE *out, const job *j, int verbose);

/* Per dependency: covered/expected, missing, partial, unverified, the
 * threshold; the blocked and orphaned dates. verbose lists each missing
 * date. */
void report_preflight_table(FILE *out, const preflight_report *report, const char *processor,
                            int verbose);

#endif
