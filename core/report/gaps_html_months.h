/* gaps_html_months.h - the gaps view of a matrix too large for one page of
 * cells (thousands of dates x hundreds of tables): a page of months, one
 * cell per month and table coloured by the worst state in it, its hover
 * text counting the states; each month links to its own page of dates,
 * the ordinary heatmap of that month, so every cell is two clicks away.
 * With more than GAPS_HTML_GROUP_TABLES tables the page of months sums up
 * by group first (gaps_html_groups.h). */
#ifndef BF_GAPS_HTML_MONTHS_H
#define BF_GAPS_HTML_MONTHS_H

#include "report/gaps.h"

/* Above this many cells, --html writes months. */
#define GAPS_HTML_MAX_CELLS 40000

/* Write the page of months to path and one page per month to the
 * directory path.d (made if missing; pages of the same months replaced).
 * Returns the number of month pages, or -1 with errno set (one line on
 * stderr names the file). */
long gaps_html_months(const char *path, const gaps_matrix *m);

#endif
