/* raw_days.c - the per-day raw fingerprints a processor's dates read, and
 * the day they name when a wide window changed (raw_days.h). */
#include "engine/raw_days.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine/window.h"

/* One day's fingerprint: its rows and the checksum of them. */
typedef struct print {
    int64_t rows;
    uint64_t sum;
} print;

static int same(print a, print b)
{
    return a.rows == b.rows && a.sum == b.sum;
}

/* The versions recorded in text ("ROWS:HEX ...", newest first), at most
 * RAW_DAYS_KEPT; how many. */
static size_t parse(const char *text, print *v)
{
    size_t n = 0;
    while (text && n < RAW_DAYS_KEPT) {
        long long rows;
        uint64_t sum;
        int used = 0;
        if (sscanf(text, " %lld:%" SCNx64 "%n", &rows, &sum, &used) != 2 || !used)
            break;
        v[n++] = (print){rows, sum};
        text += used;
    }
    return n;
}

/* What table t holds on day now. */
static print now_of(const table_facts *t, bf_day day)
{
    if (day < t->first || (size_t)(day - t->first) >= t->ndays)
        return (print){0, 0};
    return (print){t->days[day - t->first].rows, t->days[day - t->first].checksum};
}

/* Put now first among day's versions in map; 0, or -1 out of memory. */
static int record_day(json_t *map, bf_day day, print now)
{
    char date[DATE_LEN], text[RAW_DAYS_KEPT * 40] = "";
    print v[RAW_DAYS_KEPT];
    date_format(day, date);
    size_t n = parse(json_string_value(json_object_get(map, date)), v);
    if ((n == 0 && now.rows == 0) || (n > 0 && same(v[0], now)))
        return 0;
    size_t len = (size_t)snprintf(text, sizeof text, "%" PRId64 ":%016" PRIx64, now.rows, now.sum);
    for (size_t i = 0, kept = 1; i < n && kept < RAW_DAYS_KEPT; i++)
        if (!same(v[i], now)) {
            len += (size_t)snprintf(text + len, sizeof text - len, " %" PRId64 ":%016" PRIx64,
                                    v[i].rows, v[i].sum);
            kept++;
        }
    return json_object_set_new(map, date, json_string(text));
}

static int record_table(json_t *all, const table_facts *t)
{
    json_t *map = json_object_get(all, t->table);
    if (!json_is_object(map)) {
        map = json_object();
        if (!map || json_object_set_new(all, t->table, map) != 0)
            return -1;
    }
    for (size_t i = 0; i < t->ndays; i++)
        if (record_day(map, t->first + (bf_day)i, now_of(t, t->first + (bf_day)i)) != 0)
            return -1;
    return 0;
}

int raw_days_record(const judgement *jg, checkpoint *cp)
{
    int wide = 0;
    for (size_t k = 0; k < jg->p->ndeps; k++)
        wide |= jg->p->deps[k].lookback_days != 0;
    if (!wide)
        return 0;
    json_t *all = checkpoint_raw_days(cp);
    if (!all)
        return -1;
    if (jg->cal.table && jg->cal.days && record_table(all, &jg->cal) != 0)
        return -1;
    for (size_t k = 0; k < jg->p->ndeps; k++)
        if (!jg->deps[k].writer && jg->p->deps[k].lookback_days != 0 && jg->deps[k].days &&
            record_table(all, &jg->deps[k]) != 0)
            return -1;
    return 0;
}

/* What the date most likely read on day: the version recorded that is
 * there now, else the newest recorded (an absent day: no rows). */
static print guess(print now, const print *v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (same(v[i], now))
            return now;
    return n ? v[0] : (print){0, 0};
}

/* The versions of each day of the window, parsed once: n per day. */
typedef struct window_days {
    size_t len;
    print *now, *read, (*v)[RAW_DAYS_KEPT];
    size_t *n;
} window_days;

static int load(window_days *w, const json_t *map, const table_facts *t, bf_day from)
{
    w->now = calloc(w->len, sizeof *w->now);
    w->read = calloc(w->len, sizeof *w->read);
    w->v = calloc(w->len, sizeof *w->v);
    w->n = calloc(w->len, sizeof *w->n);
    if (!w->now || !w->read || !w->v || !w->n)
        return -1;
    for (size_t i = 0; i < w->len; i++) {
        char date[DATE_LEN];
        date_format(from + (bf_day)i, date);
        w->now[i] = now_of(t, from + (bf_day)i);
        w->n[i] = parse(json_string_value(json_object_get(map, date)), w->v[i]);
        w->read[i] = guess(w->now[i], w->v[i], w->n[i]);
    }
    return 0;
}

static void unload(window_days *w)
{
    free(w->now);
    free(w->read);
    free(w->v);
    free(w->n);
}

/* Whether w->read sums to what the date recorded; else one day's other
 * recorded version that makes it so is taken into w->read. */
static int match(window_days *w, int64_t was_rows, uint64_t was_sum)
{
    int64_t rows = 0;
    uint64_t sum = 0;
    for (size_t i = 0; i < w->len; i++) {
        rows += w->read[i].rows;
        sum += w->read[i].sum;
    }
    if (rows == was_rows && sum == was_sum)
        return 1;
    for (size_t i = 0; i < w->len; i++)
        for (size_t j = 0; j < w->n[i]; j++)
            if (rows - w->read[i].rows + w->v[i][j].rows == was_rows &&
                sum - w->read[i].sum + w->v[i][j].sum == was_sum) {
                w->read[i] = w->v[i][j];
                return 1;
            }
    return 0;
}

struct raw_days_source {
    char *state_dir, *name;
    int tried, open;
    checkpoint cp;
};

raw_days_source *raw_days_source_new(const char *state_dir, const char *name)
{
    raw_days_source *src = calloc(1, sizeof *src);
    if (src && (!(src->state_dir = strdup(state_dir)) || !(src->name = strdup(name)))) {
        raw_days_source_free(src);
        return NULL;
    }
    return src;
}

void raw_days_source_free(raw_days_source *src)
{
    if (!src)
        return;
    if (src->open)
        checkpoint_close(&src->cp);
    free(src->state_dir);
    free(src->name);
    free(src);
}

/* jg's map, read from its source the first time (a file that no longer
 * opens names no day). */
static const json_t *raw_days_map(const judgement *jg)
{
    raw_days_source *src = jg->raw_days_src;
    if (jg->raw_days || !src)
        return jg->raw_days;
    if (!src->tried) {
        char err[256];
        src->tried = 1;
        src->open = checkpoint_open(&src->cp, src->state_dir, src->name, err, sizeof err) == 0;
    }
    return src->open ? json_object_get(src->cp.root, "raw_days") : NULL;
}

int raw_days_name(const judgement *jg, const char *name, const table_facts *t, bf_day from,
                  bf_day to, int64_t was_rows, uint64_t was_sum, char *why, size_t whylen)
{
    const json_t *map = json_object_get(raw_days_map(jg), name);
    if (!json_is_object(map) || to < from)
        return 0;
    window_days w = {.len = (size_t)(to - from + 1)};
    size_t changed = 0, first = 0;
    if (load(&w, map, t, from) == 0 && match(&w, was_rows, was_sum))
        for (size_t i = 0; i < w.len; i++)
            if (!same(w.read[i], w.now[i]) && !changed++)
                first = i;
    if (changed) {
        char day[DATE_LEN], more[64] = "";
        date_format(from + (bf_day)first, day);
        if (changed > 1)
            snprintf(more, sizeof more, "; %zu more day%s of its window changed", changed - 1,
                     changed == 2 ? "" : "s");
        snprintf(why, whylen, "stale: %s %s changed since published (%lld rows -> %lld rows%s%s)",
                 name, day, (long long)w.read[first].rows, (long long)w.now[first].rows,
                 w.read[first].rows == w.now[first].rows ? ", content differs" : "", more);
    }
    unload(&w);
    return changed > 0;
}
