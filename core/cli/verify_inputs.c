/* verify_inputs.c - the `verify --inputs PROCESSOR DATES [--sample N]`
 * command: are the processor's declared windows wide enough? Sampled dates
 * are built twice in staging (engine/window_proof.h), never published;
 * exit 0 if every sampled date builds the same confined as whole, 1 if
 * not (one line per table at fault with the lookback that fixes it), 2 on
 * bad input or a store that cannot confine reads. */
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "engine/job.h"
#include "engine/window_proof.h"
#include "stores/store.h"

/* One line per table whose window was too narrow. */
static void print_findings(FILE *out, const window_report *r)
{
    for (size_t k = 0; k < r->ntables; k++) {
        const window_finding *f = &r->findings[k];
        if (!f->ndates)
            continue;
        char declared[32];
        if (f->declared == BF_LOOKBACK_SEASON)
            snprintf(declared, sizeof declared, "BF_LOOKBACK_SEASON");
        else
            snprintf(declared, sizeof declared, "%d", f->declared);
        fprintf(out, "  %s%s: lookback_days = %s is too narrow on %zu of %zu sampled dates (%s): ",
                f->table, f->calendar ? " (calendar)" : "", declared, f->ndates, r->sampled,
                f->dates);
        if (f->needed < 0)
            fprintf(out, "no lookback makes the builds equal: it reads rows after the date\n");
        else if (f->calendar)
            fprintf(out,
                    "the builds are equal from a window of %d days: declare lookback_days = "
                    "%d on a dependency (the calendar's window is the widest declared)\n",
                    f->needed, f->needed);
        else
            fprintf(out, "the smallest that makes the builds equal is lookback_days = %d\n",
                    f->needed);
    }
}

static json_t *report_json(const window_report *r)
{
    json_t *tables = json_array();
    for (size_t k = 0; k < r->ntables; k++) {
        const window_finding *f = &r->findings[k];
        json_array_append_new(
            tables, json_pack("{s:s, s:b, s:i, s:I, s:s, s:o}", "table", f->table, "calendar",
                              f->calendar, "declared", f->declared, "differing_dates",
                              (json_int_t)f->ndates, "dates", f->dates, "needed",
                              f->ndates && f->needed >= 0 ? json_integer(f->needed) : json_null()));
    }
    return json_pack("{s:I, s:I, s:s, s:s, s:s, s:o}", "sampled", (json_int_t)r->sampled,
                     "differing", (json_int_t)r->differing, "first_date", r->first_date,
                     "first_difference", r->first_diff, "error", r->error, "tables", tables);
}

int cmd_verify_inputs(const cli_options *o, const bf_config *cfg)
{
    FILE *out = cli_narration(o);
    char err[1024] = "";
    job j;
    date_args dates = cli_dates(o);
    int rc = job_open(&j, o->processor, &dates, cfg, err, sizeof err);
    if (rc != 0) {
        fprintf(stderr, "backfill: %s\n", err);
        return rc;
    }
    /* Confining reads needs the declared tables shadowed for the plugin's
     * unqualified names on its own statements: SQLite's TEMP VIEWs, or a
     * driver's scope (ClickHouse: a scratch database of views). */
    if (strcmp(cfg->store_conf->driver, "sqlite") != 0 && !store_can_scope(j.ro)) {
        fprintf(stderr,
                "backfill verify --inputs: not available on the %s store: it cannot confine a "
                "plugin's reads to a window\n",
                cfg->store_conf->driver);
        job_close(&j);
        return EXIT_USAGE;
    }
    /* The staging area takes the output table's columns. */
    int exists = 0;
    if (store_table_exists(j.ro, j.p.desc->output_table, &exists) != BF_OK) {
        fprintf(stderr, "backfill verify --inputs: %s\n", store_error(j.ro));
        job_close(&j);
        return EXIT_USAGE;
    }
    if (!exists) {
        fprintf(stderr,
                "backfill verify --inputs: %s: output table %s does not exist (run the processor "
                "once: its prepare() creates it)\n",
                j.p.desc->name, j.p.desc->output_table);
        job_close(&j);
        return EXIT_USAGE;
    }
    size_t want = o->sample > 0 ? (size_t)o->sample : WINDOW_PROOF_SAMPLE;
    bf_day *days = calloc(want, sizeof *days);
    size_t n = days ? window_proof_sample(&j.plan, want, days) : 0;
    window_report r;
    if (!days || window_proof_run(cfg, &j.p, days, n, &r, err, sizeof err) != 0) {
        fprintf(stderr, "backfill: %s\n", days ? err : "out of memory");
        free(days);
        job_close(&j);
        return EXIT_USAGE;
    }
    free(days);
    fprintf(out,
            "verify --inputs %s: %zu of %zu expected dates sampled, each built in staging twice: "
            "every dependency confined to its declared window, then the whole tables\n",
            j.p.desc->name, r.sampled, j.plan.expected);
    print_findings(out, &r);
    if (r.first_date[0])
        fprintf(out, "  first difference, %s: %s\n", r.first_date, r.first_diff);
    if (r.error[0])
        fprintf(out, "  a build failed: %s\n", r.error);
    if (r.differing)
        fprintf(out, "windows too narrow: %zu of %zu sampled dates differ; nothing was published\n",
                r.differing, r.sampled);
    else
        fprintf(out,
                "windows wide enough: %zu of %zu sampled dates build the same; nothing was "
                "published\n",
                r.sampled, r.sampled);
    rc = r.differing ? EXIT_DATES_FAILED : EXIT_DONE;
    if (o->json)
        report_print_json(json_pack("{s:s, s:i, s:o}", "processor", j.p.desc->name, "exit_code", rc,
                                    "inputs", report_json(&r)));
    window_report_free(&r);
    job_close(&j);
    return rc;
}
