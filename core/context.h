/* context.h - the bf_ctx the core hands to a plugin: its store connection,
 * its config section and the date being written. */
#ifndef BF_CONTEXT_H
#define BF_CONTEXT_H

#include "backfill/plugin.h"
#include "config.h"
#include "loader.h"
#include "stores/store.h"

typedef struct run_ctx {
    bf_ctx pub; /* first: plugins see only this */
    store *store;
    const plugin *plugin;
    const bf_config *cfg;
    const char *write_table; /* set by the store for the current date */
    char error[512];         /* the last store error a plugin call caused */
} run_ctx;

/* Point ctx at a store connection owned by the caller. */
void context_init(run_ctx *ctx, store *s, const plugin *p, const bf_config *cfg);

#endif
