/* window_proof.c - sampled dates built confined and whole, compared, and
 * the smallest wide-enough lookback searched per table at fault
 * (window_proof.h). */
#include "engine/window_proof.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine/window.h"
#include "engine/window_build.h"

size_t window_proof_sample(const plan *pl, size_t n, bf_day *out)
{
    size_t count = 0, picked = 0;
    for (size_t i = 0; i < pl->n; i++)
        count += pl->dates[i].status != STATE_SKIPPED;
    char *taken = calloc(count ? count : 1, 1);
    bf_day *days = malloc((count ? count : 1) * sizeof *days);
    if (!taken || !days || n == 0) {
        free(taken);
        free(days);
        return 0;
    }
    /* The expected dates; the first of each stretch after skipped
     * (bootstrap) days, or the plan's first, is picked first. */
    size_t k = 0;
    for (size_t i = 0; i < pl->n; i++) {
        if (pl->dates[i].status == STATE_SKIPPED)
            continue;
        if ((i == 0 || pl->dates[i - 1].status == STATE_SKIPPED) && picked < n) {
            taken[k] = 1;
            picked++;
        }
        days[k++] = pl->dates[i].day;
    }
    /* Then the middle of each of the equal slices of the rest. */
    size_t rest = n - picked < count - picked ? n - picked : count - picked;
    for (size_t s = 0; s < rest; s++) {
        size_t at = (2 * s + 1) * count / (2 * rest);
        while (taken[at])
            at = (at + 1) % count;
        taken[at] = 1;
    }
    size_t m = 0;
    for (size_t i = 0; i < count; i++)
        if (taken[i])
            out[m++] = days[i];
    free(taken);
    free(days);
    return m;
}

void window_report_free(window_report *r)
{
    free(r->findings);
    memset(r, 0, sizeof *r);
}

typedef struct prover {
    run_ctx ctx;
    window_table *tables;
    size_t ntables;
    int *spec; /* per table: the lookback of the next build, -1 whole */
    char *err;
    size_t errlen;
} prover;

/* Table t's declared window for day, in days before it: the calendar's is
 * the widest of the dependencies'. */
static int declared_at(const prover *pv, size_t t, bf_day day)
{
    int widest = 0;
    for (size_t k = 0; k < pv->ntables; k++) {
        if (!pv->tables[k].dep || (k != t && !pv->tables[t].calendar))
            continue;
        int days = day - window_start(pv->tables[k].declared, pv->ctx.cfg, day);
        widest = days > widest ? days : widest;
    }
    return widest;
}

/* Build day under pv->spec; 1 if it equals ref, 0 if not, -1 on a store
 * failure (in pv->err). */
static int same_as(prover *pv, bf_day day, const row_set *ref)
{
    row_set rows;
    if (window_build(&pv->ctx, pv->tables, pv->ntables, pv->spec, day, &rows, pv->err,
                     pv->errlen) != 0)
        return -1;
    int same = row_set_equal(&rows, ref);
    row_set_free(&rows);
    return same;
}

/* The smallest lookback of table t (the others whole) that builds day as
 * ref, its declared one known too narrow; -1 if none up to the table's
 * first date does (it reads rows after the date), -2 on a store failure.
 * Doubling, then halving: a wider window shows a superset of rows. */
static int smallest_lookback(prover *pv, size_t t, bf_day day, const row_set *ref)
{
    const window_table *w = &pv->tables[t];
    int lo = declared_at(pv, t, day), hi = lo, span = w->first ? day - w->first : 0;
    if (span <= lo)
        return -1;
    for (;;) {
        hi = hi * 2 > lo + 1 ? hi * 2 : lo + 1;
        if (hi > span)
            hi = span;
        pv->spec[t] = hi;
        int same = same_as(pv, day, ref);
        if (same < 0)
            return -2;
        if (same)
            break;
        if (hi == span)
            return -1;
        lo = hi;
    }
    while (hi - lo > 1) {
        int mid = lo + (hi - lo) / 2;
        pv->spec[t] = mid;
        int same = same_as(pv, day, ref);
        if (same < 0)
            return -2;
        if (same)
            hi = mid;
        else
            lo = mid;
    }
    return hi;
}

static void note_date(window_finding *f, bf_day day, int needed)
{
    char d[DATE_LEN];
    date_format(day, d);
    size_t len = strlen(f->dates);
    if (len + DATE_LEN + 6 < sizeof f->dates)
        snprintf(f->dates + len, sizeof f->dates - len, "%s%s", len ? ", " : "", d);
    else if (!strstr(f->dates, "..."))
        snprintf(f->dates + len, sizeof f->dates - len, ", ...");
    if (f->ndates == 0 || f->needed >= 0)
        f->needed = needed < 0 ? -1 : needed > f->needed ? needed : f->needed;
    f->ndates++;
}

/* Day's builds differ: which windows, confined alone, make it differ, and
 * how wide each must be. Returns 0, or -1 on a store failure. */
static int blame(prover *pv, bf_day day, const row_set *ref, window_finding *findings)
{
    for (size_t t = 0; t < pv->ntables; t++) {
        if (!pv->tables[t].confinable)
            continue;
        for (size_t k = 0; k < pv->ntables; k++)
            pv->spec[k] = k == t ? declared_at(pv, t, day) : WINDOW_WHOLE;
        int same = same_as(pv, day, ref);
        if (same < 0)
            return -1;
        if (same)
            continue;
        int needed = smallest_lookback(pv, t, day, ref);
        if (needed == -2)
            return -1;
        note_date(&findings[t], day, needed);
    }
    return 0;
}

/* One sampled date: built whole, then confined; blamed if they differ. */
static int prove_date(prover *pv, bf_day day, window_report *out)
{
    row_set ref, confined;
    for (size_t k = 0; k < pv->ntables; k++)
        pv->spec[k] = WINDOW_WHOLE;
    if (window_build(&pv->ctx, pv->tables, pv->ntables, pv->spec, day, &ref, pv->err, pv->errlen) !=
        0)
        return -1;
    char d[DATE_LEN];
    date_format(day, d);
    if (ref.failed) {
        out->differing++;
        if (!out->error[0])
            snprintf(out->error, sizeof out->error, "%s: with the whole tables: %.500s", d,
                     ref.rows[0]);
        row_set_free(&ref);
        return 0;
    }
    for (size_t k = 0; k < pv->ntables; k++)
        pv->spec[k] = declared_at(pv, k, day);
    int rc = window_build(&pv->ctx, pv->tables, pv->ntables, pv->spec, day, &confined, pv->err,
                          pv->errlen);
    if (rc == 0 && !row_set_equal(&confined, &ref)) {
        out->differing++;
        if (!out->first_date[0]) {
            static const char *const names[2] = {"confined", "whole-table"};
            memcpy(out->first_date, d, DATE_LEN);
            row_set_first_diff(&confined, &ref, names, out->first_diff, sizeof out->first_diff);
        }
        rc = blame(pv, day, &ref, out->findings);
    }
    if (rc == 0)
        row_set_free(&confined);
    row_set_free(&ref);
    return rc;
}

static int take_first(void *udata, int ncols, const bf_value *values)
{
    char why[64];
    if (ncols >= 1 && values[0].type == BF_TEXT &&
        date_parse(values[0].v.s, (bf_day *)udata, why, sizeof why) != 0)
        *(bf_day *)udata = 0;
    return 1;
}

/* The tables a build may confine: every dependency, then the calendar
 * (window: the widest declared) unless a dependency names it; each with
 * its earliest date. */
static int load_tables(prover *pv, const bf_config *cfg, const plugin *p)
{
    int widest = 0, cal_dep = 0;
    pv->tables = calloc(p->ndeps + 1, sizeof *pv->tables);
    pv->spec = calloc(p->ndeps + 1, sizeof *pv->spec);
    if (!pv->tables || !pv->spec) {
        snprintf(pv->err, pv->errlen, "out of memory");
        return -1;
    }
    for (size_t k = 0; k < p->ndeps; k++) {
        int cal = cfg->calendar_table && strcmp(cfg->calendar_table, p->deps[k].table) == 0;
        pv->tables[pv->ntables++] = (window_table){.table = p->deps[k].table,
                                                   .column = p->deps[k].date_column,
                                                   .declared = p->deps[k].lookback_days,
                                                   .calendar = cal,
                                                   .dep = 1};
        cal_dep |= cal;
        if (widest != BF_LOOKBACK_SEASON)
            widest =
                p->deps[k].lookback_days == BF_LOOKBACK_SEASON || p->deps[k].lookback_days > widest
                    ? p->deps[k].lookback_days
                    : widest;
    }
    if (cfg->calendar_table && !cal_dep)
        pv->tables[pv->ntables++] = (window_table){.table = cfg->calendar_table,
                                                   .column = cfg->calendar_column,
                                                   .declared = widest,
                                                   .calendar = 1};
    for (size_t k = 0; k < pv->ntables; k++) {
        window_table *w = &pv->tables[k];
        w->confinable = !strchr(w->table, '.');
        char sql[400];
        snprintf(sql, sizeof sql, "SELECT min(%s) FROM %s", w->column, w->table);
        /* A table that is not there (an optional one) is left whole. */
        if (store_core_query(pv->ctx.store, sql, NULL, 0, take_first, &w->first) != BF_OK)
            w->confinable = 0;
    }
    return 0;
}

int window_proof_run(const bf_config *cfg, const plugin *p, const bf_day *dates, size_t n,
                     window_report *out, char *err, size_t errlen)
{
    memset(out, 0, sizeof *out);
    prover pv = {.err = err, .errlen = errlen};
    store *s = NULL;
    if (store_open(cfg->store_conf, STORE_READ_WRITE, &s, err, errlen) != BF_OK)
        return -1;
    context_init(&pv.ctx, s, p, cfg);
    int rc = load_tables(&pv, cfg, p);
    if (rc == 0) {
        out->findings = calloc(pv.ntables ? pv.ntables : 1, sizeof *out->findings);
        if (!out->findings) {
            snprintf(err, errlen, "out of memory");
            rc = -1;
        }
        for (size_t k = 0; rc == 0 && k < pv.ntables; k++) {
            out->findings[k].table = pv.tables[k].table;
            out->findings[k].declared = pv.tables[k].declared;
            out->findings[k].calendar = pv.tables[k].calendar;
        }
        out->ntables = pv.ntables;
    }
    if (rc == 0 && context_open(&pv.ctx) != BF_OK) {
        snprintf(err, errlen, "%s: worker_init failed%s%s", p->path, pv.ctx.error[0] ? ": " : "",
                 pv.ctx.error);
        rc = -1;
    }
    for (size_t i = 0; rc == 0 && i < n; i++, out->sampled++)
        rc = prove_date(&pv, dates[i], out);
    if (context_close(&pv.ctx) != BF_OK && rc == 0) {
        snprintf(err, errlen, "%s: worker_fini failed: %s", p->path, pv.ctx.error);
        rc = -1;
    }
    free(pv.tables);
    free(pv.spec);
    store_close(s);
    if (rc != 0)
        window_report_free(out);
    return rc;
}
