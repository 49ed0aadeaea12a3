/* gaps_months.h - the months of a gaps matrix, shared by the page of
 * months (gaps_html_months.h) and its groups (gaps_html_groups.h): the
 * rows of each month, the worst state of a month's cells and the count of
 * each state, and a month's cell of one table. */
#ifndef BF_GAPS_MONTHS_H
#define BF_GAPS_MONTHS_H

#include <stdio.h>

#include "engine/judge.h"
#include "report/gaps.h"

/* The month of row r ("YYYY-MM"); the end of the month starting at row
 * r0 (one past its last row). */
void gaps_month_of(const gaps_matrix *m, size_t r, char out[8]);
size_t gaps_month_end(const gaps_matrix *m, size_t r0);

/* The worst state counted in n (failed first, skipped last; STATE_PENDING
 * if none), and every state counted in n, worst first, as
 * " 1 partial, 30 complete". */
int gaps_worst_state(const size_t n[STATE_COUNT]);
void gaps_state_counts(FILE *f, const size_t n[STATE_COUNT]);

/* The cell of table k over rows [r0, r1) of month: coloured by its worst
 * state, its hover text counting every state. */
void gaps_month_cell(FILE *f, const gaps_matrix *m, size_t r0, size_t r1, size_t k,
                     const char *month);

#endif
