/* stale_forecast.h - what a pipeline's dry run foresees downstream: a
 * processor that will redo dates (missing, outdated, stale) republishes
 * them, and every date of a reader whose window reads one of them is then
 * stale, though the judge calls it complete now. Judged in graph order, so
 * a foreseen date is itself redone, and foreseen further down. */
#ifndef BF_STALE_FORECAST_H
#define BF_STALE_FORECAST_H

#include "base/dates.h"
#include "engine/graph.h"
#include "engine/plan.h"

typedef struct stale_forecast {
    const graph *g;       /* borrowed */
    const bf_config *cfg; /* borrowed */
    date_list *redo;      /* owned, per node: the dates it will publish, sorted */
} stale_forecast;

/* 0, or -1 out of memory. */
int stale_forecast_init(stale_forecast *f, const graph *g, const bf_config *cfg);
void stale_forecast_free(stale_forecast *f);

/* Node i's plan as its dry run judged it: its pending dates will be
 * published; of its complete (resumed) dates, those whose window of a
 * dependency holds a date the dependency's writer will publish are
 * foreseen stale, and counted in the return value (why: the first, "will
 * be stale after WRITER is redone (its DATE)"). Both join node i's set.
 * Call in graph order. */
size_t stale_forecast_node(stale_forecast *f, size_t i, const plan *pl, char *why, size_t whylen);

#endif
