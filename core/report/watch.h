/* watch.h - what `backfill watch` found, per expected table, and how it is
 * printed: a table for people, JSON for machines. Nothing here judges. */
#ifndef BF_WATCH_REPORT_H
#define BF_WATCH_REPORT_H

#include <jansson.h>
#include <stdio.h>

#include "base/dates.h"
#include "engine/plan.h"

typedef struct watch_row {
    const char *key;       /* the expect entry: a table or a group */
    const char *processor; /* the processor writing the table */
    const char *table;
    char first[DATE_LEN], last[DATE_LEN]; /* the range judged */
    size_t states[STATE_COUNT];
    size_t expected, good; /* good: complete, unverified or waived */
    double coverage, min_coverage;
    char fresh[DATE_LEN];   /* complete through this date; "" if not the first */
    char through[DATE_LEN]; /* complete_through asked, "" if none */
    int coverage_ok, fresh_ok, ok;
} watch_row;

void watch_print(FILE *out, const watch_row *rows, size_t n);
json_t *watch_row_json(const watch_row *r);

#endif
