/* plan.c - expected dates: calendar days in the selection minus each
 * season's bootstrap days, and the per-date record a run fills in. */
#include "engine/plan.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "config/config.h"

static const char *const status_names[DATE_STATUS_COUNT] = {"pending", "complete", "incomplete",
                                                            "failed",  "blocked",  "skipped"};

const char *date_status_name(int status)
{
    return status >= 0 && status < DATE_STATUS_COUNT ? status_names[status] : "unknown";
}

int date_status_parse(const char *name)
{
    for (int i = 0; name && i < DATE_STATUS_COUNT; i++)
        if (strcmp(status_names[i], name) == 0)
            return i;
    return -1;
}

int plan_is_bootstrap(const season *seasons, int nseasons, int bootstrap_days, bf_day day)
{
    for (int i = 0; i < nseasons; i++)
        if (day >= seasons[i].start && day < seasons[i].start + bootstrap_days)
            return 1;
    return 0;
}

int plan_build(plan *pl, const date_list *calendar, const date_selection *sel,
               const season *seasons, int nseasons, int bootstrap_days)
{
    memset(pl, 0, sizeof *pl);
    pl->dates = calloc(calendar->n ? calendar->n : 1, sizeof *pl->dates);
    if (!pl->dates)
        return -1;
    for (size_t i = 0; i < calendar->n; i++) {
        bf_day d = calendar->days[i];
        if (d < sel->first || d > sel->last ||
            (!sel->is_range && !date_list_contains(&sel->list, d)))
            continue;
        date_entry *e = &pl->dates[pl->n++];
        e->day = d;
        date_format(d, e->date);
        if (plan_is_bootstrap(seasons, nseasons, bootstrap_days, d))
            e->status = DATE_SKIPPED;
        else
            pl->expected++;
    }
    if (!sel->is_range) {
        for (size_t i = 0; i < sel->list.n; i++)
            if (!date_list_contains(calendar, sel->list.days[i]) &&
                date_list_push(&pl->off_calendar, sel->list.days[i]) != 0)
                return -1;
    }
    return 0;
}

void plan_free(plan *pl)
{
    for (size_t i = 0; i < pl->n; i++) {
        free(pl->dates[i].error);
        json_decref(pl->dates[i].checks);
        json_decref(pl->dates[i].raw);
    }
    free(pl->dates);
    date_list_free(&pl->off_calendar);
    memset(pl, 0, sizeof *pl);
}

void plan_set_error(date_entry *e, const char *fmt, ...)
{
    free(e->error);
    e->error = NULL;
    if (!fmt)
        return;
    va_list ap;
    va_start(ap, fmt);
    if (vasprintf(&e->error, fmt, ap) < 0)
        e->error = NULL;
    va_end(ap);
}

double plan_completeness(int64_t expected, int64_t actual)
{
    return expected > 0 ? (double)actual / (double)expected : 1.0;
}
