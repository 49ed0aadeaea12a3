/* check_block.c - the quality checks of a block of dates, one grouped
 * query per check for the whole block (see check_block.h). */
#include "plugin/check_block.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct block_take {
    check_block *b;
    size_t check;
    int stray; /* failing rows for a date of the range that is not the block's */
} block_take;

static void take(void *udata, const char *date, const check_figures *f)
{
    block_take *t = udata;
    for (size_t k = 0; k < t->b->ndates; k++)
        if (strcmp(t->b->dates[k], date) == 0) {
            check_figures *to = &t->b->figures[t->check * t->b->ndates + k];
            to->rows += f->rows;
            to->failing += f->failing;
            return;
        }
    if (f->failing)
        t->stray = 1;
}

/* A sql check that names its date only as ?1 (never a bare ? or another
 * number) can be measured for many dates in one statement. */
static int unionable(const char *sql)
{
    int dated = 0;
    for (const char *p = sql; *p; p++)
        if (*p == '?') {
            if (p[1] != '1' || (p[2] >= '0' && p[2] <= '9'))
                return 0;
            dated = 1;
        }
    return dated;
}

/* Append text to buf of size at *n with %s as table and ?1 as ?k; -1 once
 * it does not fit. */
static int put_sql(char *buf, size_t size, size_t *n, const char *text, const char *table, size_t k)
{
    for (const char *p = text; *p; p++) {
        int w;
        if (p[0] == '%' && p[1] == 's') {
            w = snprintf(buf + *n, size - *n, "%s", table);
            p++;
        } else if (p[0] == '?') {
            w = snprintf(buf + *n, size - *n, "?%zu", k);
            p++;
        } else
            w = snprintf(buf + *n, size - *n, "%c", *p);
        if (w < 0 || (size_t)w >= size - *n)
            return -1;
        *n += (size_t)w;
    }
    return 0;
}

static int take_sql(void *udata, int ncols, const bf_value *v)
{
    block_take *t = udata;
    if (ncols >= 2 && v[0].type == BF_INT && v[0].v.i >= 0 && (size_t)v[0].v.i < t->b->ndates) {
        check_figures *to = &t->b->figures[t->check * t->b->ndates + (size_t)v[0].v.i];
        to->failing = v[1].type == BF_INT ? v[1].v.i : v[1].type == BF_REAL ? (int64_t)v[1].v.d : 0;
    }
    return 0;
}

/* sql check i for every date of the block in one statement: "SELECT 0,
 * (its query for dates[0]) UNION ALL SELECT 1, (...) ...". */
static int measure_sql(const bf_check *c, store *s, const char *table, block_take *t)
{
    const check_block *b = t->b;
    size_t size = b->ndates * (strlen(c->sql) + 4 * strlen(table) + 64) + 1, n = 0;
    char *sql = malloc(size);
    bf_value *params = malloc(b->ndates * sizeof *params);
    int rc = sql && params ? BF_OK : BF_ERROR;
    for (size_t k = 0; rc == BF_OK && k < b->ndates; k++) {
        int w = snprintf(sql + n, size - n, "%sSELECT %zu AS bf_k, (", k ? " UNION ALL " : "", k);
        n += w > 0 ? (size_t)w : 0;
        if (n >= size || put_sql(sql, size, &n, c->sql, table, k + 1) != 0 ||
            (w = snprintf(sql + n, size - n, ") AS bf_n")) < 0 || (size_t)w >= size - n)
            rc = BF_ERROR;
        else
            n += (size_t)w;
        params[k] = BF_V_TEXT(b->dates[k]);
    }
    if (rc == BF_OK)
        rc = store_query(s, sql, params, (int)b->ndates, take_sql, t);
    free(sql);
    free(params);
    return rc;
}

int check_block_measure(const check_set *cs, store *s, const char *table, const char *date_column,
                        const char *const *dates, size_t n, check_block *out)
{
    memset(out, 0, sizeof *out);
    if (!cs || !cs->n || !n)
        return 0;
    out->figures = calloc(cs->n * n, sizeof *out->figures);
    out->measured = calloc(cs->n, 1);
    if (!out->figures || !out->measured) {
        check_block_free(out);
        return 0;
    }
    out->ndates = n;
    out->nchecks = cs->n;
    out->dates = dates;
    int requests = 0;
    for (size_t i = 0; i < cs->n; i++) {
        const bf_check *c = &cs->checks[i];
        /* row_count needs no query (the core's own count); a sql check
         * written for one date is measured for each in one statement when
         * it names its date as ?1 only, else on each date alone. */
        if (c->kind == BF_CHECK_ROW_COUNT || (c->kind == BF_CHECK_SQL && !unionable(c->sql)))
            continue;
        block_take t = {out, i, 0};
        requests++;
        /* Failing rows of sql_by_date for a date of the range outside the
         * block (one the store holds no rows of) are the query's own
         * business: each date is then measured alone, where nothing else
         * is asked for. */
        if ((c->kind == BF_CHECK_SQL ? measure_sql(c, s, table, &t)
                                     : check_measure_range(s, c, table, date_column, dates[0],
                                                           dates[n - 1], take, &t)) == BF_OK &&
            !(t.stray && c->kind == BF_CHECK_SQL_BY_DATE))
            out->measured[i] = 1;
        else
            memset(&out->figures[i * n], 0, n * sizeof *out->figures);
    }
    return requests;
}

const check_figures *check_block_get(const check_block *b, size_t i, size_t k)
{
    if (!b || !b->measured || i >= b->nchecks || k >= b->ndates || !b->measured[i])
        return NULL;
    return &b->figures[i * b->ndates + k];
}

void check_block_free(check_block *b)
{
    free(b->figures);
    free(b->measured);
    memset(b, 0, sizeof *b);
}

int checks_block_date(const check_set *cs, const check_block *b, size_t k, store *s,
                      const char *table, const char *date_column, const char *date,
                      int64_t expected, int64_t actual, json_t **measured, char *why, size_t whylen,
                      int *permanent)
{
    const check_figures *pre[64];
    const check_figures *const *use = NULL;
    if (b && cs->n <= sizeof pre / sizeof pre[0]) {
        for (size_t i = 0; i < cs->n; i++)
            pre[i] = check_block_get(b, i, k);
        use = pre;
    }
    return checks_date_with(cs, use, s, table, date_column, date, expected, actual, measured, why,
                            whylen, permanent);
}
