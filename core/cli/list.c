/* list.c - the `list` command: every processor in plugin_dir, loaded and
 * checked exactly as `run` would; with --graph or --dot, the order they
 * run in and what each reads. */
#include <ctype.h>
#include <stdio.h>
#include <strings.h>
#include <unistd.h>

#include "base/safetext.h"
#include "plugin/checks.h"
#include "plugin/range_checks.h"
#include "cli/cli.h"
#include "engine/window.h"
#include "engine/graph.h"
#include "plugin/plugin_config.h"
#include "plugin/plugin_path.h"

/* Each processor with its output table and dependencies, by name; every
 * fault on stderr. Exit 2 if there is any. */
static int list_plain(const bf_config *cfg)
{
    graph g;
    char err[1024];
    if (graph_open(cfg, &g, err, sizeof err) != BF_OK) {
        fprintf(stderr, "backfill: %s\n", err);
        return EXIT_USAGE;
    }
    for (size_t i = 0; i < g.n; i++) {
        const plugin *p = &g.nodes[i].p;
        char about[512]; /* the plugin's own text */
        printf("%-32s -> %s  %s\n", p->desc->name, p->desc->output_table,
               safetext(about, sizeof about, p->desc->description));
        for (size_t k = 0; k < p->ndeps; k++)
            printf("    %s %s.%s\n",
                   p->deps[k].requirement == BF_REQUIRED ? "requires" : "optional",
                   p->deps[k].table, p->deps[k].date_column);
        printf("    from %s\n", p->path);
    }
    for (size_t i = 0; i < g.nfaults; i++)
        fprintf(stderr, "backfill: %s\n", g.faults[i].text);
    if (g.n == 0 && g.nfaults == 0)
        printf("no processors in %s\n", cfg->plugin_path);
    int rc = g.nfaults ? EXIT_USAGE : EXIT_DONE;
    graph_free(&g);
    return rc;
}

static const char *optional_mark(const bf_dependency *d)
{
    return d->requirement == BF_OPTIONAL ? " (optional)" : "";
}

/* One line "    LABEL  a, b (optional)" of the dependencies that are
 * processor outputs (upstream) or raw tables (!upstream). */
static void print_inputs(const graph_node *node, const graph *g, int upstream)
{
    printf("     %-9s", upstream ? "upstream" : "raw");
    int any = 0;
    for (size_t k = 0; k < node->p.ndeps; k++) {
        size_t w = node->writer[k];
        if ((w != GRAPH_NONE) != upstream)
            continue;
        printf("%s%s%s", any++ ? ", " : " ", upstream ? g->nodes[w].name : node->p.deps[k].table,
               optional_mark(&node->p.deps[k]));
    }
    printf("%s\n", any ? "" : " -");
}

static void print_text(const graph *g)
{
    printf("processor graph of %s: %zu processors, in the order they can run\n",
           g->cfg->plugin_path, g->n);
    for (size_t k = 0; k < g->norder; k++) {
        const graph_node *node = &g->nodes[g->order[k]];
        const char *table = node->p.desc->output_table;
        printf("%2zu %s", k + 1, node->name);
        if (strcasecmp(table, node->name) != 0)
            printf(" -> table %s", table);
        printf("\n");
        print_inputs(node, g, 1);
        print_inputs(node, g, 0);
    }
}

/* 1 if no earlier raw dependency (of this node or one before it) named
 * the same table: each raw table is drawn once. */
static int first_mention(const graph *g, size_t i, size_t k)
{
    const char *table = g->nodes[i].p.deps[k].table;
    for (size_t j = 0; j <= i; j++) {
        const graph_node *node = &g->nodes[j];
        for (size_t m = 0; m < (j == i ? k : node->p.ndeps); m++)
            if (node->writer[m] == GRAPH_NONE && strcasecmp(node->p.deps[m].table, table) == 0)
                return 0;
    }
    return 1;
}

/* A raw table's node id: lower case, since SQLite's names are not. */
static void print_table_id(const char *table)
{
    printf("\"table:");
    for (const char *c = table; *c; c++)
        putchar(tolower((unsigned char)*c));
    printf("\"");
}

/* Graphviz: processors as boxes, raw tables as cylinders (ids prefixed
 * "table:" so a table may share a processor's name), optional reads
 * dashed. Names are plain identifiers, so quoting needs no escapes. */
static void print_dot(const graph *g)
{
    printf("digraph backfill {\n    rankdir=LR;\n    node [shape=box];\n");
    for (size_t k = 0; k < g->norder; k++)
        printf("    \"%s\";\n", g->nodes[g->order[k]].name);
    for (size_t i = 0; i < g->n; i++)
        for (size_t k = 0; k < g->nodes[i].p.ndeps; k++)
            if (g->nodes[i].writer[k] == GRAPH_NONE && first_mention(g, i, k)) {
                printf("    ");
                print_table_id(g->nodes[i].p.deps[k].table);
                printf(" [label=\"%s\", shape=cylinder];\n", g->nodes[i].p.deps[k].table);
            }
    for (size_t k = 0; k < g->norder; k++) {
        const graph_node *node = &g->nodes[g->order[k]];
        for (size_t d = 0; d < node->p.ndeps; d++) {
            const bf_dependency *dep = &node->p.deps[d];
            printf("    ");
            if (node->writer[d] == GRAPH_NONE)
                print_table_id(dep->table);
            else
                printf("\"%s\"", g->nodes[node->writer[d]].name);
            printf(" -> \"%s\"%s;\n", node->name,
                   dep->requirement == BF_OPTIONAL ? " [style=dashed]" : "");
        }
    }
    printf("}\n");
}

/* list -v NAME: everything the descriptor says, and the config keys. */
static int list_one(const bf_config *cfg, const char *name)
{
    plugin p;
    char err[1024];
    if (plugin_path_load(cfg, name, &p, err, sizeof err) != BF_OK) {
        fprintf(stderr, "backfill: %s\n", err);
        return EXIT_USAGE;
    }
    const bf_descriptor *d = p.desc;
    char config_fp[PLUGIN_CONFIG_FP_LEN], about[512]; /* about: the plugin's own text */
    plugin_config_fingerprint(cfg, &p, config_fp, sizeof config_fp);
    printf("%s -> %s (date column %s)\n    %s\n    file: %s\n    code: %s\n    %s\n", d->name,
           d->output_table, d->date_column, safetext(about, sizeof about, d->description), p.path,
           p.code, config_fp);
    int boot = loader_bootstrap_days(&p, cfg->bootstrap_days);
    printf("    bootstrap days: %d%s; complete at %.0f%% of expected rows; %s\n", boot,
           d->bootstrap_days == BF_NO_BOOTSTRAP ? " (none)"
           : d->bootstrap_days <= 0             ? " (config default)"
                                                : "",
           100 * loader_min_completeness(&p), d->thread_safe ? "thread-safe" : "one worker");
    for (size_t k = 0; k < p.ndeps; k++) {
        printf("    %s %s.%s", p.deps[k].requirement == BF_REQUIRED ? "requires" : "optional",
               p.deps[k].table, p.deps[k].date_column);
        if (p.deps[k].lookback_days) {
            char window[40];
            printf(" (window %s)", window_name(p.deps[k].lookback_days, window, sizeof window));
        }
        putchar('\n');
    }
    plugin_config_print(&p, stdout);
    check_set checks;
    int rc = EXIT_DONE;
    range_check_set ranged = {0};
    if (checks_load(cfg, &p, &checks, err, sizeof err) == 0 &&
        range_checks_load(cfg, &p, &ranged, err, sizeof err) == 0) {
        checks_print(&checks, stdout);
        range_checks_print(&ranged, stdout);
        range_checks_free(&ranged);
    } else {
        fprintf(stderr, "backfill: %s\n", err);
        rc = EXIT_USAGE;
    }
    checks_free(&checks);
    loader_unload(&p);
    return rc;
}

int cmd_list(const cli_options *o, const bf_config *cfg)
{
    char err[1024];
    /* An unsafe plugin_dir is said once, not once per plugin in it; a
     * missing directory of a search path is skipped, as the scan does. */
    for (int i = 0; i < cfg->nplugin_dirs; i++) {
        if (cfg->nplugin_dirs > 1 && access(cfg->plugin_dirs[i], F_OK) != 0)
            continue;
        if (loader_check_dir(cfg->plugin_dirs[i], err, sizeof err) != BF_OK) {
            fprintf(stderr, "backfill: %s\n", err);
            return EXIT_USAGE;
        }
    }
    if (o->processor)
        return list_one(cfg, o->processor);
    if (!o->graph && !o->dot)
        return list_plain(cfg);
    graph g;
    if (graph_load(cfg, &g, err, sizeof err) != BF_OK) {
        fprintf(stderr, "backfill: %s\n", err);
        return EXIT_USAGE;
    }
    if (o->dot)
        print_dot(&g);
    else
        print_text(&g);
    graph_free(&g);
    return EXIT_DONE;
}
