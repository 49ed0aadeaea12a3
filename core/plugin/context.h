/* context.h - the bf_ctx the core hands to a plugin: its store connection,
 * its config section, the date being written and what the plugin's calls
 * went wrong with. */
#ifndef BF_CONTEXT_H
#define BF_CONTEXT_H

#include <stdatomic.h>

#include "backfill/plugin.h"
#include "config/config.h"
#include "plugin/loader.h"
#include "stores/store.h"

typedef struct run_ctx {
    bf_ctx pub; /* first: plugins see only this */
    store *store;
    const plugin *plugin;
    const bf_config *cfg;
    const atomic_int *stop;  /* bf_should_stop reads it; may be NULL */
    const char *write_table; /* set by the store for the current date */
    void *user;              /* what worker_init stored */
    int user_open;           /* worker_init succeeded: call worker_fini */
    int error_class;         /* enum bf_error_class of error, 0 if none */
    int config_error;        /* a config getter failed: exit 2, not a date */
    char error[512];         /* the last error a plugin call caused */
} run_ctx;

/* Point ctx at a store connection owned by the caller. */
void context_init(run_ctx *ctx, store *s, const plugin *p, const bf_config *cfg);

/* Forget the last error, before a plugin call. */
void context_clear_error(run_ctx *ctx);

/* The plugin's calls. Each starts with no refusal on record on the store
 * (store_refused), and runs under STORE_GUARD_READ but process_date
 * (STORE_GUARD_STAGE) and prepare (STORE_GUARD_PREPARE); the connection is
 * under STORE_GUARD_READ again when each returns. */

/* Run the plugin's worker_init, if it exports one. Returns BF_OK or its
 * status, with the reason in ctx->error; a statement the guard refused
 * fails it even if the plugin returned BF_OK (context_refused). */
int context_open(run_ctx *ctx);
/* Run worker_fini if worker_init succeeded. BF_OK, or BF_ERROR_STORE if
 * the guard refused one of its statements, the refusal in ctx->error. */
int context_close(run_ctx *ctx);
/* prepare(): its status, or BF_ERROR_STORE for an ignored refusal. */
int context_prepare(run_ctx *ctx);
/* process_date and validate_date: the plugin's status as it returned it;
 * the caller asks context_refused next. */
int context_process_date(run_ctx *ctx, const char *date);
int context_validate_date(run_ctx *ctx, const char *date, bf_validation *out);
/* process_dates over dates[0..n-1] (n >= 1, oldest first; the plugin has
 * it), under STORE_GUARD_STAGE like process_date. */
int context_process_dates(run_ctx *ctx, const char *const *dates, size_t n);

/* expected_dates over dates[0..n-1] into expected[0..n-1]: BF_OK, or not
 * (the plugin has none, failed, refused, or gave a negative count): then
 * expected is to be ignored and every date asks validate_date. */
int context_expected_dates(run_ctx *ctx, const char *const *dates, size_t n, int64_t *expected);

/* After a plugin call that returned rc: nonzero if the store refused one
 * of its statements and the plugin did not fail with that refusal
 * (returned BF_OK, or failed with another error). ctx->error then reads
 * "refused ACTION OBJECT: RULE (in: SQL) (the plugin ignored the error)",
 * class BF_PERMANENT. 0 leaves ctx untouched. */
int context_refused(run_ctx *ctx, int rc);

/* "BF_ERROR_STORE" for BF_ERROR_STORE, "status 7" for an unknown code
 * (written into buf). */
const char *context_status_name(int status, char *buf, size_t size);

#endif
