/* selection.h - processors named on the command line over a date range,
 * read-only: what the whole-warehouse views (gaps, verify --outputs)
 * start from. */
#ifndef BF_SELECTION_H
#define BF_SELECTION_H

#include "engine/graph.h"
#include "stores/store.h"

typedef struct selection {
    graph g;             /* every processor */
    unsigned char *mask; /* per g.nodes[i]: 1 if selected */
    date_selection sel;  /* the dates */
    store *ro;           /* read-only */
} selection;

/* The dates, the graph (strict: any fault refuses it), the processors spec
 * names ("A,B|GROUP"; NULL: all) and a read-only connection. Returns 0, or
 * EXIT_USAGE with one line in err and nothing left open. */
int selection_open(selection *v, const date_args *dates, const bf_config *cfg, const char *spec,
                   char *err, size_t errlen);
void selection_close(selection *v);

#endif
