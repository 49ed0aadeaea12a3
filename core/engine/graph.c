/* graph.c - load every processor on the plugin_dir search path and derive,
 * from what each declares, who must run before whom; refuse what no order
 * can fix (see graph.h for the rules). Graphs are small (tens of processors), so the
 * edges are found through an n x n matrix: simple and exact. */
#include "engine/graph.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/log.h"
#include "engine/window.h"
#include "plugin/plugin_path.h"

static int node_by_name(const void *a, const void *b)
{
    return strcmp(((const graph_node *)a)->name, ((const graph_node *)b)->name);
}

/* Record a fault. involved: per node, or NULL when it concerns none; the
 * graph takes ownership. Returns -1 only when memory runs out. */
static int add_fault(graph *g, unsigned char *involved, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int add_fault(graph *g, unsigned char *involved, const char *fmt, ...)
{
    graph_fault *f = realloc(g->faults, (g->nfaults + 1) * sizeof *f);
    if (!f) {
        free(involved);
        return -1;
    }
    g->faults = f;
    va_list ap;
    va_start(ap, fmt);
    int rc = vasprintf(&f[g->nfaults].text, fmt, ap);
    va_end(ap);
    if (rc < 0) {
        free(involved);
        return -1;
    }
    f[g->nfaults++].involved = involved;
    return 0;
}

static int same_table(const char *a, const char *b)
{
    return strcasecmp(a, b) == 0;
}

typedef struct loading {
    graph *g;
    size_t cap;
} loading;

/* One processor of the search path; one that fails to load becomes a fault. */
static int load_one(void *udata, const char *dir, const char *name)
{
    loading *l = udata;
    graph *g = l->g;
    if (g->n == l->cap) {
        size_t cap = l->cap ? 2 * l->cap : 16;
        graph_node *nodes = realloc(g->nodes, cap * sizeof *nodes);
        if (!nodes)
            return -1;
        g->nodes = nodes;
        l->cap = cap;
    }
    graph_node *node = &g->nodes[g->n];
    char why[1024];
    memset(node, 0, sizeof *node);
    if (loader_load(dir, name, &node->p, why, sizeof why) != BF_OK)
        return add_fault(g, NULL, "%s", why);
    node->name = node->p.desc->name;
    g->n++;
    return 0;
}

/* Load every processor on the search path; those that fail become faults. */
static int load_plugins(graph *g, char *err, size_t errlen)
{
    loading l = {g, 0};
    err[0] = '\0';
    if (plugin_path_scan(g->cfg, load_one, &l, err, errlen) != 0) {
        if (!err[0])
            snprintf(err, errlen, "out of memory");
        return -1;
    }
    if (g->n)
        qsort(g->nodes, g->n, sizeof *g->nodes, node_by_name);
    return 0;
}

/* The ascending indices j with row[j] set, as a new array. */
static size_t *indices(const unsigned char *row, size_t n, size_t stride, size_t *count)
{
    size_t *out = calloc(n ? n : 1, sizeof *out);
    *count = 0;
    for (size_t j = 0; out && j < n; j++)
        if (row[j * stride])
            out[(*count)++] = j;
    return out;
}

/* writer[k] of every node and the up/down lists. adj[u * n + d]: u is
 * upstream of d. A table with several writers gets an edge from each, so a
 * reader waits for all of them even while that fault stands. */
static int derive_edges(graph *g, unsigned char *adj)
{
    size_t n = g->n;
    for (size_t d = 0; d < n; d++) {
        graph_node *node = &g->nodes[d];
        node->writer = calloc(node->p.ndeps ? node->p.ndeps : 1, sizeof *node->writer);
        if (!node->writer)
            return -1;
        for (size_t k = 0; k < node->p.ndeps; k++) {
            node->writer[k] = GRAPH_NONE;
            for (size_t u = 0; u < n; u++) {
                if (!same_table(node->p.deps[k].table, g->nodes[u].p.desc->output_table))
                    continue;
                if (node->writer[k] == GRAPH_NONE)
                    node->writer[k] = u;
                adj[u * n + d] = 1;
            }
        }
    }
    for (size_t i = 0; i < n; i++) {
        graph_node *node = &g->nodes[i];
        node->down = indices(adj + i * n, n, 1, &node->ndown);
        node->up = indices(adj + i, n, n, &node->nup);
        if (!node->down || !node->up)
            return -1;
    }
    return 0;
}

/* Per node: 1 if it writes table or declares it as a dependency. */
static unsigned char *touching(const graph *g, const char *table)
{
    unsigned char *m = calloc(g->n ? g->n : 1, 1);
    for (size_t i = 0; m && i < g->n; i++) {
        const plugin *p = &g->nodes[i].p;
        m[i] = same_table(p->desc->output_table, table);
        for (size_t k = 0; k < p->ndeps && !m[i]; k++)
            m[i] = same_table(p->deps[k].table, table);
    }
    return m;
}

static int check_writers(graph *g)
{
    const char *calendar = g->cfg->calendar_table;
    for (size_t i = 0; i < g->n; i++) {
        const plugin *p = &g->nodes[i].p;
        if (same_table(p->desc->output_table, calendar) &&
            add_fault(g, touching(g, calendar),
                      "%s: output_table %s is the calendar table (calendar.table): a processor "
                      "never overwrites the data it is computed from",
                      p->path, p->desc->output_table) != 0)
            return -1;
    }
    for (size_t i = 0; i < g->n; i++) {
        const char *table = g->nodes[i].p.desc->output_table;
        int first = 1, others = 0;
        char files[2048] = "";
        size_t len = 0;
        for (size_t j = 0; j < g->n && first; j++) {
            if (!same_table(g->nodes[j].p.desc->output_table, table))
                continue;
            if (j < i)
                first = 0; /* reported with its first writer */
            else if (others++ < 8 && len < sizeof files)
                len += snprintf(files + len, sizeof files - len, "%s%s", others > 1 ? ", " : "",
                                g->nodes[j].p.path);
        }
        if (first && others > 1 &&
            add_fault(g, touching(g, table), "table %s is written by more than one processor: %s",
                      table, files) != 0)
            return -1;
    }
    return 0;
}

/* reach[s * n + v]: a path of one edge or more leads from s down to v. */
static unsigned char *reachability(const graph *g)
{
    size_t n = g->n;
    unsigned char *reach = calloc(n ? n * n : 1, 1);
    size_t *stack = calloc(n ? n : 1, sizeof *stack);
    for (size_t s = 0; reach && stack && s < n; s++) {
        unsigned char *row = reach + s * n;
        size_t top = 0;
        stack[top++] = s;
        while (top) {
            const graph_node *u = &g->nodes[stack[--top]];
            for (size_t k = 0; k < u->ndown; k++)
                if (!row[u->down[k]]) {
                    row[u->down[k]] = 1;
                    stack[top++] = u->down[k];
                }
        }
    }
    free(stack);
    if (!stack) {
        free(reach);
        return NULL;
    }
    return reach;
}

/* One fault per strongly connected set of processors, naming its shortest
 * cycle through the member first by name, so the message is stable. */
static int check_cycles(graph *g)
{
    size_t n = g->n;
    unsigned char *reach = reachability(g), *done = calloc(n ? n : 1, 1);
    size_t *queue = calloc(n ? n : 1, sizeof *queue), *from = calloc(n ? n : 1, sizeof *from);
    int rc = reach && done && queue && from ? 0 : -1;
    for (size_t s = 0; rc == 0 && s < n; s++) {
        if (done[s] || !reach[s * n + s])
            continue;
        unsigned char *members = calloc(n, 1);
        if (!members) {
            rc = -1;
            break;
        }
        for (size_t v = 0; v < n; v++) {
            members[v] = v == s || (reach[s * n + v] && reach[v * n + s]);
            done[v] |= members[v];
            from[v] = GRAPH_NONE;
        }
        /* Breadth first from s, inside the set, until an edge returns to s
         * from last. */
        size_t head = 0, tail = 0, last = GRAPH_NONE;
        queue[tail++] = s;
        while (head < tail && last == GRAPH_NONE) {
            const graph_node *u = &g->nodes[queue[head++]];
            for (size_t k = 0; k < u->ndown; k++) {
                size_t v = u->down[k];
                if (v == s) {
                    last = (size_t)(u - g->nodes);
                    break;
                }
                if (members[v] && from[v] == GRAPH_NONE) {
                    from[v] = (size_t)(u - g->nodes);
                    queue[tail++] = v;
                }
            }
        }
        /* Walk back from last to s, then print s -> ... -> last -> s. */
        size_t len = 0;
        for (size_t v = last; v != s; v = from[v])
            queue[len++] = v;
        char text[2048];
        size_t at = snprintf(text, sizeof text, "%s", g->nodes[s].name);
        while (len && at < sizeof text)
            at += snprintf(text + at, sizeof text - at, " -> %s", g->nodes[queue[--len]].name);
        rc = add_fault(g, members, "cycle: %s -> %s%s", text, g->nodes[s].name,
                       last == s ? " (it reads its own output table)" : "");
    }
    free(reach);
    free(done);
    free(queue);
    free(from);
    return rc;
}

static int check_groups(graph *g)
{
    const bf_config *cfg = g->cfg;
    for (int i = 0; i < cfg->ngroups; i++) {
        const config_group *gr = &cfg->groups[i];
        if (graph_find(g, gr->name) != GRAPH_NONE &&
            add_fault(g, NULL, "%s:%d: groups.%s: a group may not be named like a processor",
                      cfg->path, gr->line, gr->name) != 0)
            return -1;
        for (int k = 0; k < gr->nmembers; k++)
            if (graph_find(g, gr->members[k]) == GRAPH_NONE &&
                add_fault(g, NULL, "%s:%d: groups.%s: no processor '%s' in %s (see: backfill list)",
                          cfg->path, gr->member_lines[k], gr->name, gr->members[k],
                          cfg->plugin_path) != 0)
                return -1;
    }
    return 0;
}

/* Kahn's algorithm, always taking the ready node first by name. Nodes on
 * or below a cycle never become ready and are left out. */
static int topological_order(graph *g)
{
    size_t n = g->n;
    size_t *waiting = calloc(n ? n : 1, sizeof *waiting);
    g->order = calloc(n ? n : 1, sizeof *g->order);
    if (!waiting || !g->order) {
        free(waiting);
        return -1;
    }
    for (size_t i = 0; i < n; i++)
        waiting[i] = g->nodes[i].nup;
    for (;;) {
        size_t next = 0;
        while (next < n && waiting[next] != 0)
            next++;
        if (next == n)
            break;
        waiting[next] = GRAPH_NONE; /* placed */
        g->order[g->norder++] = next;
        for (size_t k = 0; k < g->nodes[next].ndown; k++)
            waiting[g->nodes[next].down[k]]--;
    }
    free(waiting);
    return 0;
}

int graph_open(const bf_config *cfg, graph *g, char *err, size_t errlen)
{
    memset(g, 0, sizeof *g);
    g->cfg = cfg;
    if (load_plugins(g, err, errlen) != 0) {
        graph_free(g);
        return BF_ERROR;
    }
    unsigned char *adj = calloc(g->n ? g->n * g->n : 1, 1);
    int rc = !adj || derive_edges(g, adj) != 0 || check_writers(g) != 0 || check_cycles(g) != 0 ||
             check_groups(g) != 0 || topological_order(g) != 0;
    free(adj);
    if (rc) {
        snprintf(err, errlen, "out of memory");
        graph_free(g);
        return BF_ERROR;
    }
    return BF_OK;
}

int graph_load(const bf_config *cfg, graph *g, char *err, size_t errlen)
{
    if (graph_open(cfg, g, err, errlen) != BF_OK)
        return BF_ERROR;
    if (g->nfaults == 0)
        return BF_OK;
    snprintf(err, errlen, "%s", g->faults[0].text);
    graph_free(g);
    return BF_ERROR;
}

void graph_free(graph *g)
{
    for (size_t i = 0; i < g->n; i++) {
        loader_unload(&g->nodes[i].p);
        free(g->nodes[i].up);
        free(g->nodes[i].down);
        free(g->nodes[i].writer);
    }
    for (size_t i = 0; i < g->nfaults; i++) {
        free(g->faults[i].text);
        free(g->faults[i].involved);
    }
    free(g->nodes);
    free(g->order);
    free(g->faults);
    memset(g, 0, sizeof *g);
}

int graph_refuses(const graph *g, const char *name, char *err, size_t errlen)
{
    size_t self = graph_find(g, name);
    const graph_fault *refusal = NULL;
    for (size_t i = 0; i < g->nfaults && !refusal && self != GRAPH_NONE; i++)
        if (g->faults[i].involved && g->faults[i].involved[self])
            refusal = &g->faults[i];
    if (refusal)
        snprintf(err, errlen, "%s", refusal->text);
    else
        for (size_t i = 0; i < g->nfaults; i++)
            log_warn("%s (ignored: does not concern %s)", g->faults[i].text, name);
    return refusal ? BF_ERROR : BF_OK;
}

size_t graph_find(const graph *g, const char *name)
{
    for (size_t i = 0; i < g->n; i++)
        if (strcmp(g->nodes[i].name, name) == 0)
            return i;
    return GRAPH_NONE;
}

int graph_select(const graph *g, const char *spec, unsigned char *mask, char *err, size_t errlen)
{
    const char *item = spec;
    for (;;) {
        size_t len = strcspn(item, ",");
        char name[256];
        snprintf(name, sizeof name, "%.*s", (int)len, item);
        if (len == 0 || len >= sizeof name) {
            snprintf(err, errlen, "'%s': empty or overlong name in the selection", spec);
            return BF_ERROR;
        }
        size_t i = graph_find(g, name);
        const config_group *gr = NULL;
        for (int k = 0; i == GRAPH_NONE && !gr && k < g->cfg->ngroups; k++)
            if (strcmp(g->cfg->groups[k].name, name) == 0)
                gr = &g->cfg->groups[k];
        if (i != GRAPH_NONE) {
            mask[i] = 1;
        } else if (gr) {
            /* graph_load refused groups naming no processor. */
            for (int k = 0; k < gr->nmembers; k++) {
                size_t m = graph_find(g, gr->members[k]);
                if (m != GRAPH_NONE)
                    mask[m] = 1;
            }
        } else {
            snprintf(err, errlen, "no processor or group '%s' (see: backfill list)", name);
            return BF_ERROR;
        }
        if (item[len] == '\0')
            return BF_OK;
        item += len + 1;
    }
}

void graph_closure(const graph *g, unsigned char *mask)
{
    /* Until nothing changes: a few passes over a small graph, and right
     * even where a cycle left nodes out of g->order. */
    for (int changed = 1; changed;) {
        changed = 0;
        for (size_t i = 0; i < g->n; i++)
            for (size_t u = 0; mask[i] && u < g->nodes[i].nup; u++)
                if (!mask[g->nodes[i].up[u]])
                    mask[g->nodes[i].up[u]] = changed = 1;
    }
}

int graph_widest_lookback(const graph *g, const unsigned char *mask, const bf_config *cfg)
{
    int widest = 0;
    for (size_t i = 0; i < g->n; i++)
        for (size_t k = 0; mask[i] && k < g->nodes[i].p.ndeps; k++) {
            int days = window_widest(g->nodes[i].p.deps[k].lookback_days, cfg);
            widest = days > widest ? days : widest;
        }
    return widest;
}
