/* preflight.c - per dependency: which expected dates the upstream holds
 * complete, as the judge sees it (one grouped query per table, never one
 * per date: over four seasons that would be thousands of round trips), and
 * which dates are blocked. */
#include "engine/preflight.h"
#include "engine/raw_inputs.h"

#include "plugin/plugin_config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

size_t preflight_dep_covered(const dep_coverage *dc)
{
    return dc->covered + dc->unverified + dc->waived;
}

/* Coverage of dependency k over the plan's expected dates, each judged
 * on its own date (the window matters for blocking, not for coverage). */
static int measure(const judgement *jg, const plan *pl, size_t k, dep_coverage *dc, char *err,
                   size_t errlen)
{
    dc->table_missing = !jg->deps[k].exists;
    for (size_t i = 0; i < pl->n; i++) {
        if (pl->dates[i].status == STATE_SKIPPED)
            continue;
        dc->expected++;
        switch (judge_upstream(jg, k, pl->dates[i].day)) {
        case UP_COVERED: dc->covered++; break;
        case UP_UNVERIFIED: dc->unverified++; break;
        case UP_PARTIAL: dc->partial++; break;
        case UP_WAIVED: dc->waived++; break;
        default:
            if (date_list_push(&dc->missing, pl->dates[i].day) != 0) {
                snprintf(err, errlen, "pre-flight: out of memory");
                return -1;
            }
        }
    }
    dc->passed =
        !dc->table_missing && judge_meets(preflight_dep_covered(dc), dc->expected, dc->threshold);
    return 0;
}

/* Count a date under note, keeping the first reason without its state. */
static void note_reason(struct reason_note *note, const char *why)
{
    const char *colon = strstr(why, ": ");
    const char *text = colon ? colon + 2 : why;
    if (note->n++ == 0)
        snprintf(note->why, sizeof note->why, "%s", text);
    else if (strcmp(note->why, text) != 0)
        note->mixed = 1;
}

int preflight_run(store *s, const bf_config *cfg, const graph *g, const plugin *p, plan *pl,
                  preflight_report *report, char *err, size_t errlen)
{
    return preflight_run_with(s, cfg, g, p, pl, NULL, report, err, errlen);
}

int preflight_run_with(store *s, const bf_config *cfg, const graph *g, const plugin *p, plan *pl,
                       const preflight_opts *opts, preflight_report *report, char *err,
                       size_t errlen)
{
    const preflight_opts none = {0};
    if (!opts)
        opts = &none;
    memset(report, 0, sizeof *report);
    report->deps = calloc(p->ndeps ? p->ndeps : 1, sizeof *report->deps);
    if (!report->deps) {
        snprintf(err, errlen, "pre-flight: out of memory");
        return -1;
    }
    report->n = p->ndeps;
    char why[768];
    if (judge_open_cached(&report->judge, s, cfg, g, p, pl, opts->cache, why, sizeof why) != 0) {
        snprintf(err, errlen, "pre-flight %s", why);
        return -1;
    }
    /* Dates first: a waived date of p's own is not expected of its upstream. */
    for (size_t i = 0; i < pl->n; i++) {
        date_entry *e = &pl->dates[i];
        verdict v;
        judge_date(&report->judge, e, &v);
        e->verdict = v.state;
        e->changed = v.changed;
        e->held_rows = v.rows;
        e->read_stamp = v.stamp;
        if (e->status == STATE_PENDING && v.state == STATE_WAIVED) {
            e->status = STATE_SKIPPED; /* a recorded exception: not run */
            plan_set_error(e, "%s", v.why);
            report->waived++;
            continue;
        }
        json_decref(e->raw);
        e->raw = e->status == STATE_SKIPPED || opts->no_stamps
                     ? NULL
                     : raw_inputs_stamp(&report->judge, e->day);
        if (e->status == STATE_PENDING && v.state == STATE_OUTDATED)
            note_reason(&report->outdated, v.why);
        else if (e->status == STATE_PENDING && v.state == STATE_STALE &&
                 strncmp(v.why, "stale: an upstream", 18) != 0)
            note_reason(&report->raw_stale, v.why);
        if (e->status != STATE_PENDING || (v.state != STATE_BLOCKED && v.state != STATE_ORPHANED))
            continue;
        e->status = STATE_BLOCKED;
        plan_set_error(e, "%s", v.why);
        report->blocked++;
        report->orphaned += v.state == STATE_ORPHANED;
    }
    for (size_t i = 0; i < p->ndeps; i++) {
        dep_coverage *dc = &report->deps[i];
        dc->dep = &p->deps[i];
        dc->threshold = plugin_config_threshold(cfg, p, i);
        if (measure(&report->judge, pl, i, dc, err, errlen) != 0)
            return -1;
        if (dc->dep->requirement == BF_REQUIRED && !dc->passed)
            report->refused = 1;
    }
    return 0;
}

void preflight_report_free(preflight_report *report)
{
    judge_close(&report->judge);
    for (size_t i = 0; i < report->n; i++)
        date_list_free(&report->deps[i].missing);
    free(report->deps);
    memset(report, 0, sizeof *report);
}
