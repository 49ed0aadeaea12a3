/* preflight.c - per dependency: which expected dates hold at least one
 * upstream row, from a single GROUP BY over the range (never one query per
 * date: over four seasons that would be thousands of round trips). */
#include "preflight.h"

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

typedef struct present {
    date_list days;
    int oom; /* stopped early: the list would be silently partial */
} present;

static int add_present(void *udata, int ncols, const bf_value *values)
{
    present *p = udata;
    char why[64];
    bf_day d;
    /* Rows whose date does not parse cannot cover an expected date. */
    if (ncols >= 1 && values[0].type == BF_TEXT &&
        date_parse(values[0].v.s, &d, why, sizeof why) == 0)
        p->oom = date_list_push(&p->days, d) != 0;
    return p->oom;
}

static int measure(store *s, const plan *pl, dep_coverage *dc, char *err, size_t errlen)
{
    present p = {{0}, 0}; /* dates holding >= 1 upstream row */
    const bf_dependency *dep = dc->dep;
    int exists = 0;
    if (store_table_exists(s, dep->table, &exists) != BF_OK) {
        snprintf(err, errlen, "pre-flight %s: %s", dep->table, store_error(s));
        return -1;
    }
    if (exists && pl->n) {
        char a[DATE_LEN], b[DATE_LEN], sql[512];
        date_format(pl->dates[0].day, a);
        date_format(pl->dates[pl->n - 1].day, b);
        snprintf(sql, sizeof sql, "SELECT %s FROM %s WHERE %s BETWEEN ? AND ? GROUP BY %s",
                 dep->date_column, dep->table, dep->date_column, dep->date_column);
        bf_value range[2] = {BF_V_TEXT(a), BF_V_TEXT(b)};
        if (store_query(s, sql, range, 2, add_present, &p) != BF_OK || p.oom) {
            snprintf(err, errlen, "pre-flight %s: %s", dep->table,
                     p.oom ? "out of memory" : store_error(s));
            date_list_free(&p.days);
            return -1;
        }
        date_list_sort(&p.days);
    }
    dc->table_missing = !exists;
    for (size_t i = 0; i < pl->n; i++) {
        if (pl->dates[i].status == DATE_SKIPPED)
            continue;
        dc->expected++;
        if (date_list_contains(&p.days, pl->dates[i].day))
            dc->covered++;
        else if (date_list_push(&dc->missing, pl->dates[i].day) != 0) {
            snprintf(err, errlen, "pre-flight: out of memory");
            date_list_free(&p.days);
            return -1;
        }
    }
    date_list_free(&p.days);
    dc->passed = !dc->table_missing && preflight_meets(dc->covered, dc->expected, dc->threshold);
    return 0;
}

int preflight_run(store *s, const bf_config *cfg, const plugin *p, plan *pl,
                  preflight_report *report, char *err, size_t errlen)
{
    memset(report, 0, sizeof *report);
    report->deps = calloc(p->ndeps ? p->ndeps : 1, sizeof *report->deps);
    if (!report->deps) {
        snprintf(err, errlen, "pre-flight: out of memory");
        return -1;
    }
    report->n = p->ndeps;
    for (size_t i = 0; i < p->ndeps; i++) {
        dep_coverage *dc = &report->deps[i];
        dc->dep = &p->deps[i];
        dc->threshold = dc->dep->min_coverage > 0 ? dc->dep->min_coverage : cfg->min_coverage;
        if (measure(s, pl, dc, err, errlen) != 0)
            return -1;
        if (dc->dep->requirement != BF_REQUIRED)
            continue;
        if (!dc->passed)
            report->refused = 1;
        /* The missing list is ascending, like the plan: one merge pass. */
        size_t m = 0;
        for (size_t k = 0; k < pl->n && m < dc->missing.n; k++) {
            date_entry *e = &pl->dates[k];
            if (e->day < dc->missing.days[m])
                continue;
            m++;
            if (e->status != DATE_PENDING)
                continue;
            e->status = DATE_BLOCKED;
            plan_set_error(e, "blocked: required upstream %s has no rows for %s", dc->dep->table,
                           e->date);
            report->blocked++;
        }
    }
    return 0;
}

void preflight_report_free(preflight_report *report)
{
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
        fprintf(out, "  %s %-*s %zu/%zu (%.1f%%)  %zu missing  %s, needs %.1f%%%s\n", mark,
                (int)width, dc->dep->table, dc->covered, dc->expected,
                100.0 * preflight_coverage(dc->covered, dc->expected), dc->missing.n,
                required ? "required" : "optional", 100.0 * dc->threshold,
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
        fprintf(out, "  %zu date%s blocked: a required upstream table is empty that date\n",
                report->blocked, report->blocked == 1 ? "" : "s");
}
