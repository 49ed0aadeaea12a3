/* model_block.c - a model's blocks of dates: the entry points process_dates
 * and expected_dates of the SDK (plugin.h, "Blocks of dates") served by
 * the model's @process_block and @expected_block statements. A model
 * offers blocks only on a store whose dialect its @process_block serves;
 * elsewhere it runs per date. The core counts, checks, judges and
 * publishes each date of a block on its own, and retries a failing date
 * alone through @process, exactly as for a C plugin. */
#include "plugin/model.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "plugin/context.h"

static const model *model_of(bf_ctx *ctx)
{
    return ((run_ctx *)ctx)->plugin->model;
}

int model_offers_blocks(const model *m, const char *dialect)
{
    return m && model_stmt_for(m->process_block, dialect) != NULL &&
           model_stmt_for(m->process, dialect) != NULL;
}

/* st bound over a block, first..last and its n dates: a write (rows
 * NULL), or a query whose rows go to fn. */
static int run_block(bf_ctx *ctx, const model_stmt *st, const char *table, const char *first,
                     const char *last, const char *const *dates, size_t n, bf_row_fn fn,
                     void *udata)
{
    int nparams = model_nparams(st, n);
    bf_value *params = malloc((size_t)(nparams ? nparams : 1) * sizeof *params);
    const char *ends[2] = {first, last};
    char *sql = NULL;
    int rc = params ? model_ready(ctx, st, table, ends, dates, n, params, &sql)
                    : bf_set_error(ctx, BF_TRANSIENT, "out of memory");
    if (rc == BF_OK)
        rc = fn ? bf_query(ctx, sql, params, nparams, fn, udata)
                : bf_exec(ctx, sql, params, nparams);
    free(sql);
    free(params);
    return rc;
}

int model_process_dates(bf_ctx *ctx, const char *first, const char *last, const char *const *dates,
                        size_t n)
{
    const model *m = model_of(ctx);
    const char *dialect = bf_dialect(ctx);
    const model_stmt *block = model_stmt_for(m->process_block, dialect);
    const model_stmt *fallback = model_stmt_for(m->fallback, dialect);
    if (!block)
        return bf_set_error(ctx, BF_PERMANENT, "%s: no @process_block statement for the %s dialect",
                            m->path, dialect ? dialect : "(unnamed)");
    int present = 1;
    int rc = fallback ? model_inputs_present(ctx, m, &present) : BF_OK;
    if (rc != BF_OK)
        return rc;
    if (present)
        return run_block(ctx, block, bf_output_table(ctx), first, last, dates, n, NULL, NULL);
    /* An optional input is missing: @fallback, date by date, into the
     * block's staging area (each row carries its date). */
    for (size_t i = 0; rc == BF_OK && i < n; i++)
        rc = model_process_date(ctx, dates[i]);
    return rc;
}

/* What expected_dates collects: each listed date's rows, and a malformed
 * row (a date column that is not a date, a count that is not a number). */
typedef struct expected_rows {
    const char *const *dates;
    size_t n;
    int64_t *expected;
    int bad;
} expected_rows;

static int take_expected(void *udata, int ncols, const bf_value *v)
{
    expected_rows *r = udata;
    if (ncols < 2 || v[0].type != BF_TEXT || v[1].type != BF_INT || v[1].v.i < 0) {
        r->bad = 1;
        return 1;
    }
    for (size_t i = 0; i < r->n; i++)
        if (strcmp(r->dates[i], v[0].v.s) == 0)
            r->expected[i] = v[1].v.i;
    return 0;
}

/* @expected once per date: the dialect has no @expected_block. */
static int expected_each(bf_ctx *ctx, const model *m, const char *const *dates, size_t n,
                         int64_t *expected)
{
    const model_stmt *st = model_stmt_for(m->expected, bf_dialect(ctx));
    if (!st)
        return BF_ERROR;
    int rc = BF_OK;
    for (size_t i = 0; rc == BF_OK && i < n; i++) {
        bf_value params[MODEL_KEYS_MAX + 2];
        const char *date[1] = {dates[i]};
        char *sql;
        rc = model_ready(ctx, st, "", date, NULL, 0, params, &sql);
        if (rc == BF_OK)
            rc = bf_query_int(ctx, sql, params, model_nparams(st, 0), &expected[i]);
        free(sql);
    }
    return rc;
}

int model_expected_dates(bf_ctx *ctx, const char *const *dates, size_t n, int64_t *expected)
{
    const model *m = model_of(ctx);
    const model_stmt *st = model_stmt_for(m->expected_block, bf_dialect(ctx));
    if (n == 0)
        return BF_OK;
    if (!st)
        return expected_each(ctx, m, dates, n, expected);
    /* A date the statement returns no row for expects no rows. */
    for (size_t i = 0; i < n; i++)
        expected[i] = 0;
    expected_rows r = {dates, n, expected, 0};
    int rc = run_block(ctx, st, "", dates[0], dates[n - 1], dates, n, take_expected, &r);
    if (rc == BF_OK && r.bad)
        return bf_set_error(ctx, BF_PERMANENT,
                            "%s:%d: @expected_block returned a row that is not (date, rows); "
                            "write SELECT date, count(*) ... GROUP BY date",
                            m->path, st->line);
    return rc;
}

static int ignore_row(void *udata, int ncols, const bf_value *v)
{
    (void)udata, (void)ncols, (void)v;
    return 0;
}

/* The block statements this store will run now, probed before any date as
 * the per-date ones are: SQL that does not prepare is refused naming the
 * file and the line. */
static int probe_blocks(bf_ctx *ctx)
{
    const model *m = model_of(ctx);
    const char *dialect = bf_dialect(ctx);
    int present = 1;
    int rc = model_stmt_for(m->fallback, dialect) ? model_inputs_present(ctx, m, &present) : BF_OK;
    if (rc != BF_OK || !model_offers_blocks(m, dialect))
        return rc;
    /* While an optional input is missing a block runs @fallback per date. */
    if (present)
        rc = model_probe(ctx, m, model_stmt_for(m->process_block, dialect), "@process_block");
    const model_stmt *st = model_stmt_for(m->expected_block, dialect);
    if (rc != BF_OK || !st)
        return rc;
    run_ctx *c = (run_ctx *)ctx;
    const char *none[1] = {"1970-01-02"};
    rc = run_block(ctx, st, "", none[0], none[0], none, 1, ignore_row, NULL);
    if (rc == BF_OK || rc == BF_ERROR_NOTFOUND)
        return BF_OK;
    char why[sizeof c->error];
    snprintf(why, sizeof why, "%s", c->error);
    return bf_set_error(ctx, BF_PERMANENT,
                        "%s:%d: the @expected_block statement does not prepare on %s: %s", m->path,
                        st->line, dialect, why);
}

int model_block_worker_init(bf_ctx *ctx, void **user)
{
    int rc = model_worker_init(ctx, user);
    return rc == BF_OK ? probe_blocks(ctx) : rc;
}
