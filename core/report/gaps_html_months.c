/* gaps_html_months.c - the page of months and a page per month (see
 * gaps_html_months.h). */
#include "report/gaps_html_months.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "engine/judge.h"
#include "report/gaps_groups.h"
#include "report/gaps_html.h"
#include "report/gaps_html_groups.h"
#include "report/gaps_months.h"

static int month_page(const char *dir, const char *up, const gaps_matrix *m, size_t r0, size_t r1,
                      const char *month)
{
    char path[4200];
    snprintf(path, sizeof path, "%s/%s.html", dir, month);
    FILE *f = fopen(path, "w");
    int rc = f ? gaps_write_html_rows(f, m, r0, r1, up) : -1;
    if (f && fclose(f) != 0)
        rc = -1;
    if (rc != 0)
        fprintf(stderr, "backfill gaps: --html %s: %s\n", path, strerror(errno));
    return rc;
}

/* Months down, every table across. */
static void months_by_table(FILE *f, const char *link, const gaps_matrix *m)
{
    fputs("<h2>Months &times; tables</h2>\n<table class=\"hm mv\"><thead><tr><th>", f);
    for (size_t k = 0; k < m->ntables; k++)
        fprintf(f, "<th title=\"%s\">%s", m->tables[k].table, m->tables[k].code);
    fputs("</tr></thead><tbody>\n", f);
    for (size_t r0 = 0, r1; r0 < m->days.n; r0 = r1) {
        char month[8];
        r1 = gaps_month_end(m, r0);
        gaps_month_of(m, r0, month);
        fprintf(f, "<tr class=mo><th><a href=\"%s/%s.html\">%s</a>", link, month, month);
        for (size_t k = 0; k < m->ntables; k++)
            gaps_month_cell(f, m, r0, r1, k, month);
        fputs("</tr>\n", f);
    }
    fputs("</tbody></table>", f);
}

/* The page of months (by group when the tables are many), and each
 * month's page. */
static long write_months(FILE *f, const char *dir, const char *link, const char *up,
                         const gaps_matrix *m)
{
    gaps_groups gs = {0};
    if (m->ntables > GAPS_HTML_GROUP_TABLES && gaps_groups_make(m, &gs) != 0) {
        errno = ENOMEM;
        return -1;
    }
    gaps_html_head(f, m);
    fprintf(f, "<h1>backfill gaps %s .. %s</h1>\n<p>%zu dates &times; %zu tables, by month",
            m->first, m->last, m->days.n, m->ntables);
    if (gs.n)
        fprintf(f, " and by group (%zu groups; a table in two groups counts in both)", gs.n);
    fputs(": a cell shows the worst state of its month; hover it for the count of each state, "
          "follow a month for its dates.</p>\n",
          f);
    gaps_html_legend(f, m);
    fputs("<div class=main><div>", f);
    if (gs.n)
        gaps_html_groups(f, link, m, &gs);
    else
        months_by_table(f, link, m);
    fputs("</div><aside>", f);
    if (gs.n)
        gaps_html_coverage_only(f, m);
    else
        gaps_html_coverage(f, m);
    gaps_groups_free(&gs);
    fputs("</aside></div>\n</body></html>\n", f);
    long pages = 0;
    for (size_t r0 = 0, r1; r0 < m->days.n; r0 = r1, pages++) {
        char month[8];
        r1 = gaps_month_end(m, r0);
        gaps_month_of(m, r0, month);
        if (month_page(dir, up, m, r0, r1, month) != 0)
            return -1;
    }
    return ferror(f) ? -1 : pages;
}

long gaps_html_months(const char *path, const gaps_matrix *m)
{
    char dir[4100], up[4100];
    const char *base = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
    snprintf(dir, sizeof dir, "%s.d", path);
    snprintf(up, sizeof up, "../%s", base);
    if (mkdir(dir, 0777) != 0 && errno != EEXIST) {
        fprintf(stderr, "backfill gaps: --html %s: %s\n", dir, strerror(errno));
        return -1;
    }
    FILE *f = fopen(path, "w");
    if (!f) {
        fprintf(stderr, "backfill gaps: --html %s: %s\n", path, strerror(errno));
        return -1;
    }
    char link[4100];
    snprintf(link, sizeof link, "%s.d", base);
    long pages = write_months(f, dir, link, up, m);
    if (fclose(f) != 0 || pages < 0) {
        fprintf(stderr, "backfill gaps: --html %s: %s\n", path, strerror(errno));
        return -1;
    }
    return pages;
}
