/* report.c - the end-of-run summary and the re-run command. */
#include "report/report.h"

#include <stdlib.h>
#include <string.h>

#include "engine/rerun.h"
#include "state/checkpoint.h"
#include "base/files.h"

/* Up to this many dates go on the command line; more go to a file. */
#define RERUN_INLINE_MAX 40
/* Dates listed one per line under the summary. */
#define LIST_MAX 20

/* A run's date to run again: one the judge says needs work (rerun.h), or
 * one the run did not reach. */
static int needs_rerun(int status)
{
    return rerun_needs_work(status) || status == STATE_PENDING;
}

void report_rerun(FILE *out, const invocation *o, const bf_config *cfg, const char *processor,
                  const char *const *dates, size_t n, const char *extra)
{
    if (n == 0)
        return;
    char config_arg[4200] = "";
    if (o->config_path)
        snprintf(config_arg, sizeof config_arg, " -c %s", o->config_path);
    if (n <= RERUN_INLINE_MAX) {
        fprintf(out, "re-run exactly these dates:\n  %s%s run %s --dates ", o->program, config_arg,
                processor);
        for (size_t i = 0; i < n; i++)
            fprintf(out, "%s%s", i ? "," : "", dates[i]);
        fprintf(out, "%s\n", extra);
        return;
    }
    /* Replaced whole, like the checkpoint: a half-written list would
     * silently re-run only some of the dates. */
    char *path = NULL, *text = NULL, err[1024] = "out of memory";
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    if (f) {
        fprintf(f, "# dates of %s to re-run, one per line\n", processor);
        for (size_t i = 0; i < n; i++)
            fprintf(f, "%s\n", dates[i]);
    }
    int ok = f && fclose(f) == 0;
    if (ok && asprintf(&path, "%s/%s.rerun", cfg->state_dir, processor) < 0) {
        path = NULL;
        ok = 0;
    }
    if (ok && checkpoint_mkdirs(cfg->state_dir) != 0) {
        snprintf(err, sizeof err, "cannot create it");
        ok = 0;
    }
    ok = ok && file_replace(path, text, len, err, sizeof err) == 0;
    free(text);
    if (!ok) {
        fprintf(out, "re-run: could not write the dates file in %s: %s\n", cfg->state_dir, err);
        free(path);
        return;
    }
    fprintf(out, "re-run exactly these %zu dates:\n  %s%s run %s --dates-file %s%s\n", n,
            o->program, config_arg, processor, path, extra);
    free(path);
}

void report_counts(FILE *out, const size_t counts[STATE_COUNT], size_t resumed)
{
    /* What a run can leave a date in. */
    static const int order[] = {STATE_COMPLETE, STATE_PARTIAL, STATE_FAILED, STATE_CHECK_FAILED,
                                STATE_BLOCKED,  STATE_PENDING, STATE_SKIPPED};
    for (size_t k = 0; k < sizeof order / sizeof order[0]; k++) {
        int s = order[k];
        fprintf(out, "  %-12s %6zu", date_state_name(s), counts[s]);
        if (s == STATE_COMPLETE && resumed)
            fprintf(out, "   (%zu already complete in the checkpoint)", resumed);
        if (s == STATE_SKIPPED && counts[s])
            fprintf(out, "   (bootstrap days)");
        if (s == STATE_PENDING && counts[s])
            fprintf(out, "   (not run)");
        fputc('\n', out);
    }
}

/* The few dates that took longest this run: where a backfill's time goes. */
static void report_slowest(FILE *out, const plan *pl)
{
    enum { SLOWEST = 3 };
    const date_entry *top[SLOWEST] = {NULL};
    for (size_t i = 0; i < pl->n; i++) {
        const date_entry *e = &pl->dates[i];
        if (e->resumed || e->attempts == 0)
            continue;
        for (int k = 0; k < SLOWEST; k++) {
            if (!top[k] || e->duration_ms > top[k]->duration_ms) {
                memmove(&top[k + 1], &top[k], (SLOWEST - 1 - k) * sizeof top[0]);
                top[k] = e;
                break;
            }
        }
    }
    if (!top[0])
        return;
    fprintf(out, "  slowest:");
    for (int k = 0; k < SLOWEST && top[k]; k++)
        fprintf(out, "%s %s %.0f ms", k ? "," : "", top[k]->date, top[k]->duration_ms);
    fputc('\n', out);
}

void report_summary(FILE *out, const invocation *o, const bf_config *cfg, const char *processor,
                    const plan *pl, double wall_s)
{
    size_t counts[STATE_COUNT], resumed = 0;
    plan_count(pl, counts);
    for (size_t i = 0; i < pl->n; i++)
        resumed += pl->dates[i].resumed;
    fprintf(out, "\nsummary for %s: %zu dates in %.1f s\n", processor, pl->n, wall_s);
    report_counts(out, counts, resumed);
    report_slowest(out, pl);

    /* The dates to run again, grouped by state (rerun.h's order); the
     * command takes them all in date order. */
    size_t listed = 0;
    for (size_t k = 0; k < rerun_nstates; k++)
        for (size_t i = 0; i < pl->n; i++) {
            const date_entry *e = &pl->dates[i];
            if (e->status != rerun_order[k] || !needs_rerun(e->status))
                continue;
            if (listed < LIST_MAX)
                fprintf(out, "  %s %-12s %s\n", e->date, date_state_name(e->status),
                        e->error ? e->error : "");
            else if (listed == LIST_MAX)
                fprintf(out, "  ...\n");
            listed++;
        }
    const char **dates = calloc(pl->n ? pl->n : 1, sizeof *dates);
    size_t n = 0;
    for (size_t i = 0; dates && i < pl->n; i++)
        if (needs_rerun(pl->dates[i].status))
            dates[n++] = pl->dates[i].date;
    report_rerun(out, o, cfg, processor, dates, n, "");
    free(dates);
}

json_t *report_preflight_json(const preflight_report *pre)
{
    json_t *deps = json_array();
    for (size_t i = 0; i < pre->n; i++) {
        const dep_coverage *dc = &pre->deps[i];
        json_t *missing = json_array();
        for (size_t k = 0; k < dc->missing.n; k++) {
            char d[DATE_LEN];
            date_format(dc->missing.days[k], d);
            json_array_append_new(missing, json_string(d));
        }
        json_array_append_new(
            deps,
            json_pack("{s:s, s:b, s:I, s:I, s:f, s:I, s:I, s:I, s:I, s:I, s:f, s:b, s:b, s:o}",
                      "table", dc->dep->table, "required", dc->dep->requirement == BF_REQUIRED,
                      "covered", (json_int_t)preflight_dep_covered(dc), "expected",
                      (json_int_t)dc->expected, "coverage",
                      judge_coverage(preflight_dep_covered(dc), dc->expected), "complete",
                      (json_int_t)dc->covered, "unverified", (json_int_t)dc->unverified, "waived",
                      (json_int_t)dc->waived, "partial", (json_int_t)dc->partial, "missing_count",
                      (json_int_t)dc->missing.n, "threshold", dc->threshold, "passed", dc->passed,
                      "table_missing", dc->table_missing, "missing", missing));
    }
    return deps;
}

json_t *report_run_json(const plan *pl, const preflight_report *pre, int skip_preflight,
                        const char *processor, int exit_code, double wall_s)
{
    json_t *attention = json_array();
    rerun_list by_state = {0}; /* the same dates, grouped as status and gaps group them */
    for (size_t i = 0; i < pl->n; i++) {
        const date_entry *e = &pl->dates[i];
        if (!needs_rerun(e->status))
            continue;
        rerun_add(&by_state, e->status, e->day, 1);
        json_array_append_new(attention,
                              json_pack("{s:s, s:s, s:I, s:I, s:i, s:s?}", "date", e->date,
                                        "status", date_state_name(e->status), "expected",
                                        (json_int_t)e->expected, "actual", (json_int_t)e->actual,
                                        "attempts", e->attempts, "error", e->error));
    }
    json_t *doc =
        json_pack("{s:s, s:i, s:f, s:b, s:o, s:o, s:o, s:o}", "processor", processor, "exit_code",
                  exit_code, "wall_s", wall_s, "skip_preflight", skip_preflight, "dates",
                  plan_counts_json(pl), "preflight", report_preflight_json(pre), "rerun", attention,
                  "rerun_by_state", rerun_json(&by_state));
    rerun_free(&by_state);
    return doc;
}

void report_print_json(json_t *doc)
{
    json_dumpf(doc, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
    fputc('\n', stdout);
    json_decref(doc);
}
