/* gaps_groups.c - the sets of tables the HTML view sums up by (see
 * gaps_groups.h). */
#include "report/gaps_groups.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine/judge.h"

int gaps_state_open(int state)
{
    return state != STATE_COMPLETE && state != STATE_UNVERIFIED && state != STATE_WAIVED &&
           state != STATE_SKIPPED;
}

/* Append a group of ncols columns (cols copied) named name. */
static int add(gaps_groups *gs, const char *name, const size_t *cols, size_t ncols)
{
    gaps_group *g = realloc(gs->g, (gs->n + 1) * sizeof *g);
    if (!g)
        return -1;
    gs->g = g;
    g = &gs->g[gs->n];
    memset(g, 0, sizeof *g);
    g->cols = malloc((ncols + 1) * sizeof *g->cols);
    if (!g->cols)
        return -1;
    memcpy(g->cols, cols, ncols * sizeof *cols);
    g->ncols = ncols;
    snprintf(g->name, sizeof g->name, "%s", name);
    gs->n++;
    return 0;
}

/* The columns of m whose processor is a member of cg, in graph order. */
static size_t members(const gaps_matrix *m, const config_group *cg, size_t *cols)
{
    size_t n = 0;
    for (size_t k = 0; k < m->ntables; k++)
        for (int i = 0; i < cg->nmembers; i++)
            if (strcmp(cg->members[i], m->tables[k].processor) == 0) {
                cols[n++] = k;
                break;
            }
    return n;
}

/* The configured groups, then "other"; in[k] marks the columns placed. */
static int by_config(const gaps_matrix *m, gaps_groups *gs, size_t *cols, unsigned char *in)
{
    for (int i = 0; i < m->ngroups; i++) {
        size_t n = members(m, &m->groups[i], cols);
        if (n == 0 || n == m->ntables)
            continue; /* nothing here, or the page's own total */
        if (add(gs, m->groups[i].name, cols, n) != 0)
            return -1;
        for (size_t j = 0; j < n; j++)
            in[cols[j]] = 1;
    }
    if (gs->n == 0)
        return 0;
    size_t n = 0;
    for (size_t k = 0; k < m->ntables; k++)
        if (!in[k])
            cols[n++] = k;
    if (n == 0)
        return 0;
    /* "other", unless a group is named so: then "other_", "other__"... */
    char name[sizeof gs->g->name] = "other";
    for (size_t i = 0; i < gs->n; i++)
        if (strcmp(gs->g[i].name, name) == 0 && strlen(name) + 1 < sizeof name) {
            strcat(name, "_");
            i = (size_t)-1; /* and look again */
        }
    return add(gs, name, cols, n);
}

/* One group per layer of the graph that holds a table. */
static int by_layer(const gaps_matrix *m, gaps_groups *gs, size_t *cols)
{
    int top = 0;
    for (size_t k = 0; k < m->ntables; k++)
        if (m->tables[k].layer > top)
            top = m->tables[k].layer;
    for (int l = 0; l <= top; l++) {
        size_t n = 0;
        for (size_t k = 0; k < m->ntables; k++)
            if (m->tables[k].layer == l)
                cols[n++] = k;
        char name[24];
        snprintf(name, sizeof name, "layer%d", l);
        if (n && add(gs, name, cols, n) != 0)
            return -1;
    }
    return 0;
}

int gaps_groups_make(const gaps_matrix *m, gaps_groups *out)
{
    memset(out, 0, sizeof *out);
    size_t *cols = malloc((m->ntables + 1) * sizeof *cols);
    unsigned char *in = calloc(m->ntables + 1, 1);
    int rc = cols && in ? by_config(m, out, cols, in) : -1;
    if (rc == 0 && out->n == 0)
        rc = by_layer(m, out, cols);
    free(cols);
    free(in);
    if (rc != 0)
        gaps_groups_free(out);
    return rc;
}

void gaps_groups_free(gaps_groups *gs)
{
    for (size_t i = 0; i < gs->n; i++)
        free(gs->g[i].cols);
    free(gs->g);
    memset(gs, 0, sizeof *gs);
}
