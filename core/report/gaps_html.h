/* gaps_html.h - the gaps matrix as one self-contained HTML heatmap. */
#ifndef BF_GAPS_HTML_H
#define BF_GAPS_HTML_H

#include <stdio.h>

#include "report/gaps.h"

/* Write the heatmap to f. Returns 0, or -1 with errno set if writing
 * failed. */
int gaps_write_html(FILE *f, const gaps_matrix *m);

#endif
