/* batch.c - blocks of dates: one process_dates call computes a block into
 * one staging area (store_block_begin), and every date of it is then
 * counted, judged, checked, published and recorded on its own, exactly as
 * a date computed alone would be (audit_block_date). A block never holds a
 * date the run must leave alone, and one bad date never holds back the
 * others: it runs again alone through the per-date path (audit_date). */
#include "engine/batch.h"

#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/clock.h"
#include "base/log.h"
#include "plugin/model.h"

int batch_possible(const run_ctx *ctx)
{
    const model *m = ctx->plugin->model; /* a model: blocks for its dialects only */
    return ctx->plugin->process_dates != NULL && store_has_blocks(ctx->store) &&
           (!m || model_offers_blocks(m, store_dialect(ctx->store)));
}

size_t batch_take(date_entry *const *todo, size_t n, size_t max)
{
    if (n == 0)
        return 0;
    size_t k = 1;
    ptrdiff_t step = n > 1 ? todo[1] - todo[0] : 1;
    if (step != 1 && step != -1)
        return 1;
    while (k < n && k < max && todo[k] - todo[k - 1] == step)
        k++;
    return k;
}

size_t batch_size(int batch, int exact, size_t n, int workers)
{
    size_t b = batch > 1 ? (size_t)batch : 1;
    if (b > BATCH_MAX_DATES)
        b = BATCH_MAX_DATES;
    if (exact || b == 1 || n == 0)
        return b;
    size_t w = workers > 1 ? (size_t)workers : 1;
    size_t share = (n + w - 1) / w; /* ceil(n / workers) */
    return share < b ? share : b;
}

/* What block_rows saw: each date's rows, and a date outside the block. */
typedef struct block_count {
    const char *const *dates;
    size_t n;
    int64_t *rows;
    char outside[16];
} block_count;

static int take_count(void *udata, int ncols, const bf_value *v)
{
    block_count *c = udata;
    if (ncols < 2 || v[1].type != BF_INT)
        return 0;
    const char *d = v[0].type == BF_TEXT ? v[0].v.s : "";
    for (size_t i = 0; i < c->n; i++)
        if (strcmp(c->dates[i], d) == 0) {
            c->rows[i] = v[1].v.i;
            return 0;
        }
    snprintf(c->outside, sizeof c->outside, "%s", v[0].type == BF_TEXT ? d : "NULL");
    return 1;
}

/* process_dates over dates[0..n-1] into the block's staging area, and the
 * rows of each date counted. Returns 0, or -1 with why in err (every date
 * of the block then runs alone). */
static int compute(run_ctx *ctx, const char *const *dates, size_t n, int64_t *rows,
                   const char **block_table, char *err, size_t errlen)
{
    const plugin *p = ctx->plugin;
    const char *table = NULL;
    context_clear_error(ctx);
    if (store_block_begin(ctx->store, p->desc->output_table, p->desc->date_column, dates[0],
                          dates[n - 1], &table) != BF_OK) {
        snprintf(err, errlen, "opening the block: %s", store_error(ctx->store));
        return -1;
    }
    ctx->write_table = table;
    *block_table = table;
    int rc = context_process_dates(ctx, dates, n);
    ctx->write_table = NULL;
    if (context_refused(ctx, rc)) {
        snprintf(err, errlen, "%s", ctx->error);
        rc = BF_ERROR;
    } else if (rc != BF_OK) {
        char buf[32];
        snprintf(err, errlen, "process_dates returned %s%s%.440s",
                 context_status_name(rc, buf, sizeof buf), ctx->error[0] ? ": " : "", ctx->error);
    }
    if (store_block_end(ctx->store) != BF_OK && rc == BF_OK) {
        snprintf(err, errlen, "closing the block: %s", store_error(ctx->store));
        rc = BF_ERROR;
    }
    if (rc != BF_OK)
        return -1;
    block_count c = {dates, n, rows, ""};
    if (store_block_rows(ctx->store, take_count, &c) != BF_OK) {
        snprintf(err, errlen, "counting the block: %s", store_error(ctx->store));
        return -1;
    }
    if (c.outside[0]) {
        snprintf(err, errlen, "process_dates wrote rows for %s, outside its block %s..%s",
                 c.outside, dates[0], dates[n - 1]);
        return -1;
    }
    return 0;
}

/* What each date of the computed block is judged by, measured for the
 * whole block at once: its rows (rows[k]), its expected rows when the
 * processor gives them for a block (expected_dates; else each date asks
 * validate_date), and the declared checks, one grouped query each (a check
 * whose query failed is measured again on the date alone). */
static void judge_inputs(run_ctx *ctx, const char *const *dates, size_t n, const char *table,
                         const audit_policy *policy, const int64_t *rows, block_facts *facts,
                         check_block *checks)
{
    int64_t expected[BATCH_MAX_DATES];
    context_clear_error(ctx);
    int known = context_expected_dates(ctx, dates, n, expected) == BF_OK;
    if (!known && ctx->plugin->expected_dates)
        log_warn("block %s..%s: expected_dates failed%s%s; each date asks validate_date", dates[0],
                 dates[n - 1], ctx->error[0] ? ": " : "", ctx->error);
    context_clear_error(ctx);
    check_block_measure(policy->checks, ctx->store, table, ctx->plugin->desc->date_column, dates, n,
                        checks);
    for (size_t k = 0; k < n; k++) {
        facts[k].rows = rows[k];
        facts[k].expected = known ? expected[k] : -1;
        facts[k].checks = checks;
        facts[k].index = k;
    }
}

/* Every date of a failed block, alone. */
static void all_alone(run_ctx *ctx, date_entry *const *es, size_t n, const audit_policy *policy,
                      const char *why, audit_result *out)
{
    log_warn("block %s..%s: %s; its %zu dates run alone", es[0]->date, es[n - 1]->date, why, n);
    events_emit(policy->events, "block_failed",
                json_pack("{s:s, s:s, s:i, s:s}", "first", es[0]->date, "last", es[n - 1]->date,
                          "dates", (int)n, "error", why));
    for (size_t i = 0; i < n; i++) {
        memset(&out[i], 0, sizeof out[i]);
        if (policy->abandon && atomic_load(policy->abandon))
            continue; /* never ran: stays pending */
        audit_date(ctx, es[i]->date, policy, &out[i]);
    }
}

void batch_run(run_ctx *ctx, date_entry *const *es, size_t n, const audit_policy *policy,
               audit_result *out)
{
    const char *dates[BATCH_MAX_DATES];
    int64_t rows[BATCH_MAX_DATES];
    size_t order[BATCH_MAX_DATES]; /* dates[k] is es[order[k]]: oldest first */
    char err[600];
    if (n > BATCH_MAX_DATES)
        n = BATCH_MAX_DATES;
    int descending = n > 1 && es[1] < es[0];
    for (size_t k = 0; k < n; k++) {
        order[k] = descending ? n - 1 - k : k;
        dates[k] = es[order[k]]->date;
        rows[k] = 0;
    }
    log_set_scope(ctx->plugin->desc->name, NULL);
    for (size_t k = 0; k < n; k++)
        events_emit(policy->events, "date_started",
                    json_pack("{s:s, s:i, s:s, s:s}", "date", dates[k], "attempt", 1, "block_first",
                              dates[0], "block_last", dates[n - 1]));
    /* Before the block's snapshot: every date of it read what was
     * published below this. */
    int64_t read_seq = audit_publish_seq();
    double t0 = clock_now_ms();
    const char *table = NULL;
    if (compute(ctx, dates, n, rows, &table, err, sizeof err) != 0) {
        all_alone(ctx, es, n, policy, err, out);
        return;
    }
    block_facts facts[BATCH_MAX_DATES];
    check_block checks;
    judge_inputs(ctx, dates, n, table, policy, rows, facts, &checks);
    double share = (clock_now_ms() - t0) / (double)n;
    for (size_t k = 0; k < n; k++) {
        audit_result *r = &out[order[k]];
        if (audit_block_date(ctx, dates[k], policy, read_seq, &facts[k], r) == STATE_COMPLETE) {
            r->duration_ms += share;
            continue;
        }
        log_set_scope(ctx->plugin->desc->name, dates[k]);
        log_warn("in its block: %s; running it alone", r->error);
        log_set_scope(ctx->plugin->desc->name, NULL);
        json_decref(r->checks);
        double first = r->duration_ms + share;
        memset(r, 0, sizeof *r);
        if (policy->abandon && atomic_load(policy->abandon))
            continue; /* never ran alone: stays pending */
        audit_date(ctx, dates[k], policy, r);
        r->attempts += 1; /* the block's attempt */
        r->duration_ms += first;
    }
    check_block_free(&checks);
}
