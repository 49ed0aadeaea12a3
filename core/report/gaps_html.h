/* gaps_html.h - the gaps matrix as one self-contained HTML heatmap. */
#ifndef BF_GAPS_HTML_H
#define BF_GAPS_HTML_H

#include <stdio.h>

#include "report/gaps.h"

/* Write the heatmap to f. Returns 0, or -1 with errno set if writing
 * failed. */
int gaps_write_html(FILE *f, const gaps_matrix *m);

/* The page of rows [r0, r1) alone (a month of a large matrix): its cells,
 * the coverage of the whole range and the missing dates of these rows; up
 * is the link back to the page of all months. Returns as gaps_write_html. */
int gaps_write_html_rows(FILE *f, const gaps_matrix *m, size_t r0, size_t r1, const char *up);

/* Parts shared with the page of months (gaps_html_months.h): the head up
 * to <body>, the legend, the coverage table with every missing date, a
 * state's CSS class. */
void gaps_html_head(FILE *f, const gaps_matrix *m);
void gaps_html_legend(FILE *f, const gaps_matrix *m);
void gaps_html_coverage(FILE *f, const gaps_matrix *m);
/* The coverage table alone, pointing to the month pages and --json for
 * the dates: a page of hundreds of tables over thousands of dates would
 * otherwise list millions of them. */
void gaps_html_coverage_only(FILE *f, const gaps_matrix *m);
char gaps_html_class(int state);

#endif
