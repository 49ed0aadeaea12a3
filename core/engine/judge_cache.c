/* judge_cache.c - the judge's counts from the store: rows (and, for a raw
 * table, a fingerprint) per date of a table in one grouped query, and the
 * calendar's days, each read once per command through a judge_cache (a
 * raw-only cache keeps the raw tables alone: judge.h). A
 * cache may be shared by judgements on several threads (judge_pool.h,
 * pipeline): a table's query is made on the asking thread's own store
 * without the cache's lock, so threads asking for other tables go on
 * meanwhile, and those asking for the same one wait for its counts. */
#include "engine/judge_cache.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine/calendar.h"

day_facts *judge_day_at(const table_facts *t, bf_day day)
{
    if (!t->days || day < t->first || (size_t)(day - t->first) >= t->ndays)
        return NULL;
    return &t->days[day - t->first];
}

/* Where a grouped query's counts go: t's days, or (days NULL) the
 * compact arrays of a cached table. */
typedef struct counts_sink {
    table_facts *t;
    int64_t *rows;
    uint64_t *sums;
} counts_sink;

static int add_count(void *udata, int ncols, const bf_value *values)
{
    counts_sink *k = udata;
    const table_facts *t = k->t;
    char why[64];
    bf_day d;
    /* Rows whose date does not parse cannot fill an expected date. */
    if (ncols < 2 || values[0].type != BF_TEXT || values[1].type != BF_INT ||
        date_parse(values[0].v.s, &d, why, sizeof why) != 0 || d < t->first ||
        (size_t)(d - t->first) >= t->ndays)
        return 0;
    size_t i = (size_t)(d - t->first);
    int64_t *rows = t->days ? &t->days[i].rows : &k->rows[i];
    uint64_t *sum = t->days ? &t->days[i].checksum : &k->sums[i];
    *rows = values[1].v.i;
    if (ncols > 2 && values[2].type == BF_INT)
        *sum = (uint64_t)values[2].v.i;
    return 0;
}

/* Rows per date of table.column over [first, last]: one grouped query,
 * into k (k->t is the table). */
static int count_rows(store *s, counts_sink *k, const char *column, char *err, size_t errlen)
{
    table_facts *t = k->t;
    if (store_table_exists(s, t->table, &t->exists) != BF_OK) {
        snprintf(err, errlen, "%s: %s", t->table, store_error(s));
        return -1;
    }
    if (!t->exists || t->ndays == 0)
        return 0;
    char a[DATE_LEN], b[DATE_LEN], sql[1600], qt[300], qc[300];
    date_format(t->first, a);
    date_format(t->first + (bf_day)t->ndays - 1, b);
    if (!store_quote(s, t->table, qt, sizeof qt) || !store_quote(s, column, qc, sizeof qc)) {
        snprintf(err, errlen, "%s.%s: name too long to quote", t->table, column);
        return -1;
    }
    snprintf(sql, sizeof sql, "SELECT %s, count(*) FROM %s WHERE %s BETWEEN ? AND ? GROUP BY %s",
             qc, qt, qc, qc);
    bf_value range[2] = {BF_V_TEXT(a), BF_V_TEXT(b)};
    /* A raw table is fingerprinted too: its rows may be corrected. */
    if ((t->writer ? store_core_query(s, sql, range, 2, add_count, k)
                   : store_fingerprint_dates(s, t->table, column, a, b, add_count, k)) != BF_OK) {
        snprintf(err, errlen, "%s: %s", t->table, store_error(s));
        return -1;
    }
    return 0;
}

/* One table's rows per date, read once for a whole command: 16 bytes a
 * day, not a whole day_facts, as the cache keeps every table. */
typedef struct cached_table {
    int ready; /* 0 while one thread reads it: the others wait (filled) */
    char *column;
    table_facts facts; /* table, writer, exists, first, ndays; days NULL */
    int64_t *rows;     /* per day of facts */
    uint64_t *sums;    /* per day: a raw table's fingerprints */
} cached_table;

struct judge_cache {
    pthread_mutex_t lock;
    pthread_cond_t filled; /* a table became ready, or was dropped */
    int lookback;
    int raw_only; /* judge_cache_new_raw */
    cached_table **tables;
    size_t n;
    date_list calendar;
    bf_day cal_first, cal_last; /* what calendar covers; cal_last < cal_first: unread */
};

judge_cache *judge_cache_new(int lookback_days)
{
    judge_cache *c = calloc(1, sizeof *c);
    if (c && pthread_mutex_init(&c->lock, NULL) != 0) {
        free(c);
        return NULL;
    }
    if (c && pthread_cond_init(&c->filled, NULL) != 0) {
        pthread_mutex_destroy(&c->lock);
        free(c);
        return NULL;
    }
    if (c) {
        c->lookback = lookback_days;
        c->cal_first = 1;
    }
    return c;
}

judge_cache *judge_cache_new_raw(int lookback_days)
{
    judge_cache *c = judge_cache_new(lookback_days);
    if (c)
        c->raw_only = 1;
    return c;
}

static void table_free(cached_table *e)
{
    if (e) {
        free(e->column);
        free(e->facts.table);
        free(e->rows);
        free(e->sums);
    }
    free(e);
}

void judge_cache_free(judge_cache *c)
{
    for (size_t i = 0; c && i < c->n; i++)
        table_free(c->tables[i]);
    if (c) {
        free(c->tables);
        date_list_free(&c->calendar);
        pthread_cond_destroy(&c->filled);
        pthread_mutex_destroy(&c->lock);
    }
    free(c);
}

static int covers(const table_facts *wide, const table_facts *t)
{
    return t->first >= wide->first &&
           t->first + (bf_day)t->ndays <= wide->first + (bf_day)wide->ndays;
}

/* The entry of c that has, or is reading, t's rows of column; NULL if none.
 * Called with c's lock held. */
static cached_table *find(const judge_cache *c, const table_facts *t, const char *column)
{
    for (size_t i = 0; i < c->n; i++) {
        cached_table *e = c->tables[i];
        if (strcmp(e->facts.table, t->table) == 0 && strcmp(e->column, column) == 0 &&
            covers(&e->facts, t) && !e->facts.writer == !t->writer)
            return e;
    }
    return NULL;
}

/* A new entry for t over the cache's wider window, not ready, in c; NULL
 * on OOM. Called with c's lock held. */
static cached_table *add(judge_cache *c, const table_facts *t, const char *column)
{
    cached_table **grown = realloc(c->tables, (c->n + 1) * sizeof *grown);
    if (!grown)
        return NULL;
    c->tables = grown;
    cached_table *e = calloc(1, sizeof *e);
    if (!e)
        return NULL;
    e->column = strdup(column);
    e->facts.table = strdup(t->table);
    e->facts.writer = t->writer; /* NULL: fingerprinted as raw */
    e->facts.first = t->first - c->lookback;
    e->facts.ndays = t->ndays + (size_t)c->lookback;
    e->rows = calloc(e->facts.ndays, sizeof *e->rows);
    e->sums = calloc(e->facts.ndays, sizeof *e->sums);
    if (!e->column || !e->facts.table || !e->rows || !e->sums) {
        table_free(e);
        return NULL;
    }
    c->tables[c->n++] = e;
    return e;
}

/* Drop e, which failed to read, so that the next asker reads it again.
 * Called with c's lock held. */
static void drop(judge_cache *c, cached_table *e)
{
    for (size_t i = 0; i < c->n; i++)
        if (c->tables[i] == e) {
            c->tables[i] = c->tables[--c->n];
            break;
        }
    table_free(e);
}

/* t's rows per date from the cache, read over the cache's wider window the
 * first time the table is asked for: by this thread without the lock, while
 * any other asking for it waits. Called with c's lock held. */
static int count_cached(store *s, judge_cache *c, table_facts *t, const char *column, char *err,
                        size_t errlen)
{
    cached_table *e;
    while ((e = find(c, t, column)) && !e->ready)
        pthread_cond_wait(&c->filled, &c->lock);
    if (!e) {
        if (!(e = add(c, t, column))) {
            snprintf(err, errlen, "out of memory");
            return -1;
        }
        counts_sink k = {&e->facts, e->rows, e->sums};
        pthread_mutex_unlock(&c->lock);
        int rc = count_rows(s, &k, column, err, errlen);
        pthread_mutex_lock(&c->lock);
        e->ready = rc == 0;
        if (rc != 0)
            drop(c, e);
        pthread_cond_broadcast(&c->filled);
        if (rc != 0)
            return -1;
    }
    t->exists = e->facts.exists;
    size_t at = (size_t)(t->first - e->facts.first);
    for (size_t i = 0; i < t->ndays; i++) {
        t->days[i].rows = e->rows[at + i];
        t->days[i].checksum = e->sums[at + i];
    }
    return 0;
}

int judge_count_rows(store *s, judge_cache *c, table_facts *t, const char *column, char *err,
                     size_t errlen)
{
    if (!c || t->ndays == 0 || (c->raw_only && t->writer)) {
        counts_sink k = {t, NULL, NULL};
        return count_rows(s, &k, column, err, errlen);
    }
    pthread_mutex_lock(&c->lock);
    int rc = count_cached(s, c, t, column, err, errlen);
    pthread_mutex_unlock(&c->lock);
    return rc;
}

/* The calendar's days in [first, last], from the cache when it has them.
 * Called with c's lock held. */
static int calendar_cached(store *s, const bf_config *cfg, judge_cache *c, bf_day first,
                           bf_day last, date_list *out, char *err, size_t errlen)
{
    if (first < c->cal_first || last > c->cal_last) {
        date_list_free(&c->calendar);
        c->cal_first = first - c->lookback;
        c->cal_last = last;
        if (calendar_load(s, cfg, c->cal_first, c->cal_last, &c->calendar, err, errlen) != 0) {
            c->cal_last = c->cal_first - 1;
            return -1;
        }
    }
    for (size_t i = 0; i < c->calendar.n; i++)
        if (c->calendar.days[i] >= first && c->calendar.days[i] <= last &&
            date_list_push(out, c->calendar.days[i]) != 0) {
            snprintf(err, errlen, "out of memory");
            return -1;
        }
    return 0;
}

int judge_load_calendar(store *s, const bf_config *cfg, judge_cache *c, bf_day first, bf_day last,
                        date_list *out, char *err, size_t errlen)
{
    if (!c || c->raw_only)
        return calendar_load(s, cfg, first, last, out, err, errlen);
    pthread_mutex_lock(&c->lock);
    int rc = calendar_cached(s, cfg, c, first, last, out, err, errlen);
    pthread_mutex_unlock(&c->lock);
    return rc;
}
