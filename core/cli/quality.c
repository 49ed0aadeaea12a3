/* quality.c - `verify --quality PROCESSOR DATES`: every quality check of
 * the processor measured over the published rows of the range, one grouped
 * query per check (a sql check, once per date), per date and in total; the
 * dates failing a check are listed. Nothing is written. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "engine/audit.h"
#include "engine/calendar.h"
#include "plugin/check_measure.h"
#include "cli/cli.h"
#include "plugin/plugin_config.h"
#include "plugin/plugin_path.h"

/* At most this many failing dates are listed per check without --verbose. */
#define LIST_MAX 20

typedef struct quality {
    const bf_config *cfg;
    plugin p;
    check_set checks;
    store *s;
    date_selection sel;
    plan pl;
    check_figures *figs; /* per plan date, for the check being measured */
} quality;

static void quality_close(quality *q)
{
    free(q->figs);
    plan_free(&q->pl);
    store_close(q->s);
    date_selection_free(&q->sel);
    checks_free(&q->checks);
    loader_unload(&q->p);
}

static int quality_open(quality *q, const cli_options *o, const bf_config *cfg, char *err,
                        size_t errlen)
{
    memset(q, 0, sizeof *q);
    q->cfg = cfg;
    if (date_selection_parse(o->start_date, o->end_date, o->dates, o->dates_file, &q->sel, err,
                             errlen) != 0 ||
        plugin_path_load(cfg, o->processor, &q->p, err, errlen) != BF_OK ||
        plugin_config_sections(cfg, err, errlen) != 0 ||
        plugin_config_check(cfg, &q->p, err, errlen) != 0 ||
        checks_load(cfg, &q->p, &q->checks, err, errlen) != 0 ||
        store_open(cfg->store_conf, STORE_READ_ONLY, &q->s, err, errlen) != BF_OK)
        return -1;
    date_list calendar = {0};
    if (calendar_load(q->s, cfg, q->sel.first, q->sel.last, &calendar, err, errlen) != 0)
        return -1;
    int rc = plan_build(&q->pl, &calendar, &q->sel, cfg->seasons, cfg->nseasons,
                        loader_bootstrap_days(&q->p, cfg->bootstrap_days));
    date_list_free(&calendar);
    q->figs = calloc(q->pl.n ? q->pl.n : 1, sizeof *q->figs);
    if (rc != 0 || !q->figs) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    return 0;
}

static void take(void *udata, const char *date, const check_figures *f)
{
    quality *q = udata;
    char why[64];
    bf_day day;
    if (date_parse(date, &day, why, sizeof why) != 0)
        return;
    size_t lo = 0, hi = q->pl.n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (q->pl.dates[mid].day < day)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo < q->pl.n && q->pl.dates[lo].day == day) {
        q->figs[lo].rows = f->rows;
        q->figs[lo].failing = f->failing;
    }
}

/* validate_date's expected rows per date, on the published table: what a
 * row_count check compares with. */
static int expected_rows(quality *q, int64_t *expected, char *err, size_t errlen)
{
    run_ctx ctx;
    context_init(&ctx, q->s, &q->p, q->cfg);
    if (context_open(&ctx) != BF_OK) {
        snprintf(err, errlen, "%s: worker_init failed%s%s", q->p.path, ctx.error[0] ? ": " : "",
                 ctx.error);
        return -1;
    }
    /* A date validate_date fails on reads as expecting nothing: its row
     * count then fails the check, visibly. */
    for (size_t i = 0; i < q->pl.n; i++) {
        if (q->pl.dates[i].status == STATE_SKIPPED)
            continue;
        audit_result r;
        audit_published(&ctx, q->pl.dates[i].date, &r);
        expected[i] = r.expected;
    }
    if (context_close(&ctx) != BF_OK) {
        snprintf(err, errlen, "%s: worker_fini failed: %s", q->p.path, ctx.error);
        return -1;
    }
    return 0;
}

/* Measure check c into q->figs. Returns 0 or -1 with err. */
static int measure(quality *q, const bf_check *c, const int64_t *expected, char *err, size_t errlen)
{
    const bf_descriptor *d = q->p.desc;
    memset(q->figs, 0, q->pl.n * sizeof *q->figs);
    int rc = BF_OK;
    if (c->kind == BF_CHECK_SQL) {
        for (size_t i = 0; rc == BF_OK && i < q->pl.n; i++)
            if (q->pl.dates[i].status != STATE_SKIPPED)
                rc = check_measure_sql(q->s, c, d->output_table, q->pl.dates[i].date,
                                       &q->figs[i].failing);
    } else if (q->pl.n) {
        rc = check_measure_range(q->s, c, d->output_table, d->date_column, q->pl.dates[0].date,
                                 q->pl.dates[q->pl.n - 1].date, take, q);
    }
    for (size_t i = 0; expected && i < q->pl.n; i++)
        q->figs[i].expected = expected[i];
    if (rc != BF_OK)
        snprintf(err, errlen, "%s: check %s: %s", d->name, c->name, store_error(q->s));
    return rc == BF_OK ? 0 : -1;
}

/* Print check c's figures; returns how many dates fail it. */
static size_t report(const quality *q, const bf_check *c, int verbose, FILE *out, json_t *doc)
{
    char label[512], limit[96], desc[256];
    check_figures total = {0, 0, 0};
    size_t failing = 0, dates = 0;
    json_t *per_date = json_object(), *failed = json_array();
    for (size_t i = 0; i < q->pl.n; i++) {
        if (q->pl.dates[i].status == STATE_SKIPPED)
            continue;
        const check_figures *f = &q->figs[i];
        dates++;
        total.rows += f->rows;
        total.failing += f->failing;
        total.expected += f->expected;
        double v = check_value(c, f);
        json_object_set_new(per_date, q->pl.dates[i].date, json_real(isfinite(v) ? v : -1));
        if (!check_passes(c, f))
            json_array_append_new(failed, json_string(q->pl.dates[i].date));
    }
    failing = json_array_size(failed);
    fprintf(out, "  %-22s %s, limit %s\n", c->name, checks_label(c, label, sizeof label),
            checks_limit(c, limit, sizeof limit));
    fprintf(out, "    total: %s; %zu of %zu dates fail\n",
            check_describe(c, &total, 1, desc, sizeof desc), failing, dates);
    size_t listed = 0;
    for (size_t i = 0; i < q->pl.n; i++) {
        const check_figures *f = &q->figs[i];
        int passes = check_passes(c, f);
        if (q->pl.dates[i].status == STATE_SKIPPED || (passes && !verbose))
            continue;
        if (!verbose && listed++ == LIST_MAX) {
            fprintf(out, "    ... (--verbose lists every date)\n");
            break;
        }
        fprintf(out, "    %s %-4s %s\n", q->pl.dates[i].date, passes ? "ok" : "FAIL",
                check_describe(c, f, 1, desc, sizeof desc));
    }
    double tv = check_value(c, &total);
    json_array_append_new(doc, json_pack("{s:s, s:s, s:s, s:s, s:f, s:I, s:I, s:b, s:o, s:o}",
                                         "name", c->name, "kind", checks_kind_name(c->kind),
                                         "label", label, "limit", limit, "value",
                                         isfinite(tv) ? tv : -1, "rows", (json_int_t)total.rows,
                                         "failing", (json_int_t)total.failing, "passed",
                                         failing == 0, "failing_dates", failed, "dates", per_date));
    return failing;
}

int cmd_verify_quality(const cli_options *o, const bf_config *cfg)
{
    FILE *out = cli_narration(o);
    char err[1024];
    quality q;
    int64_t *expected = NULL;
    int rc = EXIT_USAGE, exists = 0;
    if (quality_open(&q, o, cfg, err, sizeof err) != 0)
        goto fail;
    const bf_descriptor *d = q.p.desc;
    if (store_table_exists(q.s, d->output_table, &exists) != BF_OK) {
        snprintf(err, sizeof err, "%s", store_error(q.s));
        goto fail;
    }
    if (!exists) {
        fprintf(stderr, "backfill: output table %s does not exist: nothing is published\n",
                d->output_table);
        rc = EXIT_DATES_FAILED;
        goto out;
    }
    if (checks_probe(&q.checks, q.s, d->name, d->output_table, d->date_column, err, sizeof err))
        goto fail;
    for (size_t i = 0; i < q.checks.n && !expected; i++) {
        if (q.checks.checks[i].kind != BF_CHECK_ROW_COUNT)
            continue;
        expected = calloc(q.pl.n ? q.pl.n : 1, sizeof *expected);
        if (!expected || expected_rows(&q, expected, err, sizeof err) != 0)
            goto fail;
    }
    fprintf(out, "quality of %s: %zu expected dates", d->output_table, q.pl.expected);
    if (q.pl.n)
        fprintf(out, " from %s to %s", q.pl.dates[0].date, q.pl.dates[q.pl.n - 1].date);
    fprintf(out, ", %zu check%s\n", q.checks.n, q.checks.n == 1 ? "" : "s");
    json_t *checks = json_array();
    size_t failed_checks = 0;
    rc = EXIT_DONE;
    for (size_t i = 0; i < q.checks.n; i++) {
        if (measure(&q, &q.checks.checks[i], expected, err, sizeof err) != 0) {
            json_decref(checks);
            goto fail;
        }
        failed_checks += report(&q, &q.checks.checks[i], o->verbose, out, checks) > 0;
    }
    if (failed_checks)
        rc = EXIT_DATES_FAILED;
    fprintf(out, "quality: %zu of %zu checks fail on some date\n", failed_checks, q.checks.n);
    if (o->json) {
        json_t *doc = json_pack("{s:s, s:I, s:i, s:o}", "processor", d->name, "expected_dates",
                                (json_int_t)q.pl.expected, "exit_code", rc, "checks", checks);
        json_dumpf(doc, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
        fputc('\n', stdout);
        json_decref(doc);
    } else {
        json_decref(checks);
    }
    goto out;
fail:
    fprintf(stderr, "backfill: %s\n", err);
    rc = EXIT_USAGE;
out:
    free(expected);
    quality_close(&q);
    return rc;
}
