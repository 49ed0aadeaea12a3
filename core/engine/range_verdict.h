/* range_verdict.h - the range quality checks (plugin/range_checks.h) of a
 * processor judged over a plan: the expected dates (bootstrap days left
 * out) of the requested range, as published now. `verify --quality` and
 * `run` (after its dates) ask it. It reads; it writes nothing. */
#ifndef BF_RANGE_VERDICT_H
#define BF_RANGE_VERDICT_H

#include <jansson.h>

#include "config/config.h"
#include "engine/plan.h"
#include "plugin/loader.h"
#include "stores/store.h"

/* p's range checks over pl's expected dates on s (NULL: a read-only
 * connection of its own, opened only if p has range checks, closed before
 * it returns). *out receives the
 * verdicts (range_checks_judge's array; empty when p has none). Returns
 * how many checks fail, or -1 with one line in err (*out NULL). */
int range_verdict(const bf_config *cfg, const plugin *p, store *s, const plan *pl, json_t **out,
                  char *err, size_t errlen);

/* The same over days (ascending, n of them) instead of a plan. */
int range_verdict_days(const bf_config *cfg, const plugin *p, store *s, const bf_day *days,
                       size_t n, json_t **out, char *err, size_t errlen);

#endif
