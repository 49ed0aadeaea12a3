/* waived.c - see waived.h. Asks the judge date by date over the plan it
 * already judged: nothing is read again. */
#include "engine/waived.h"

#include <stdlib.h>

/* One waiver's use, in config order. */
static void count(size_t *uses, const bf_config *cfg, const char *table, bf_day day)
{
    const config_waiver *w = waivers_find(cfg->waivers, cfg->nwaivers, table, day);
    if (w)
        uses[w - cfg->waivers]++;
}

json_t *waived_relied_on(const job *j)
{
    const bf_config *cfg = j->cfg;
    json_t *out = json_array();
    size_t *uses = calloc(cfg->nwaivers ? (size_t)cfg->nwaivers : 1, sizeof *uses);
    if (!out || !uses) {
        free(uses);
        json_decref(out);
        return NULL;
    }
    for (size_t i = 0; cfg->nwaivers && i < j->plan.n; i++) {
        const date_entry *e = &j->plan.dates[i];
        if (e->verdict == STATE_WAIVED)
            count(uses, cfg, j->p.desc->output_table, e->day);
        if (e->verdict == STATE_SKIPPED)
            continue; /* a bootstrap day: its upstream is not judged */
        for (size_t k = 0; k < j->pre.n; k++)
            if (judge_upstream(&j->pre.judge, k, e->day) == UP_WAIVED)
                count(uses, cfg, j->pre.deps[k].dep->table, e->day);
    }
    for (int w = 0; w < cfg->nwaivers; w++) {
        const config_waiver *cw = &cfg->waivers[w];
        char until[DATE_LEN];
        date_format(cw->expires, until);
        if (uses[w])
            json_array_append_new(out, json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:i, s:I}",
                                                 "table", cw->table, "dates", cw->dates, "reason",
                                                 cw->reason, "approved_by", cw->approved_by,
                                                 "expires", until, "config", cfg->path, "line",
                                                 cw->line, "dates_waived", (json_int_t)uses[w]));
    }
    free(uses);
    return out;
}
