/* check_block.c - the quality checks of a block of dates, one grouped
 * query per check for the whole block (see check_block.h). */
#include "plugin/check_block.h"

#include <stdlib.h>
#include <string.h>

typedef struct block_take {
    check_block *b;
    size_t check;
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
        /* row_count needs no query (the core's own count); sql counts one
         * date per statement. */
        if (c->kind == BF_CHECK_ROW_COUNT || c->kind == BF_CHECK_SQL)
            continue;
        block_take t = {out, i};
        requests++;
        if (check_measure_range(s, c, table, date_column, dates[0], dates[n - 1], take, &t) ==
            BF_OK)
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
