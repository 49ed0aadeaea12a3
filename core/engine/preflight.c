/* preflight.c - per dependency: which expected dates the upstream holds
 * complete, as the judge sees it (one grouped query per table, never one
 * per date: over four seasons that would be thousands of round trips), and
 * which dates are blocked. */
#include "engine/preflight.h"

#include "plugin/plugin_config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

double preflight_coverage(size_t covered, size_t expected)
{
    return expected ? (double)covered / (double)expected : 1.0;
}

int preflight_meets(size_t covered, size_t expected, double threshold)
{
    /* ceil with a small guard: 0.95 * 20 is 19.000000000000004 in binary. */
    double need = ceil(threshold * (double)expected - 1e-9);
    return (double)covered >= need;
}

/* Coverage of dependency k over the plan's expected dates, each judged
 * on its own date (the window matters for blocking, not for coverage). */
static int measure(const judgement *jg, const plan *pl, size_t k, dep_coverage *dc, char *err,
                   size_t errlen)
{
    dc->table_missing = !jg->deps[k].exists;
    for (size_t i = 0; i < pl->n; i++) {
        if (pl->dates[i].status == DATE_SKIPPED)
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
    dc->passed = !dc->table_missing && preflight_meets(dc->covered + dc->unverified + dc->waived,
                                                       dc->expected, dc->threshold);
    return 0;
}

int preflight_run(store *s, const bf_config *cfg, const graph *g, const plugin *p, plan *pl,
                  preflight_report *report, char *err, size_t errlen)
{
    memset(report, 0, sizeof *report);
    report->deps = calloc(p->ndeps ? p->ndeps : 1, sizeof *report->deps);
    if (!report->deps) {
        snprintf(err, errlen, "pre-flight: out of memory");
        return -1;
    }
    report->n = p->ndeps;
    char why[768];
    if (judge_open(&report->judge, s, cfg, g, p, pl, why, sizeof why) != 0) {
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
        if (e->status == DATE_PENDING && v.state == STATE_WAIVED) {
            e->status = DATE_SKIPPED; /* a recorded exception: not run */
            plan_set_error(e, "%s", v.why);
            report->waived++;
            continue;
        }
        if (e->status != DATE_PENDING || (v.state != STATE_BLOCKED && v.state != STATE_ORPHANED))
            continue;
        e->status = DATE_BLOCKED;
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

void preflight_print(const preflight_report *report, const plugin *p, int verbose, FILE *out)
{
    fprintf(out, "pre-flight for %s:\n", p->desc->name);
    if (report->n == 0)
        fprintf(out, "  (no dependencies)\n");
    size_t width = 5;
    for (size_t i = 0; i < report->n; i++)
        if (strlen(report->deps[i].dep->table) > width)
            width = strlen(report->deps[i].dep->table);
    for (size_t i = 0; i < report->n; i++) {
        const dep_coverage *dc = &report->deps[i];
        int required = dc->dep->requirement == BF_REQUIRED;
        const char *mark = dc->passed ? "ok  " : required ? "FAIL" : "warn";
        size_t covered = dc->covered + dc->unverified + dc->waived;
        char waived[48] = "";
        if (dc->waived)
            snprintf(waived, sizeof waived, "  %zu waived", dc->waived);
        fprintf(out,
                "  %s %-*s %zu/%zu (%.1f%%)  %zu missing  %zu partial  %zu unverified%s  %s, "
                "needs %.1f%%%s\n",
                mark, (int)width, dc->dep->table, covered, dc->expected,
                100.0 * preflight_coverage(covered, dc->expected), dc->missing.n, dc->partial,
                dc->unverified, waived, required ? "required" : "optional", 100.0 * dc->threshold,
                dc->table_missing ? "  (table does not exist)" : "");
        if (verbose) {
            for (size_t k = 0; k < dc->missing.n; k++) {
                char d[DATE_LEN];
                date_format(dc->missing.days[k], d);
                fprintf(out, "       missing %s\n", d);
            }
        }
    }
    if (report->blocked)
        fprintf(out,
                "  %zu date%s blocked: a required upstream date in the window is missing or "
                "partial\n",
                report->blocked, report->blocked == 1 ? "" : "s");
    if (report->waived)
        fprintf(out, "  %zu date%s waived (config waivers): not run\n", report->waived,
                report->waived == 1 ? "" : "s");
    if (report->orphaned)
        fprintf(out,
                "  %zu of them orphaned: blocked, yet holding rows (--purge-orphans deletes "
                "them)\n",
                report->orphaned);
}
