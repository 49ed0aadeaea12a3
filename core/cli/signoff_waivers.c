/* signoff_waivers.c - see signoff_waivers.h. The judgement is the one a
 * run makes before it starts (engine/waived.h), over the sign-off's dates;
 * the runs' own record is their checkpoint's run.waivers. */
#include "cli/signoff_waivers.h"

#include <string.h>

#include "engine/job.h"
#include "engine/waived.h"
#include "state/checkpoint.h"

/* The entry of out for config waiver w, made on first use. */
static json_t *entry(json_t *out, const bf_config *cfg, int w)
{
    const config_waiver *cw = &cfg->waivers[w];
    size_t i;
    json_t *x;
    json_array_foreach(out, i, x)
    {
        if (json_integer_value(json_object_get(x, "line")) == cw->line)
            return x;
    }
    char until[DATE_LEN];
    date_format(cw->expires, until);
    x = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:i, s:I, s:[], s:[]}", "table", cw->table,
                  "dates", cw->dates, "reason", cw->reason, "approved_by", cw->approved_by,
                  "expires", until, "config", cfg->path, "line", cw->line, "dates_waived",
                  (json_int_t)0, "relied_on_by", "runs");
    json_array_append_new(out, x);
    return x;
}

/* The config waiver recorded as r (by its line and table), or -1. */
static int find(const bf_config *cfg, const json_t *r)
{
    const char *table = json_string_value(json_object_get(r, "table"));
    json_int_t line = json_integer_value(json_object_get(r, "line"));
    for (int w = 0; table && w < cfg->nwaivers; w++)
        if (cfg->waivers[w].line == line && strcmp(cfg->waivers[w].table, table) == 0)
            return w;
    return -1;
}

/* What processor name's judgement over dates relies on, into out. */
static int judged(json_t *out, const char *name, const date_args *dates, const bf_config *cfg,
                  char *err, size_t errlen)
{
    job j;
    if (job_open(&j, name, dates, cfg, err, errlen) != 0)
        return -1;
    json_t *used = job_preflight(&j, err, errlen) == 0 ? waived_relied_on(&j) : NULL;
    job_close(&j);
    if (!used)
        return -1;
    size_t i;
    json_t *r;
    json_array_foreach(used, i, r)
    {
        int w = find(cfg, r);
        if (w < 0)
            continue;
        json_t *x = entry(out, cfg, w);
        json_object_set_new(x, "dates_waived",
                            json_integer(json_integer_value(json_object_get(x, "dates_waived")) +
                                         json_integer_value(json_object_get(r, "dates_waived"))));
        json_array_append_new(json_object_get(x, "relied_on_by"), json_string(name));
    }
    json_decref(used);
    return 0;
}

/* What processor name's last run recorded relying on, of the waivers whose
 * dates meet [first, last], into out. */
static void ran(json_t *out, const char *name, const bf_config *cfg, bf_day first, bf_day last)
{
    checkpoint cp;
    char err[512];
    if (checkpoint_open(&cp, cfg->state_dir, name, err, sizeof err) != 0)
        return;
    size_t i;
    json_t *r;
    json_array_foreach(json_object_get(json_object_get(cp.root, "run"), "waivers"), i, r)
    {
        int w = find(cfg, r);
        if (w >= 0 && cfg->waivers[w].last >= first && cfg->waivers[w].first <= last)
            json_array_append_new(json_object_get(entry(out, cfg, w), "runs"), json_string(name));
    }
    checkpoint_close(&cp);
}

json_t *signoff_waivers(const selection *v, const date_args *dates, const bf_config *cfg, char *err,
                        size_t errlen)
{
    json_t *out = json_array();
    for (size_t k = 0; cfg->nwaivers && k < v->g.norder; k++) {
        size_t node = v->g.order[k];
        if (!v->mask[node])
            continue;
        if (judged(out, v->g.nodes[node].name, dates, cfg, err, errlen) != 0) {
            json_decref(out);
            return NULL;
        }
        ran(out, v->g.nodes[node].name, cfg, v->sel.first, v->sel.last);
    }
    return out;
}
