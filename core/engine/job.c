/* job.c - one processor loaded, planned and judged, for run and verify. */
#include "engine/job.h"

#include <string.h>

#include "engine/calendar.h"
#include "base/log.h"
#include "plugin/plugin_config.h"
#include "plugin/plugin_path.h"

void job_close(job *j)
{
    preflight_report_free(&j->pre);
    checks_free(&j->checks);
    plan_free(&j->plan);
    date_selection_free(&j->sel);
    store_close(j->ro);
    graph_free(&j->g);
    loader_unload(&j->p);
}

int job_open(job *j, const cli_options *o, const bf_config *cfg)
{
    char err[1024];
    memset(j, 0, sizeof *j);
    j->cfg = cfg;
    if (date_selection_parse(o->start_date, o->end_date, o->dates, o->dates_file, &j->sel, err,
                             sizeof err) != 0 ||
        plugin_path_load(cfg, o->processor, &j->p, err, sizeof err) != BF_OK ||
        graph_open(cfg, &j->g, err, sizeof err) != BF_OK ||
        graph_refuses(&j->g, o->processor, err, sizeof err) != BF_OK ||
        plugin_config_sections(cfg, err, sizeof err) != 0 ||
        plugin_config_check(cfg, &j->p, err, sizeof err) != 0 ||
        checks_load(cfg, &j->p, &j->checks, err, sizeof err) != 0 ||
        store_open(cfg->store_conf, STORE_READ_ONLY, &j->ro, err, sizeof err) != BF_OK)
        goto fail;
    log_set_scope(j->p.desc->name, NULL);
    date_list calendar = {0};
    int rc = calendar_load(j->ro, cfg, j->sel.first, j->sel.last, &calendar, err, sizeof err);
    if (rc == 0) {
        int boot = loader_bootstrap_days(&j->p, cfg->bootstrap_days);
        rc = plan_build(&j->plan, &calendar, &j->sel, cfg->seasons, cfg->nseasons, boot);
        if (rc != 0)
            snprintf(err, sizeof err, "out of memory");
    }
    date_list_free(&calendar);
    if (rc != 0)
        goto fail;
    for (size_t i = 0; i < j->plan.off_calendar.n; i++) {
        char d[DATE_LEN];
        date_format(j->plan.off_calendar.days[i], d);
        log_warn("%s is not a date of calendar %s.%s: nothing expected, ignored", d,
                 cfg->calendar_table, cfg->calendar_column);
    }
    return 0;
fail:
    fprintf(stderr, "backfill: %s\n", err);
    job_close(j);
    return EXIT_USAGE;
}

int job_preflight(job *j, const cli_options *o, FILE *out)
{
    char err[1024];
    if (preflight_run(j->ro, j->cfg, &j->g, &j->p, &j->plan, &j->pre, err, sizeof err) != 0) {
        fprintf(stderr, "backfill: %s\n", err);
        return EXIT_USAGE;
    }
    fprintf(out, "%s: %zu calendar dates, %zu skipped as bootstrap, %zu expected\n",
            j->p.desc->name, j->plan.n, j->plan.n - j->plan.expected, j->plan.expected);
    preflight_print(&j->pre, &j->p, o->verbose, out);
    return 0;
}

void job_print_json(json_t *doc)
{
    json_dumpf(doc, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
    fputc('\n', stdout);
    json_decref(doc);
}
