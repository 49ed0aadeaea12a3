/* range_quality.h - the range quality checks' verdicts (as measured by
 * plugin/range_checks.h: a JSON array of checks, each with its groups) as
 * text lines for `verify --quality` and `run`, and as the quality section
 * of a sign-off document. Nothing here measures. */
#ifndef BF_RANGE_QUALITY_H
#define BF_RANGE_QUALITY_H

#include <jansson.h>
#include <stdio.h>

/* Per check a heading (name, what, breakdown, limit), then one line per
 * group and the total: "    GROUP  ok|FAIL  MEASURED". */
void range_quality_print(FILE *out, const json_t *checks);

/* One line per failing group of a failing check, for a run's summary:
 * "range check NAME: GROUP: MEASURED". Returns how many lines. */
size_t range_quality_failures(FILE *out, const json_t *checks);

/* The sign-off's quality section over quality, an array of {processor,
 * table, checks}: a table of check, group, dates, rows, measured, verdict
 * (Markdown, or HTML when html). "none declared" when it is empty. */
void range_quality_document(FILE *f, const json_t *quality, int html);

#endif
