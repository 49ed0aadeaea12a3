/* raw_inputs.c - window sums of the raw tables' per-date fingerprints, and
 * their comparison with what a published date recorded. */
#include "engine/raw_inputs.h"

#include "engine/raw_days.h"
#include "engine/window.h"
#include "state/checkpoint_records.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

/* The facts of raw table name as p reads it, and the first date of its
 * window for day: the calendar's window is the widest of p's windows.
 * NULL if p reads no such raw table. */
static const table_facts *raw_table(const judgement *jg, const char *name, bf_day day, bf_day *from)
{
    if (jg->cal.table && strcmp(jg->cal.table, name) == 0) {
        *from = day;
        for (size_t k = 0; k < jg->p->ndeps; k++)
            if (window_start(jg->p->deps[k].lookback_days, jg->cfg, day) < *from)
                *from = window_start(jg->p->deps[k].lookback_days, jg->cfg, day);
        return &jg->cal;
    }
    for (size_t k = 0; k < jg->p->ndeps; k++)
        if (!jg->deps[k].writer && strcmp(jg->deps[k].table, name) == 0) {
            *from = window_start(jg->p->deps[k].lookback_days, jg->cfg, day);
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

static int add_entry(json_t *stamp, const table_facts *t, bf_day from, bf_day day)
{
    int64_t rows;
    uint64_t sum;
    char text[64];
    if (!t->table || json_object_get(stamp, t->table))
        return 0;
    window_sum(t, from, day, &rows, &sum);
    snprintf(text, sizeof text, "%" PRId64 ":%016" PRIx64, rows, sum);
    return json_object_set_new(stamp, t->table, json_string(text));
}

json_t *raw_inputs_stamp(const judgement *jg, bf_day day)
{
    json_t *stamp = json_object();
    bf_day from;
    int failed = !stamp;
    if (!failed && jg->cal.table && raw_table(jg, jg->cal.table, day, &from))
        failed = add_entry(stamp, &jg->cal, from, day) != 0;
    for (size_t k = 0; !failed && k < jg->p->ndeps; k++)
        if (!jg->deps[k].writer)
            failed = add_entry(stamp, &jg->deps[k],
                               window_start(jg->p->deps[k].lookback_days, jg->cfg, day), day) != 0;
    if (failed || json_object_size(stamp) == 0) {
        json_decref(stamp);
        return NULL;
    }
    return stamp;
}

/* A fingerprint's text, "ROWS:HEX", into *rows and *sum: by hand when it
 * is plain decimal digits, a colon and at most 16 hex digits (what a run
 * records), else by sscanf, whose reading it keeps. 1, or 0 if it is no
 * fingerprint. */
static int parse_print(const char *text, long long *rows, uint64_t *sum)
{
    const char *p = text;
    long long r = 0;
    uint64_t x = 0;
    while (*p >= '0' && *p <= '9' && p - text < 18)
        r = r * 10 + (*p++ - '0');
    const char *hex = p + 1;
    int plain = p > text && *p == ':';
    for (p = hex; plain && *p; p++) {
        int d = *p >= '0' && *p <= '9'   ? *p - '0'
                : *p >= 'a' && *p <= 'f' ? *p - 'a' + 10
                : *p >= 'A' && *p <= 'F' ? *p - 'A' + 10
                                         : -1;
        plain = d >= 0 && p - hex < 16;
        x = x << 4 | (uint64_t)(d & 15);
    }
    if (plain && p > hex) {
        *rows = r;
        *sum = x;
        return 1;
    }
    return sscanf(text, "%lld:%" SCNx64, rows, sum) == 2;
}

/* Whether table's rows in day's windows differ from text ("ROWS:HEX");
 * *why says how. A table p does not read as raw, or a text that is not a
 * fingerprint, counts as unchanged. */
static int one_changed(const judgement *jg, const char *table, const char *text, bf_day day,
                       char *why, size_t whylen)
{
    bf_day start;
    long long was_rows;
    uint64_t was_sum;
    const table_facts *t = raw_table(jg, table, day, &start);
    if (!t || !text || !parse_print(text, &was_rows, &was_sum))
        return 0;
    int64_t rows;
    uint64_t sum;
    window_sum(t, start, day, &rows, &sum);
    if (rows == was_rows && sum == was_sum)
        return 0;
    /* A wide window: the day that changed, if the recorded days tell. */
    if (start < day && raw_days_name(jg, table, t, start, day, was_rows, was_sum, why, whylen))
        return 1;
    char from[DATE_LEN], to[DATE_LEN];
    date_format(start, from);
    date_format(day, to);
    int wide = start < day;
    snprintf(why, whylen, "stale: %s %s%s%s changed since published (%lld rows -> %lld rows%s)",
             table, wide ? from : "", wide ? ".." : "", to, was_rows, (long long)rows,
             rows == was_rows ? ", content differs" : "");
    return 1;
}

int raw_inputs_changed(const judgement *jg, const json_t *recorded, bf_day day, char *why,
                       size_t whylen)
{
    const char *table;
    json_t *value;
    json_object_foreach((json_t *)recorded, table, value)
    {
        if (one_changed(jg, table, json_string_value(value), day, why, whylen))
            return 1;
    }
    return 0;
}

int raw_inputs_changed_scanned(const judgement *jg, const struct scanned_raw *recorded, size_t n,
                               bf_day day, char *why, size_t whylen)
{
    for (size_t i = 0; i < n; i++)
        if (one_changed(jg, recorded[i].table, recorded[i].text, day, why, whylen))
            return 1;
    return 0;
}
