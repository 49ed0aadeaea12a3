/* selection.c - see selection.h. */
#include "engine/selection.h"

#include <stdlib.h>
#include <string.h>

int selection_open(selection *v, const cli_options *o, const bf_config *cfg, const char *spec)
{
    char err[1024];
    memset(v, 0, sizeof *v);
    if (date_selection_parse(o->start_date, o->end_date, o->dates, o->dates_file, &v->sel, err,
                             sizeof err) != 0) {
        fprintf(stderr, "backfill: %s\n", err);
        return EXIT_USAGE;
    }
    if (graph_load(cfg, &v->g, err, sizeof err) != BF_OK) {
        fprintf(stderr, "backfill: %s\n", err);
        date_selection_free(&v->sel);
        return EXIT_USAGE;
    }
    v->mask = calloc(v->g.n ? v->g.n : 1, 1);
    if (v->mask && !spec)
        memset(v->mask, 1, v->g.n);
    if (!v->mask || (spec && graph_select(&v->g, spec, v->mask, err, sizeof err) != BF_OK) ||
        store_open(cfg->store_conf, STORE_READ_ONLY, &v->ro, err, sizeof err) != BF_OK) {
        fprintf(stderr, "backfill: %s\n", v->mask ? err : "out of memory");
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
