/* job.c - one processor loaded, planned and judged, for run and verify. */
#include "engine/job.h"

#include <stdio.h>
#include <string.h>

#include "base/exit_code.h"

#include "engine/calendar.h"
#include "engine/judge_cache.h"
#include "base/log.h"
#include "plugin/plugin_config.h"
#include "plugin/plugin_path.h"

void job_close(job *j)
{
    preflight_report_free(&j->pre);
    checks_free(&j->checks);
    plan_free(&j->plan);
    date_selection_free(&j->sel);
    if (!j->ro_lent)
        store_close(j->ro);
    if (!j->borrowed) {
        if (!j->p_in_g)
            loader_unload(&j->p);
        graph_free(&j->g);
    }
}

/* p and g: loaded now, or copied from g (borrowed). Loaded now, p is g's
 * node: each file is loaded once, so the code hashed is the code run. */
static int load(job *j, const graph *g, const char *processor, char *err, size_t errlen)
{
    if (!g) {
        if (graph_open(j->cfg, &j->g, err, errlen) != BF_OK)
            return -1;
        size_t i = graph_find(&j->g, processor);
        if (i != GRAPH_NONE) {
            j->p = j->g.nodes[i].p;
            j->p_in_g = 1;
            return 0;
        }
        /* Not in the graph: the loader says why (no such file, a bad one). */
        return plugin_path_load(j->cfg, processor, &j->p, err, errlen) != BF_OK;
    }
    size_t i = graph_find(g, processor);
    if (i == GRAPH_NONE) {
        snprintf(err, errlen, "%s is not in the processor graph", processor);
        return -1;
    }
    j->p = g->nodes[i].p;
    j->g = *g;
    j->borrowed = 1;
    return 0;
}

int job_open(job *j, const char *processor, const date_args *dates, const bf_config *cfg, char *err,
             size_t errlen)
{
    return job_open_in(j, NULL, processor, dates, cfg, err, errlen);
}

int job_open_in(job *j, const graph *g, const char *processor, const date_args *dates,
                const bf_config *cfg, char *err, size_t errlen)
{
    return job_open_shared(j, g, NULL, NULL, processor, dates, cfg, err, errlen);
}

int job_open_shared(job *j, const graph *g, store *ro, judge_cache *cache, const char *processor,
                    const date_args *dates, const bf_config *cfg, char *err, size_t errlen)
{
    memset(j, 0, sizeof *j);
    j->cfg = cfg;
    j->cache = cache;
    j->ro = ro;
    j->ro_lent = ro != NULL;
    if (date_selection_parse(dates->start_date, dates->end_date, dates->dates, dates->dates_file,
                             &j->sel, err, errlen) != 0 ||
        load(j, g, processor, err, errlen) != 0 ||
        graph_refuses(&j->g, processor, err, errlen) != BF_OK ||
        plugin_config_sections(cfg, err, errlen) != 0 ||
        plugin_config_check(cfg, &j->p, err, errlen) != 0 ||
        checks_load(cfg, &j->p, &j->checks, err, errlen) != 0 ||
        (!ro && store_open(cfg->store_conf, STORE_READ_ONLY, &j->ro, err, errlen) != BF_OK))
        goto fail;
    log_set_scope(j->p.desc->name, NULL);
    date_list calendar = {0};
    int rc =
        judge_load_calendar(j->ro, cfg, cache, j->sel.first, j->sel.last, &calendar, err, errlen);
    if (rc == 0) {
        int boot = loader_bootstrap_days(&j->p, cfg->bootstrap_days);
        rc = plan_build(&j->plan, &calendar, &j->sel, cfg->seasons, cfg->nseasons, boot);
        if (rc != 0)
            snprintf(err, errlen, "out of memory");
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
    job_close(j);
    return EXIT_USAGE;
}

int job_preflight(job *j, char *err, size_t errlen)
{
    preflight_opts opts = {.cache = j->cache, .no_stamps = j->dry};
    return preflight_run_with(j->ro, j->cfg, &j->g, &j->p, &j->plan, &opts, &j->pre, err, errlen) ==
                   0
               ? 0
               : EXIT_USAGE;
}
