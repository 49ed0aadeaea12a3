/* graph.h - the processor graph: every processor in plugin_dir, with the
 * edges their declared dependencies imply.
 *
 * A dependency on a table that another processor writes (its output_table,
 * names compared case-insensitively as SQLite does) is an edge from that
 * processor (upstream) to the reader (downstream). Every other dependency
 * is a raw input: a table no processor writes. Optional dependencies are
 * edges too: the reader must run after the writer, fallback or not.
 *
 * Faults, each one line:
 *   - a plugin that does not load (the loader's own message);
 *   - a processor writing the calendar table (calendar.table): the calendar
 *     and the raw tables are the data everything is computed from, and a
 *     processor never overwrites them. A table some processor writes is by
 *     definition that processor's output, so the calendar is the one raw
 *     table the declarations name; the store driver's authorizer keeps a
 *     processor out of every other table at run time;
 *   - two or more processors writing one table (naming their files);
 *   - a cycle, named as `cycle: a -> b -> c -> a`; a processor reading its
 *     own output table is the cycle `a -> a`;
 *   - a group (config `groups`) naming no processor, or named like one.
 * Which processors a fault involves: its writers and the processors that
 * declare the table it is about; every member of a cycle. Load failures
 * and group faults involve none.
 */
#ifndef BF_GRAPH_H
#define BF_GRAPH_H

#include <stddef.h>

#include "config/config.h"
#include "plugin/loader.h"

#define GRAPH_NONE ((size_t)-1)

typedef struct graph_node {
    plugin p;            /* loaded; unloaded by graph_free */
    const char *name;    /* p.desc->name */
    size_t *up, nup;     /* upstream processors, ascending index (= by name) */
    size_t *down, ndown; /* downstream processors, ascending index */
    size_t *writer;      /* per p.deps[k]: index of the processor writing that
                            table, or GRAPH_NONE for a raw input */
} graph_node;

typedef struct graph_fault {
    char *text;              /* one line, no newline */
    unsigned char *involved; /* per node: 1 if this fault concerns it;
                                NULL when it concerns no loaded node */
} graph_fault;

typedef struct graph {
    const bf_config *cfg; /* borrowed: must outlive the graph (groups) */
    graph_node *nodes;    /* sorted by name */
    size_t n;
    size_t *order; /* node indices, topological, ties broken by name */
    size_t norder; /* == n unless a cycle left nodes out */
    graph_fault *faults;
    size_t nfaults;
} graph;

/* Load every plugin in cfg->plugin_dir and derive the graph. Strict: any
 * fault refuses it (BF_ERROR, the first fault in err, nothing left
 * allocated). On BF_OK g->order holds every node; free with graph_free. */
int graph_load(const bf_config *cfg, graph *g, char *err, size_t errlen);

/* Lenient: loads what loads and records every fault in g->faults instead
 * of refusing. BF_ERROR (err set, nothing allocated) only if plugin_dir
 * cannot be read or memory runs out. g->order then leaves out the nodes on
 * or downstream of a cycle. Free with graph_free. */
int graph_open(const bf_config *cfg, graph *g, char *err, size_t errlen);

void graph_free(graph *g);

/* For `run NAME` and `verify NAME`: BF_ERROR with the first fault that
 * involves NAME in err, and nothing else said; otherwise BF_OK, each fault
 * elsewhere logged as a warning, so an unrelated broken plugin does not
 * stop a processor that is sound. */
int graph_refuses(const graph *g, const char *name, char *err, size_t errlen);

/* The node named name, or GRAPH_NONE. */
size_t graph_find(const graph *g, const char *name);

/* Mark in mask (g->n entries, caller-owned; nothing is cleared) the
 * processors a selection names: "A,B", a group "phase3", or a mix
 * "phase3,ml_feature_store". BF_ERROR with err naming an unknown or empty
 * item; mask may then be partly set. */
int graph_select(const graph *g, const char *spec, unsigned char *mask, char *err, size_t errlen);

/* Add to mask everything the marked processors need: their upstream
 * processors, transitively. */
void graph_closure(const graph *g, unsigned char *mask);

/* The widest window, in days before a date, that a dependency of a marked
 * processor reaches back (window.h): a judge cache for them all reads its
 * tables that far back. */
int graph_widest_lookback(const graph *g, const unsigned char *mask, const bf_config *cfg);

#endif
