/* judge.c - facts from the store and the checkpoints, and the verdict on
 * each date drawn from them (see judge.h for the rules). */
#include "engine/judge.h"

#include <math.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine/calendar.h"
#include "engine/judge_cache.h"
#include "engine/raw_days.h"
#include "engine/raw_inputs.h"
#include "engine/upstream_facts.h"
#include "engine/window.h"
#include "state/checkpoint.h"
#include "state/checkpoint_records.h"
#include "engine/preflight.h"

static int64_t get_int(const json_t *rec, const char *key, int64_t dflt)
{
    const json_t *v = json_object_get(rec, key);
    return json_is_integer(v) ? json_integer_value(v) : dflt;
}

/* What the writer's checkpoint records per date. The checkpoint object is
 * kept alive by the caller (error strings point into it). */
static void read_records(const checkpoint *cp, table_facts *t)
{
    const json_t *dates = json_object_get(cp->root, "dates");
    const char *date;
    json_t *rec;
    json_object_foreach((json_t *)dates, date, rec)
    {
        char why[64];
        bf_day d;
        day_facts *f;
        if (date_parse(date, &d, why, sizeof why) != 0 || !(f = judge_day_at(t, d)))
            continue;
        f->status = date_state_parse(json_string_value(json_object_get(rec, "status")));
        f->published_rows = get_int(rec, "published_rows", -1);
        f->published_seq = get_int(rec, "published_seq", 0);
        f->read_stamp = get_int(rec, "read_stamp", 0);
        f->error = json_string_value(json_object_get(rec, "error"));
        f->expected = get_int(rec, "expected", -1);
        f->code = json_string_value(json_object_get(rec, "code"));
        f->config = json_string_value(json_object_get(rec, "config"));
        f->raw = json_object_get(rec, "raw");
        f->read_seq = get_int(rec, "read_seq", 0);
    }
}

/* What the scan of p's own checkpoint says (checkpoint_records.h): the
 * same facts read_records takes from its tree. */
static void read_scanned(const scanned_records *r, table_facts *t)
{
    for (size_t i = 0; i < r->n; i++) {
        const scanned_record *x = &r->recs[i];
        day_facts *f = judge_day_at(t, x->d.day);
        if (!f)
            continue;
        f->status = x->d.status;
        f->published_rows = x->d.published_rows;
        f->published_seq = x->d.published_seq;
        f->read_stamp = x->read_stamp;
        f->error = x->error;
        f->expected = x->expected;
        f->code = x->code;
        f->config = x->config;
        f->raw = NULL;
        f->raw_scanned = x->has_raw ? r->raw + x->raw_at : NULL;
        f->nraw_scanned = x->nraw;
        f->read_seq = x->read_seq;
    }
}

/* The checkpoints read for one judgement, kept open while it lives. */
struct judge_state {
    scanned_records own_scan; /* p's own, when read by the scan */
    checkpoint *cps;
    size_t n;
    const checkpoint *own; /* the plan's, borrowed: p's own records */
    judge_cache *cache;    /* borrowed, or NULL */
    /* Whether each day of [cal_first, cal_first + ncal) is a calendar day
     * (jg->calendar as a table, for expects). */
    unsigned char *is_cal;
    bf_day cal_first;
    size_t ncal;
};
typedef struct judge_state judge_state;

static int load_table(judgement *jg, judge_state *st, store *s, table_facts *t, const char *column,
                      const plugin *writer, bf_day first, bf_day last, char *err, size_t errlen)
{
    t->writer = writer;
    t->first = first;
    t->ndays = last >= first ? (size_t)(last - first + 1) : 0;
    t->days = calloc(t->ndays ? t->ndays : 1, sizeof *t->days);
    if (!t->days) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    for (size_t i = 0; i < t->ndays; i++)
        t->days[i] = (day_facts){.status = -1, .published_rows = -1, .expected = -1};
    if (judge_count_rows(s, st->cache, t, column, err, errlen) != 0)
        return -1;
    if (!writer)
        return 0;
    t->bootstrap_days = loader_bootstrap_days(writer, jg->cfg->bootstrap_days);
    if (writer == jg->p && st->own) {
        read_records(st->own, t);
        jg->raw_days = json_object_get(st->own->root, "raw_days");
        return 0;
    }
    /* p's own records, scanned without a tree; a file the scan refuses
     * is opened below, which names the fault. */
    if (writer == jg->p &&
        upstream_facts_own(jg->cfg->state_dir, writer->desc->name, &st->own_scan) >= 0) {
        read_scanned(&st->own_scan, t);
        jg->raw_days_src = raw_days_source_new(jg->cfg->state_dir, writer->desc->name);
        return 0;
    }
    /* An upstream's publish records, scanned once (upstream_facts.h). */
    if (writer != jg->p && upstream_facts_fill(jg->cfg->state_dir, writer->desc->name, t) == 0)
        return 0;
    checkpoint *cp = &st->cps[st->n];
    if (checkpoint_open(cp, jg->cfg->state_dir, writer->desc->name, err, errlen) != 0)
        return -1;
    st->n++;
    read_records(cp, t);
    if (writer == jg->p)
        jg->raw_days = json_object_get(cp->root, "raw_days");
    return 0;
}

/* st's table of the calendar's days over [first, last]. 0, or -1 on OOM. */
static int calendar_table(judge_state *st, const date_list *cal, bf_day first, bf_day last)
{
    st->cal_first = first;
    st->ncal = last >= first ? (size_t)(last - first + 1) : 0;
    st->is_cal = calloc(st->ncal ? st->ncal : 1, 1);
    if (!st->is_cal)
        return -1;
    for (size_t i = 0; i < cal->n; i++)
        if (cal->days[i] >= first && (size_t)(cal->days[i] - first) < st->ncal)
            st->is_cal[cal->days[i] - first] = 1;
    return 0;
}

/* Whether day is a day of jg's calendar. */
static int calendar_has(const judgement *jg, bf_day day)
{
    const judge_state *st = jg->state;
    if (st && st->is_cal && day >= st->cal_first && (size_t)(day - st->cal_first) < st->ncal)
        return st->is_cal[day - st->cal_first];
    return date_list_contains(&jg->calendar, day);
}

/* The processor in g writing table, or NULL. */
static const plugin *writer_of(const graph *g, const plugin *reader, size_t k)
{
    if (!g)
        return NULL;
    size_t self = graph_find(g, reader->desc->name);
    if (self == GRAPH_NONE || g->nodes[self].writer[k] == GRAPH_NONE)
        return NULL;
    return &g->nodes[g->nodes[self].writer[k]].p;
}

static int open_judgement(judgement *jg, store *s, const bf_config *cfg, const graph *g,
                          const plugin *p, const plan *pl, judge_cache *cache, char *err,
                          size_t errlen)
{
    memset(jg, 0, sizeof *jg);
    jg->cfg = cfg;
    jg->p = p;
    snprintf(jg->code, sizeof jg->code, "%s", p->code);
    plugin_config_fingerprint(cfg, p, jg->config, sizeof jg->config);
    judge_state *st = calloc(1, sizeof *st);
    jg->deps = calloc(p->ndeps ? p->ndeps : 1, sizeof *jg->deps);
    if (st) {
        st->cps = calloc(p->ndeps + 1, sizeof *st->cps);
        st->cache = cache;
        st->own = pl->own;
    }
    jg->state = st;
    if (!st || !st->cps || !jg->deps) {
        snprintf(err, errlen, "out of memory");
        goto fail;
    }
    /* An empty plan still asks whether each table exists. */
    bf_day first = pl->n ? pl->dates[0].day : 1, last = pl->n ? pl->dates[pl->n - 1].day : 0;
    bf_day earliest = first;
    for (size_t k = 0; k < p->ndeps; k++)
        if (window_start(p->deps[k].lookback_days, cfg, first) < earliest)
            earliest = window_start(p->deps[k].lookback_days, cfg, first);
    if (pl->n &&
        judge_load_calendar(s, cfg, cache, earliest, last, &jg->calendar, err, errlen) != 0)
        goto fail;
    if (pl->n && calendar_table(st, &jg->calendar, earliest, last) != 0) {
        snprintf(err, errlen, "out of memory");
        goto fail;
    }
    if (cfg->calendar_table) {
        jg->cal.table = strdup(cfg->calendar_table);
        if (!jg->cal.table || load_table(jg, st, s, &jg->cal, cfg->calendar_column, NULL, earliest,
                                         last, err, errlen) != 0)
            goto fail;
    }
    jg->own.table = strdup(p->desc->output_table);
    if (!jg->own.table ||
        load_table(jg, st, s, &jg->own, p->desc->date_column, p, first, last, err, errlen) != 0)
        goto fail;
    for (size_t k = 0; k < p->ndeps; k++) {
        const bf_dependency *dep = &p->deps[k];
        jg->deps[k].table = strdup(dep->table);
        if (!jg->deps[k].table ||
            load_table(jg, st, s, &jg->deps[k], dep->date_column, writer_of(g, p, k),
                       window_start(dep->lookback_days, cfg, first), last, err, errlen) != 0)
            goto fail;
    }
    return 0;
fail:
    judge_close(jg);
    return -1;
}

int judge_open(judgement *jg, store *s, const bf_config *cfg, const graph *g, const plugin *p,
               const plan *pl, char *err, size_t errlen)
{
    return open_judgement(jg, s, cfg, g, p, pl, NULL, err, errlen);
}

int judge_open_cached(judgement *jg, store *s, const bf_config *cfg, const graph *g,
                      const plugin *p, const plan *pl, judge_cache *cache, char *err, size_t errlen)
{
    return open_judgement(jg, s, cfg, g, p, pl, cache, err, errlen);
}

void judge_close(judgement *jg)
{
    judge_state *st = jg->state;
    if (st) {
        for (size_t i = 0; i < st->n; i++)
            checkpoint_close(&st->cps[i]);
        checkpoint_records_free(&st->own_scan);
        free(st->is_cal);
        free(st->cps);
        free(st);
    }
    free(jg->own.table);
    free(jg->own.days);
    free(jg->cal.table);
    free(jg->cal.days);
    for (size_t k = 0; jg->deps && jg->p && k < jg->p->ndeps; k++) {
        free(jg->deps[k].table);
        free(jg->deps[k].days);
    }
    free(jg->deps);
    date_list_free(&jg->calendar);
    raw_days_source_free(jg->raw_days_src);
    memset(jg, 0, sizeof *jg);
}

static int upstream_of(const table_facts *t, bf_day day)
{
    const day_facts *f = judge_day_at(t, day);
    if (!t->exists || !f || f->rows == 0)
        return UP_MISSING;
    if (!t->writer)
        return UP_COVERED; /* a raw table: presence */
    if (f->published_seq && f->rows == f->published_rows)
        return UP_COVERED;
    /* Rows backfill never recorded were written by another tool before it:
     * presence, reported apart. A record without a publish, or rows that
     * differ from what was published, are partial. */
    return f->status < 0 && !f->published_seq ? UP_UNVERIFIED : UP_PARTIAL;
}

int judge_upstream(const judgement *jg, size_t k, bf_day day)
{
    int up = upstream_of(&jg->deps[k], day);
    if ((up == UP_MISSING || up == UP_PARTIAL) &&
        waivers_find(jg->cfg->waivers, jg->cfg->nwaivers, jg->deps[k].table, day))
        return UP_WAIVED;
    return up;
}

/* Whether dependency k expects rows on day: a calendar day that is not
 * one of its writer's bootstrap days. */
static int expects(const judgement *jg, size_t k, bf_day day)
{
    const table_facts *t = &jg->deps[k];
    if (!calendar_has(jg, day))
        return 0;
    return !t->writer ||
           !plan_is_bootstrap(jg->cfg->seasons, jg->cfg->nseasons, t->bootstrap_days, day);
}

int64_t judge_stamp(const judgement *jg, bf_day day)
{
    /* Wrapping unsigned sums: any republish in any window changes it. */
    uint64_t stamp = 0;
    for (size_t k = 0; k < jg->p->ndeps; k++) {
        const table_facts *t = &jg->deps[k];
        if (!t->writer)
            continue;
        for (bf_day w = window_start(jg->p->deps[k].lookback_days, jg->cfg, day); w <= day; w++) {
            const day_facts *f = judge_day_at(t, w);
            if (f && f->rows > 0)
                stamp += (uint64_t)f->published_seq * (k + 1) + (uint64_t)f->rows;
        }
    }
    return (int64_t)(stamp & INT64_MAX);
}

/* The first required upstream date in day's window that is missing or
 * partial; *why says which. */
static int blocked(const judgement *jg, bf_day day, char *why, size_t whylen)
{
    for (size_t k = 0; k < jg->p->ndeps; k++) {
        const bf_dependency *dep = &jg->p->deps[k];
        if (dep->requirement != BF_REQUIRED)
            continue;
        for (bf_day w = window_start(dep->lookback_days, jg->cfg, day); w <= day; w++) {
            if (!expects(jg, k, w))
                continue;
            int up = judge_upstream(jg, k, w);
            if (up != UP_MISSING && up != UP_PARTIAL)
                continue;
            char d[DATE_LEN];
            date_format(w, d);
            const day_facts *f = judge_day_at(&jg->deps[k], w);
            if (up == UP_MISSING)
                snprintf(why, whylen, "blocked: required upstream %s has no rows for %s",
                         dep->table, d);
            else
                snprintf(why, whylen,
                         "blocked: required upstream %s is partial on %s (%lld rows, %lld "
                         "published)",
                         dep->table, d, (long long)f->rows, (long long)f->published_rows);
            return 1;
        }
    }
    return 0;
}

/* Whether an upstream date in day's windows changed after the published
 * date f read it: published with a sequence above the one f took just
 * before its read snapshot (what the date actually read, however its run
 * overlapped the upstream's). A record from before read sequences compares
 * the stamp of the upstream sequences its run saw when it started. */
static int read_changed(const judgement *jg, bf_day day, const day_facts *f, int64_t stamp)
{
    if (!f->read_seq)
        return stamp != f->read_stamp;
    for (size_t k = 0; k < jg->p->ndeps; k++) {
        if (!jg->deps[k].writer)
            continue;
        for (bf_day w = window_start(jg->p->deps[k].lookback_days, jg->cfg, day); w <= day; w++) {
            const day_facts *u = judge_day_at(&jg->deps[k], w);
            if (u && u->published_seq > f->read_seq)
                return 1;
        }
    }
    return 0;
}

/* Whether the published rows of f were built by other code or config
 * than p's now; *why says which, old -> new. */
static int outdated(const judgement *jg, const day_facts *f, char *why, size_t whylen)
{
    if (!f->code || !f->config)
        snprintf(why, whylen, "outdated: published before backfill recorded code versions");
    else if (strcmp(f->code, jg->code) != 0)
        snprintf(why, whylen, "outdated: code changed (%s -> %s)", f->code, jg->code);
    else if (strcmp(f->config, jg->config) != 0)
        snprintf(why, whylen, "outdated: config of processors.%s changed (%s -> %s)",
                 jg->p->desc->name, f->config, jg->config);
    else
        return 0;
    return 1;
}

/* A date of p's own table that is not complete, yet covered by a waiver,
 * is waived (orphaned, stale and unverified dates hold rows: they stay). */
static void waive(const judgement *jg, bf_day day, verdict *v)
{
    static const int waivable[] = {STATE_MISSING, STATE_PARTIAL, STATE_FAILED, STATE_CHECK_FAILED,
                                   STATE_BLOCKED};
    const config_waiver *w = NULL;
    for (size_t i = 0; i < sizeof waivable / sizeof waivable[0] && !w; i++)
        if (v->state == waivable[i])
            w = waivers_find(jg->cfg->waivers, jg->cfg->nwaivers, jg->own.table, day);
    if (!w)
        return;
    char until[DATE_LEN];
    date_format(w->expires, until);
    v->state = STATE_WAIVED;
    snprintf(v->why, sizeof v->why, "waived: %.120s (approved by %.60s, until %s; %s:%d)",
             w->reason, w->approved_by, until, jg->cfg->path, w->line);
}

void judge_date(const judgement *jg, const date_entry *e, verdict *v)
{
    memset(v, 0, sizeof *v);
    const day_facts none = {.status = -1, .published_rows = -1, .expected = -1};
    const day_facts *f = judge_day_at(&jg->own, e->day);
    if (!f || !jg->own.exists)
        f = &none;
    v->rows = f->rows;
    v->published_rows = f->published_rows;
    v->expected = f->expected;
    v->stamp = judge_stamp(jg, e->day);
    int published = f->published_seq != 0;
    v->changed = f->status == STATE_COMPLETE && published && f->rows != f->published_rows;
    if (e->status == STATE_SKIPPED) {
        v->state = STATE_SKIPPED;
    } else if (blocked(jg, e->day, v->why, sizeof v->why)) {
        v->state = f->rows > 0 ? STATE_ORPHANED : STATE_BLOCKED;
    } else if (published && f->rows == f->published_rows) {
        if (outdated(jg, f, v->why, sizeof v->why)) {
            v->state = STATE_OUTDATED;
        } else if (f->rows > 0 && read_changed(jg, e->day, f, v->stamp)) {
            v->state = STATE_STALE;
            snprintf(v->why, sizeof v->why,
                     "stale: an upstream date in its window was republished since");
        } else if ((f->raw && raw_inputs_changed(jg, f->raw, e->day, v->why, sizeof v->why)) ||
                   (f->raw_scanned &&
                    raw_inputs_changed_scanned(jg, f->raw_scanned, f->nraw_scanned, e->day, v->why,
                                               sizeof v->why))) {
            v->state = STATE_STALE;
        } else {
            v->state = STATE_COMPLETE; /* an empty date: validated as empty, still empty */
        }
    } else if (published && f->rows == 0) {
        /* Its rows were deleted since: no rows is missing, whatever the
         * checkpoint says (as upstream_of sees it too). */
        v->state = STATE_MISSING;
        snprintf(v->why, sizeof v->why, "holds no rows, %lld were published",
                 (long long)f->published_rows);
    } else if (published) {
        v->state = STATE_PARTIAL;
        snprintf(v->why, sizeof v->why, "holds %lld rows, %lld were published", (long long)f->rows,
                 (long long)f->published_rows);
    } else if (f->status == STATE_FAILED || f->status == STATE_PARTIAL ||
               f->status == STATE_CHECK_FAILED) {
        /* A failed quality check is recorded as such by the run; too few
         * rows, rolled back, leaves nothing: the date failed. */
        v->state = f->rows > 0                       ? STATE_UNVERIFIED
                   : f->status == STATE_CHECK_FAILED ? STATE_CHECK_FAILED
                                                     : STATE_FAILED;
        snprintf(v->why, sizeof v->why, "%s", f->error ? f->error : "the last attempt failed");
    } else {
        v->state = f->rows > 0 ? STATE_UNVERIFIED : STATE_MISSING;
    }
    waive(jg, e->day, v);
}

int judge_range(store *s, const bf_config *cfg, const graph *g, const plugin *p,
                const date_selection *sel, judge_fn fn, void *udata, char *err, size_t errlen)
{
    return judge_range_cached(s, cfg, g, p, sel, NULL, fn, udata, err, errlen);
}

int judge_range_cached(store *s, const bf_config *cfg, const graph *g, const plugin *p,
                       const date_selection *sel, judge_cache *cache, judge_fn fn, void *udata,
                       char *err, size_t errlen)
{
    date_list calendar = {0};
    plan pl;
    judgement jg;
    memset(&pl, 0, sizeof pl);
    if (judge_load_calendar(s, cfg, cache, sel->first, sel->last, &calendar, err, errlen) != 0) {
        date_list_free(&calendar);
        return -1;
    }
    int rc = plan_build(&pl, &calendar, sel, cfg->seasons, cfg->nseasons,
                        loader_bootstrap_days(p, cfg->bootstrap_days));
    date_list_free(&calendar);
    if (rc != 0) {
        snprintf(err, errlen, "out of memory");
        plan_free(&pl);
        return -1;
    }
    if (open_judgement(&jg, s, cfg, g, p, &pl, cache, err, errlen) != 0) {
        plan_free(&pl);
        return -1;
    }
    for (size_t i = 0; i < pl.n; i++) {
        verdict v;
        judge_date(&jg, &pl.dates[i], &v);
        fn(udata, &pl.dates[i], &v);
    }
    judge_close(&jg);
    plan_free(&pl);
    return 0;
}

int judge_table_passes(const size_t states[STATE_COUNT], size_t expected, double min_coverage)
{
    return judge_meets(states[STATE_COMPLETE] + states[STATE_UNVERIFIED] + states[STATE_WAIVED],
                       expected, min_coverage) &&
           !states[STATE_STALE] && !states[STATE_ORPHANED] && !states[STATE_PARTIAL] &&
           !states[STATE_OUTDATED];
}

double judge_coverage(size_t covered, size_t expected)
{
    return expected ? (double)covered / (double)expected : 1.0;
}

int judge_meets(size_t covered, size_t expected, double threshold)
{
    /* ceil with a small guard: 0.95 * 20 is 19.000000000000004 in binary. */
    double need = ceil(threshold * (double)expected - 1e-9);
    return (double)covered >= need;
}
