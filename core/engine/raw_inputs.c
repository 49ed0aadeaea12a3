/* raw_inputs.c - window sums of the raw tables' per-date fingerprints, and
 * their comparison with what a published date recorded. */
#include "engine/raw_inputs.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

/* The facts and window of raw table name as p reads it: the calendar's
 * window is the widest of p's windows. NULL if p reads no such raw table. */
static const table_facts *raw_table(const judgement *jg, const char *name, int *lookback)
{
    int widest = 0;
    for (size_t k = 0; k < jg->p->ndeps; k++)
        if (jg->p->deps[k].lookback_days > widest)
            widest = jg->p->deps[k].lookback_days;
    if (jg->cal.table && strcmp(jg->cal.table, name) == 0) {
        *lookback = widest;
        return &jg->cal;
    }
    for (size_t k = 0; k < jg->p->ndeps; k++)
        if (!jg->deps[k].writer && strcmp(jg->deps[k].table, name) == 0) {
            *lookback = jg->p->deps[k].lookback_days;
            return &jg->deps[k];
        }
    return NULL;
}

static void window_sum(const table_facts *t, bf_day from, bf_day to, int64_t *rows, uint64_t *sum)
{
    *rows = 0;
    *sum = 0;
    for (bf_day d = from; d <= to; d++) {
        if (d < t->first || (size_t)(d - t->first) >= t->ndays)
            continue;
        *rows += t->days[d - t->first].rows;
        *sum += t->days[d - t->first].checksum;
    }
}

static int add_entry(json_t *stamp, const table_facts *t, int lookback, bf_day day)
{
    int64_t rows;
    uint64_t sum;
    char text[64];
    if (!t->table || json_object_get(stamp, t->table))
        return 0;
    window_sum(t, day - lookback, day, &rows, &sum);
    snprintf(text, sizeof text, "%" PRId64 ":%016" PRIx64, rows, sum);
    return json_object_set_new(stamp, t->table, json_string(text));
}

json_t *raw_inputs_stamp(const judgement *jg, bf_day day)
{
    json_t *stamp = json_object();
    int lookback, failed = !stamp;
    if (!failed && jg->cal.table && raw_table(jg, jg->cal.table, &lookback))
        failed = add_entry(stamp, &jg->cal, lookback, day) != 0;
    for (size_t k = 0; !failed && k < jg->p->ndeps; k++)
        if (!jg->deps[k].writer)
            failed = add_entry(stamp, &jg->deps[k], jg->p->deps[k].lookback_days, day) != 0;
    if (failed || json_object_size(stamp) == 0) {
        json_decref(stamp);
        return NULL;
    }
    return stamp;
}

int raw_inputs_changed(const judgement *jg, const json_t *recorded, bf_day day, char *why,
                       size_t whylen)
{
    const char *table;
    json_t *value;
    json_object_foreach((json_t *)recorded, table, value)
    {
        int lookback;
        long long was_rows;
        uint64_t was_sum;
        const char *text = json_string_value(value);
        const table_facts *t = raw_table(jg, table, &lookback);
        if (!t || !text || sscanf(text, "%lld:%" SCNx64, &was_rows, &was_sum) != 2)
            continue;
        int64_t rows;
        uint64_t sum;
        window_sum(t, day - lookback, day, &rows, &sum);
        if (rows == was_rows && sum == was_sum)
            continue;
        char from[DATE_LEN], to[DATE_LEN];
        date_format(day - lookback, from);
        date_format(day, to);
        snprintf(why, whylen, "stale: %s %s%s%s changed since published (%lld rows -> %lld rows%s)",
                 table, lookback ? from : "", lookback ? ".." : "", to, was_rows, (long long)rows,
                 rows == was_rows ? ", content differs" : "");
        return 1;
    }
    return 0;
}
