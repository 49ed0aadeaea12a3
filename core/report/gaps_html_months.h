/* gaps_html_months.h - the gaps view of a matrix too large for one page of
 * cells (thousands of dates x hundreds of tables): a page of months, one
 * cell per month and table coloured by the worst state in it, its hover
 * text counting the states; each month links to its own page of dates,
 * the ordinary heatmap of that month, so every cell is two clicks away.
 * With more than GAPS_HTML_GROUP_TABLES tables the page of months sums up
 * by group first (gaps_html_groups.h). */
#ifndef BF_GAPS_HTML_MONTHS_H
#define BF_GAPS_HTML_MONTHS_H

#include <stdio.h>

#include "engine/judge.h"
#include "report/gaps.h"

/* Above this many cells, --html writes months. */
#define GAPS_HTML_MAX_CELLS 40000

/* Write the page of months to path and one page per month to the
 * directory path.d (made if missing; pages of the same months replaced).
 * Returns the number of month pages, or -1 with errno set (one line on
 * stderr names the file). */
long gaps_html_months(const char *path, const gaps_matrix *m);

/* Parts shared with the groups (gaps_html_groups.c): the month of row r
 * ("YYYY-MM"), the end of the month starting at row r0, the worst state
 * counted in n (STATE_PENDING if none), every state counted in n worst
 * first (" 1 partial, 3 complete"), and the cell of table k over rows
 * [r0, r1) of month. */
void gaps_month_of(const gaps_matrix *m, size_t r, char out[8]);
size_t gaps_month_end(const gaps_matrix *m, size_t r0);
int gaps_worst_state(const size_t n[STATE_COUNT]);
void gaps_state_counts(FILE *f, const size_t n[STATE_COUNT]);
void gaps_month_cell(FILE *f, const gaps_matrix *m, size_t r0, size_t r1, size_t k,
                     const char *month);

#endif
