/* preflight_text.c - the pre-flight report as run and verify print it:
 * the plan's counts, then per dependency its coverage and threshold. */
#include "report/preflight_text.h"

#include <string.h>

void report_preflight(FILE *out, const job *j, int verbose)
{
    fprintf(out, "%s: %zu calendar dates, %zu skipped as bootstrap, %zu expected\n",
            j->p.desc->name, j->plan.n, j->plan.n - j->plan.expected, j->plan.expected);
    report_preflight_table(out, &j->pre, j->p.desc->name, verbose);
}

void report_preflight_table(FILE *out, const preflight_report *report, const char *processor,
                            int verbose)
{
    fprintf(out, "pre-flight for %s:\n", processor);
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
        size_t covered = preflight_dep_covered(dc);
        char waived[48] = "";
        if (dc->waived)
            snprintf(waived, sizeof waived, "  %zu waived", dc->waived);
        fprintf(out,
                "  %s %-*s %zu/%zu (%.1f%%)  %zu missing  %zu partial  %zu unverified%s  %s, "
                "needs %.1f%%%s\n",
                mark, (int)width, dc->dep->table, covered, dc->expected,
                100.0 * judge_coverage(covered, dc->expected), dc->missing.n, dc->partial,
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
