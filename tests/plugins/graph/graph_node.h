/* graph_node.h - processors that exist only for what they declare: each
 * writes table OUTPUT and reads table READS, so a few of them make the
 * graph faults (cycle, duplicate writer, calendar writer) the core must
 * refuse. They sit apart from tests/plugins, whose tests load every
 * processor in the directory. */
#ifndef BF_GRAPH_NODE_H
#define BF_GRAPH_NODE_H

#include "backfill/plugin.h"

#define GRAPH_NODE(NAME, OUTPUT, READS)                                                            \
    BF_PLUGIN_MAGIC                                                                                \
    static const bf_descriptor descriptor = {                                                      \
        .name = NAME,                                                                              \
        .output_table = OUTPUT,                                                                    \
        .date_column = "game_date",                                                                \
        .description = "graph test: reads " READS,                                                 \
        .bootstrap_days = BF_DEFAULT_BOOTSTRAP,                                                    \
        .thread_safe = 1,                                                                          \
    };                                                                                             \
    static const bf_dependency deps[] = {{READS, "game_date", BF_REQUIRED, 0.0, 0}};               \
    const bf_descriptor *backfill_descriptor(void)                                                 \
    {                                                                                              \
        return &descriptor;                                                                        \
    }                                                                                              \
    const bf_dependency *dependencies(size_t *count)                                               \
    {                                                                                              \
        *count = 1;                                                                                \
        return deps;                                                                               \
    }                                                                                              \
    int process_date(bf_ctx *ctx, const char *date)                                                \
    {                                                                                              \
        (void)ctx;                                                                                 \
        (void)date;                                                                                \
        return BF_OK;                                                                              \
    }                                                                                              \
    int validate_date(bf_ctx *ctx, const char *date, bf_validation *out)                           \
    {                                                                                              \
        (void)ctx;                                                                                 \
        (void)date;                                                                                \
        out->expected = 0;                                                                         \
        out->actual = 0;                                                                           \
        return BF_OK;                                                                              \
    }

#endif
