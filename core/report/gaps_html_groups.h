/* gaps_html_groups.h - the page of months of a matrix with many tables,
 * summed up by group (gaps_groups.h): a grid of months x groups whose cell
 * is coloured by the worst state among the group's tables that month and
 * counts the processor-dates not complete in it; then per group a
 * collapsed <details> holding its months x tables, one cell per table and
 * month as on the page of months. A cell of the grid links to its month's
 * row inside its group (the browser opens the group), each month to its
 * page of dates: every (table, date) cell stays three clicks away, and no
 * script is needed. */
#ifndef BF_GAPS_HTML_GROUPS_H
#define BF_GAPS_HTML_GROUPS_H

#include <stdio.h>

#include "report/gaps.h"
#include "report/gaps_groups.h"

/* Above this many tables the page of months sums up by group: at 31 px a
 * column, 24 tables fill a 1,280 px screen beside the coverage table. */
#define GAPS_HTML_GROUP_TABLES 24

/* Write the grid and the groups (the body between the legend and the
 * coverage table) to f; link is the directory of the month pages as
 * seen from the page. Write errors are left on f (ferror). */
void gaps_html_groups(FILE *f, const char *link, const gaps_matrix *m, const gaps_groups *gs);

#endif
