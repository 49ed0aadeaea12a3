/* range_verdict.c - see range_verdict.h. */
#include "engine/range_verdict.h"

#include <stdlib.h>

#include "plugin/range_checks.h"

int range_verdict_days(const bf_config *cfg, const plugin *p, store *s, const bf_day *days,
                       size_t n, json_t **out, char *err, size_t errlen)
{
    range_check_set set;
    store *own = NULL;
    *out = NULL;
    if (range_checks_load(cfg, p, &set, err, errlen) != 0)
        return -1;
    int failing = 0;
    if (set.n == 0)
        *out = json_array();
    else if (!s && store_open(cfg->store_conf, STORE_READ_ONLY, &own, err, errlen) != BF_OK)
        failing = -1;
    else
        failing = range_checks_judge(&set, s ? s : own, cfg, p->desc->name, p->desc->output_table,
                                     p->desc->date_column, days, n, out, err, errlen);
    store_close(own);
    range_checks_free(&set);
    return failing;
}

int range_verdict(const bf_config *cfg, const plugin *p, store *s, const plan *pl, json_t **out,
                  char *err, size_t errlen)
{
    bf_day *days = calloc(pl->n + 1, sizeof *days);
    size_t n = 0;
    *out = NULL;
    if (!days) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    for (size_t i = 0; i < pl->n; i++)
        if (pl->dates[i].status != STATE_SKIPPED)
            days[n++] = pl->dates[i].day;
    int failing = range_verdict_days(cfg, p, s, days, n, out, err, errlen);
    free(days);
    return failing;
}
