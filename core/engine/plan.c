/* plan.c - expected dates: calendar days in the selection minus each
 * season's bootstrap days, and the per-date record a run fills in. */
#include "engine/plan.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "config/config.h"
#include "state/checkpoint.h"

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
            e->status = STATE_SKIPPED;
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

static int64_t record_int(const json_t *rec, const char *key)
{
    return json_integer_value(json_object_get(rec, key));
}

size_t plan_resume(plan *pl, const checkpoint *cp, int keep_stale, int keep_outdated)
{
    json_t *dates = json_object_get(cp->root, "dates");
    size_t n = 0;
    for (size_t i = 0; i < pl->n; i++) {
        date_entry *e = &pl->dates[i];
        json_t *rec = json_object_get(dates, e->date);
        const char *status = json_string_value(json_object_get(rec, "status"));
        if (e->status != STATE_PENDING || !status || date_state_parse(status) != STATE_COMPLETE ||
            (e->verdict != STATE_COMPLETE && !(keep_stale && e->verdict == STATE_STALE) &&
             !(keep_outdated && e->verdict == STATE_OUTDATED)))
            continue;
        e->status = STATE_COMPLETE;
        e->resumed = 1;
        e->expected = record_int(rec, "expected");
        e->actual = record_int(rec, "actual");
        e->attempts = (int)record_int(rec, "attempts");
        e->duration_ms = json_number_value(json_object_get(rec, "duration_ms"));
        e->validation_passed = 1;
        n++;
    }
    return n;
}

void plan_count(const plan *pl, size_t counts[STATE_COUNT])
{
    memset(counts, 0, sizeof(size_t) * STATE_COUNT);
    for (size_t i = 0; i < pl->n; i++)
        counts[pl->dates[i].status]++;
}

int plan_all_done(const size_t counts[STATE_COUNT])
{
    for (int s = 0; s < STATE_COUNT; s++)
        if (s != STATE_COMPLETE && s != STATE_SKIPPED && counts[s])
            return 0;
    return 1;
}

json_t *plan_status_counts_json(const size_t counts[STATE_COUNT])
{
    json_t *c = json_object();
    for (int s = 0; s < STATE_COUNT; s++)
        json_object_set_new(c, date_state_name(s), json_integer((json_int_t)counts[s]));
    return c;
}

json_t *plan_counts_json(const plan *pl)
{
    size_t counts[STATE_COUNT];
    plan_count(pl, counts);
    return plan_status_counts_json(counts);
}
