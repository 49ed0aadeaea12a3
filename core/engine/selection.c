/* selection.c - see selection.h. */
#include "engine/selection.h"

#include "base/exit_code.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int selection_open(selection *v, const date_args *dates, const bf_config *cfg, const char *spec,
                   char *err, size_t errlen)
{
    memset(v, 0, sizeof *v);
    if (date_selection_parse(dates->start_date, dates->end_date, dates->dates, dates->dates_file,
                             &v->sel, err, errlen) != 0)
        return EXIT_USAGE;
    if (graph_load(cfg, &v->g, err, errlen) != BF_OK) {
        date_selection_free(&v->sel);
        return EXIT_USAGE;
    }
    v->mask = calloc(v->g.n ? v->g.n : 1, 1);
    if (v->mask && !spec)
        memset(v->mask, 1, v->g.n);
    if (!v->mask)
        snprintf(err, errlen, "out of memory");
    if (!v->mask || (spec && graph_select(&v->g, spec, v->mask, err, errlen) != BF_OK) ||
        store_open(cfg->store_conf, STORE_READ_ONLY, &v->ro, err, errlen) != BF_OK) {
        selection_close(v);
        return EXIT_USAGE;
    }
    return 0;
}

void selection_close(selection *v)
{
    store_close(v->ro);
    free(v->mask);
    graph_free(&v->g);
    date_selection_free(&v->sel);
    memset(v, 0, sizeof *v);
}
