/* stale_forecast.c - the dates a dry run foresees stale downstream
 * (stale_forecast.h). */
#include "engine/stale_forecast.h"

#include <stdio.h>
#include <stdlib.h>

#include "engine/window.h"

int stale_forecast_init(stale_forecast *f, const graph *g, const bf_config *cfg)
{
    f->g = g;
    f->cfg = cfg;
    f->redo = calloc(g->n ? g->n : 1, sizeof *f->redo);
    return f->redo ? 0 : -1;
}

void stale_forecast_free(stale_forecast *f)
{
    for (size_t i = 0; f->redo && i < f->g->n; i++)
        date_list_free(&f->redo[i]);
    free(f->redo);
    f->redo = NULL;
}

/* The first day of sorted list in [from, to], or 0 if none. */
static bf_day first_within(const date_list *list, bf_day from, bf_day to)
{
    size_t lo = 0, hi = list->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (list->days[mid] < from)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < list->n && list->days[lo] <= to ? list->days[lo] : 0;
}

/* The writer of a dependency of node whose window for day holds a date it
 * will publish (that date in *when), or GRAPH_NONE. */
static size_t upstream_redo(const stale_forecast *f, const graph_node *node, bf_day day,
                            bf_day *when)
{
    for (size_t k = 0; k < node->p.ndeps; k++) {
        size_t w = node->writer[k];
        if (w == GRAPH_NONE || !f->redo[w].n)
            continue;
        bf_day from = window_start(node->p.deps[k].lookback_days, f->cfg, day);
        if ((*when = first_within(&f->redo[w], from, day)) != 0)
            return w;
    }
    return GRAPH_NONE;
}

size_t stale_forecast_node(stale_forecast *f, size_t i, const plan *pl, char *why, size_t whylen)
{
    const graph_node *node = &f->g->nodes[i];
    size_t foreseen = 0;
    date_list *mine = &f->redo[i];
    for (size_t d = 0; d < pl->n; d++) {
        const date_entry *e = &pl->dates[d];
        if (e->status == STATE_PENDING) {
            (void)date_list_push(mine, e->day);
            continue;
        }
        if (e->status != STATE_COMPLETE || !e->resumed)
            continue;
        bf_day when = 0;
        size_t w = upstream_redo(f, node, e->day, &when);
        if (w == GRAPH_NONE)
            continue;
        if (!foreseen++) {
            char up[DATE_LEN];
            date_format(when, up);
            snprintf(why, whylen, "will be stale after %s is redone (its %s, first: %s)",
                     f->g->nodes[w].name, up, e->date);
        }
        (void)date_list_push(mine, e->day);
    }
    date_list_sort(mine);
    return foreseen;
}
