/* gaps_html_groups.c - the page of months summed up by group (see
 * gaps_html_groups.h). */
#include "report/gaps_html_groups.h"

#include <string.h>

#include "engine/judge.h"
#include "report/gaps_html.h"
#include "report/gaps_months.h"

/* Rows [r0, r1) of the group's tables: the count of each state and of the
 * cells not complete. */
static size_t count(const gaps_matrix *m, const gaps_group *g, size_t r0, size_t r1,
                    size_t n[STATE_COUNT])
{
    size_t open = 0;
    memset(n, 0, STATE_COUNT * sizeof *n);
    for (size_t r = r0; r < r1; r++)
        for (size_t j = 0; j < g->ncols; j++) {
            int s = gaps_at(m, r, g->cols[j])->state;
            n[s]++;
            open += gaps_state_open(s);
        }
    return open;
}

/* One cell of the grid: rows [r0, r1) (labelled when, "all" or a month)
 * of group g, linking to target. */
static void grid_cell(FILE *f, const gaps_matrix *m, const gaps_group *g, size_t r0, size_t r1,
                      const char *when, const char *target)
{
    size_t n[STATE_COUNT];
    size_t open = count(m, g, r0, r1, n);
    fprintf(f, "<td class=%c title=\"%s %s: %zu of %zu not complete;",
            gaps_html_class(gaps_worst_state(n)), when, g->name, open, (r1 - r0) * g->ncols);
    gaps_state_counts(f, n);
    fprintf(f, "\"><a href=\"#%s\">", target);
    if (open)
        fprintf(f, "%zu", open);
    fputs("</a>", f);
}

/* Months down, groups across; the first row sums every month. */
static void grid(FILE *f, const char *link, const gaps_matrix *m, const gaps_groups *gs)
{
    fputs("<h2>Months &times; groups</h2>\n<p>A cell counts the cells of its month "
          "not complete in its group; follow it to the group's tables that month, a "
          "month to its dates.</p>\n<table class=\"hm mv gv\"><thead><tr><th>",
          f);
    for (size_t i = 0; i < gs->n; i++)
        fprintf(f, "<th title=\"%zu table%s\"><a href=\"#g-%s\">%s</a>", gs->g[i].ncols,
                gs->g[i].ncols == 1 ? "" : "s", gs->g[i].name, gs->g[i].name);
    fputs("</tr></thead><tbody>\n<tr class=al><th>all", f);
    for (size_t i = 0; i < gs->n; i++) {
        char target[96];
        snprintf(target, sizeof target, "g-%s", gs->g[i].name);
        grid_cell(f, m, &gs->g[i], 0, m->days.n, "all", target);
    }
    fputs("</tr>\n", f);
    for (size_t r0 = 0, r1; r0 < m->days.n; r0 = r1) {
        char month[8];
        r1 = gaps_month_end(m, r0);
        gaps_month_of(m, r0, month);
        fprintf(f, "<tr class=mo><th><a href=\"%s/%s.html\">%s</a>", link, month, month);
        for (size_t i = 0; i < gs->n; i++) {
            char target[96];
            snprintf(target, sizeof target, "%s-%s", gs->g[i].name, month);
            grid_cell(f, m, &gs->g[i], r0, r1, month, target);
        }
        fputs("</tr>\n", f);
    }
    fputs("</tbody></table>\n", f);
}

/* The group, collapsed: its totals, then its months x tables. */
static void group(FILE *f, const char *link, const gaps_matrix *m, const gaps_group *g)
{
    size_t n[STATE_COUNT];
    size_t open = count(m, g, 0, m->days.n, n);
    fprintf(f,
            "<details id=g-%s><summary><b>%s</b>: %zu table%s, %zu of %zu cells not "
            "complete</summary>\n<table class=\"hm mv\"><thead><tr><th>",
            g->name, g->name, g->ncols, g->ncols == 1 ? "" : "s", open, m->days.n * g->ncols);
    for (size_t j = 0; j < g->ncols; j++)
        fprintf(f, "<th title=\"%s\">%s", m->tables[g->cols[j]].table, m->tables[g->cols[j]].code);
    fputs("</tr></thead><tbody>\n", f);
    for (size_t r0 = 0, r1; r0 < m->days.n; r0 = r1) {
        char month[8];
        r1 = gaps_month_end(m, r0);
        gaps_month_of(m, r0, month);
        fprintf(f, "<tr class=mo id=%s-%s><th><a href=\"%s/%s.html\">%s</a>", g->name, month, link,
                month, month);
        for (size_t j = 0; j < g->ncols; j++)
            gaps_month_cell(f, m, r0, r1, g->cols[j], month);
        fputs("</tr>\n", f);
    }
    fputs("</tbody></table></details>\n", f);
}

void gaps_html_groups(FILE *f, const char *link, const gaps_matrix *m, const gaps_groups *gs)
{
    grid(f, link, m, gs);
    fputs("<h2>Groups: months &times; tables</h2>\n", f);
    for (size_t i = 0; i < gs->n; i++)
        group(f, link, m, &gs->g[i]);
}
