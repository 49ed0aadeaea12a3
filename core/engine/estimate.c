/* estimate.c - see estimate.h. The median and p90 of what each complete
 * date took, scaled by the dates to run and the workers sharing them. */
#include "engine/estimate.h"
#include "state/run_history.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int by_value(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* The q-quantile (nearest rank) of n sorted values. */
static double quantile(const double *v, size_t n, double q)
{
    size_t rank = (size_t)ceil(q * (double)n);
    return v[rank ? rank - 1 : 0];
}

/* Each complete date's latest duration, as cp records it, into v. */
static size_t from_checkpoint(const checkpoint *cp, double **v)
{
    json_t *dates = cp ? json_object_get(cp->root, "dates") : NULL;
    size_t n = 0;
    *v = calloc(json_object_size(dates) + 1, sizeof **v);
    const char *date;
    json_t *rec;
    json_object_foreach(dates, date, rec)
    {
        json_t *ms = json_object_get(rec, "duration_ms");
        const char *status = json_string_value(json_object_get(rec, "status"));
        if (*v && json_is_number(ms) && status && strcmp(status, "complete") == 0)
            (*v)[n++] = json_number_value(ms);
    }
    return n;
}

/* estimate_from; with no event log left, from cp, or (cp NULL and open_cp)
 * from the checkpoint opened now and closed again. */
static void estimate_any(const char *state_dir, const char *processor, const checkpoint *cp,
                         int open_cp, size_t todo, int workers, estimate *e)
{
    memset(e, 0, sizeof *e);
    e->workers = workers > 0 ? workers : 1;
    e->todo = todo;
    run_history h;
    double *v = NULL;
    if (run_history_read(state_dir, processor, &h) == 0 && h.n) {
        v = h.ms;
        e->history = h.n;
        e->runs = h.runs;
    } else if (!cp && open_cp) {
        checkpoint own;
        char why[1024];
        if (checkpoint_open(&own, state_dir, processor, why, sizeof why) == 0)
            e->history = from_checkpoint(&own, &v);
        else
            e->history = from_checkpoint(NULL, &v);
        checkpoint_close(&own);
    } else {
        e->history = from_checkpoint(cp, &v);
    }
    if (e->history) {
        qsort(v, e->history, sizeof *v, by_value);
        e->median_ms = quantile(v, e->history, 0.5);
        e->p90_ms = quantile(v, e->history, 0.9);
    }
    estimate_rescale(e, todo);
    free(v);
}

void estimate_from(const char *state_dir, const char *processor, const checkpoint *cp, size_t todo,
                   int workers, estimate *e)
{
    estimate_any(state_dir, processor, cp, 0, todo, workers, e);
}

void estimate_from_state(const char *state_dir, const char *processor, size_t todo, int workers,
                         estimate *e)
{
    estimate_any(state_dir, processor, NULL, 1, todo, workers, e);
}

void estimate_rescale(estimate *e, size_t todo)
{
    e->todo = todo;
    e->median_s = (double)todo * e->median_ms / 1e3 / e->workers;
    e->p90_s = (double)todo * e->p90_ms / 1e3 / e->workers;
}

static void hms(double s, char *out, size_t len)
{
    long t = (long)ceil(s);
    snprintf(out, len, "%ld:%02ld:%02ld", t / 3600, t / 60 % 60, t % 60);
}

void estimate_text(const estimate *e, char *out, size_t len)
{
    if (!e->history) {
        snprintf(out, len, "no history");
        return;
    }
    char a[32], b[32];
    hms(e->median_s, a, sizeof a);
    hms(e->p90_s, b, sizeof b);
    char over[96];
    if (e->runs)
        snprintf(over, sizeof over, "%zu date%s published in %zu run%s", e->history,
                 e->history == 1 ? "" : "s", e->runs, e->runs == 1 ? "" : "s");
    else
        snprintf(over, sizeof over, "%zu recorded date%s (each date's latest run)", e->history,
                 e->history == 1 ? "" : "s");
    snprintf(out, len,
             "about %s (p90 %s) for %zu date%s: median %.0f ms, p90 %.0f ms per date over %s, %d "
             "worker%s",
             a, b, e->todo, e->todo == 1 ? "" : "s", e->median_ms, e->p90_ms, over, e->workers,
             e->workers == 1 ? "" : "s");
}
