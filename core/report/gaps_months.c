/* gaps_months.c - a matrix's rows by month and a month's cells (see
 * gaps_months.h). */
#include "report/gaps_months.h"

#include <string.h>

#include "report/gaps_html.h"

/* Worst first: the state a month's cell shows is the first it holds. */
static const int gaps_worst[] = {STATE_FAILED,  STATE_CHECK_FAILED, STATE_PARTIAL,
                                 STATE_MISSING, STATE_BLOCKED,      STATE_ORPHANED,
                                 STATE_STALE,   STATE_OUTDATED,     STATE_UNVERIFIED,
                                 STATE_WAIVED,  STATE_COMPLETE,     STATE_SKIPPED};
#define NWORST (sizeof gaps_worst / sizeof gaps_worst[0])

int gaps_worst_state(const size_t n[STATE_COUNT])
{
    for (size_t i = 0; i < NWORST; i++)
        if (n[gaps_worst[i]])
            return gaps_worst[i];
    return STATE_PENDING;
}

void gaps_state_counts(FILE *f, const size_t n[STATE_COUNT])
{
    const char *sep = " ";
    for (size_t i = 0; i < NWORST; i++)
        if (n[gaps_worst[i]]) {
            fprintf(f, "%s%zu %s", sep, n[gaps_worst[i]], date_state_name(gaps_worst[i]));
            sep = ", ";
        }
}

/* The month of row r, "YYYY-MM". */
void gaps_month_of(const gaps_matrix *m, size_t r, char out[8])
{
    char d[DATE_LEN];
    date_format(m->days.days[r], d);
    snprintf(out, 8, "%.7s", d);
}

/* The end of the month starting at row r0. */
size_t gaps_month_end(const gaps_matrix *m, size_t r0)
{
    char a[8], b[8];
    gaps_month_of(m, r0, a);
    size_t r = r0 + 1;
    for (; r < m->days.n; r++) {
        gaps_month_of(m, r, b);
        if (strcmp(a, b) != 0)
            break;
    }
    return r;
}

void gaps_month_cell(FILE *f, const gaps_matrix *m, size_t r0, size_t r1, size_t k,
                     const char *month)
{
    size_t n[STATE_COUNT] = {0};
    for (size_t r = r0; r < r1; r++)
        n[gaps_at(m, r, k)->state]++;
    fprintf(f, "<td class=%c title=\"%s %s:", gaps_html_class(gaps_worst_state(n)), month,
            m->tables[k].code);
    gaps_state_counts(f, n);
    fputs("\">", f);
}
