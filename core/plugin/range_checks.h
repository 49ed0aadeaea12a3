/* range_checks.h - quality checks over a range rather than per date: a
 * processor's config section may add checks with scope = "range"
 * (processors.<name>.checks.<check> = { kind = "not_null"; column = ...;
 * max_null_share = ...; scope = "range"; by = "season"; }). Such a check is
 * not run on a date's staging area; it is measured over the published rows
 * of the requested dates with one grouped query, summed per group (the
 * configured season or the month of each date, as `by` says) and in total,
 * and every group and the total are held to its threshold. `verify
 * --quality`, `run` (after its dates) and `signoff` judge them. */
#ifndef BF_RANGE_CHECKS_H
#define BF_RANGE_CHECKS_H

#include <jansson.h>
#include <stddef.h>
#include <stdio.h>

#include "base/dates.h"
#include "config/config.h"
#include "plugin/check_measure.h"
#include "plugin/loader.h"
#include "stores/store.h"

/* How a range check's dates are grouped. */
enum { RANGE_BY_NONE = 0, RANGE_BY_SEASON, RANGE_BY_MONTH };

typedef struct range_check {
    bf_check c; /* kind not_null or range; strings belong to the config */
    int by;     /* RANGE_BY_* */
    int line;   /* of its entry in the config file */
} range_check;

typedef struct range_check_set {
    range_check *checks; /* owned */
    size_t n;
} range_check_set;

/* p's range checks from its config section into *out (empty when there are
 * none). Refuses (-1, one line "FILE:LINE: processors.P.checks.C[.KEY]:
 * why" in err, *out empty) an entry with scope = "range" that names a
 * check the processor declares, has a kind other than not_null or range, a
 * column that is not a plain name, a key a range check does not take, a
 * threshold out of range, or a `by` other than "season" or "month". */
int range_checks_load(const bf_config *cfg, const plugin *p, range_check_set *out, char *err,
                      size_t errlen);
void range_checks_free(range_check_set *set);

/* "season", "month" or "range" (no breakdown). */
const char *range_checks_by_name(int by);

/* Measure every check of set on table over days (ascending, n of them: the
 * dates expected of the processor), one grouped query per check, rows of
 * other dates ignored. *out receives a new array, one object per check:
 * {name, kind, scope: "range", by, label, limit, passed, groups: [{group,
 * first, last, dates, rows, failing, value, passed, measured (the figures
 * in words)}, ..., the total as group "all"]}. Returns how many checks fail (in a group or in
 * total), or -1 with one line in err naming the processor and check (*out NULL). */
int range_checks_judge(const range_check_set *set, store *s, const bf_config *cfg,
                       const char *processor, const char *table, const char *date_column,
                       const bf_day *days, size_t n, json_t **out, char *err, size_t errlen);

/* One line per range check, for `backfill list -v` (after checks_print). */
void range_checks_print(const range_check_set *set, FILE *out);

#endif
