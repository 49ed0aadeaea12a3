/* selection.h - processors named on the command line over a date range,
 * read-only: what the whole-warehouse views (gaps, verify --outputs)
 * start from. */
#ifndef BF_SELECTION_H
#define BF_SELECTION_H

#include "cli/cli.h"
#include "engine/graph.h"
#include "stores/store.h"

typedef struct selection {
    graph g;             /* every processor */
    unsigned char *mask; /* per g.nodes[i]: 1 if selected */
    date_selection sel;  /* o's dates */
    store *ro;           /* read-only */
} selection;

/* o's dates, the graph (strict: any fault refuses it), the processors spec
 * names ("A,B|GROUP"; NULL: all) and a read-only connection. Returns 0, or
 * EXIT_USAGE after one error line with nothing left open. */
int selection_open(selection *v, const cli_options *o, const bf_config *cfg, const char *spec);
void selection_close(selection *v);

#endif
