/* ch_store.h - what the ClickHouse driver's files share: the connection
 * and the helpers that send statements (internal to core/stores/). */
#ifndef BF_CH_STORE_H
#define BF_CH_STORE_H

#include "stores/ch_config.h"
#include "stores/ch_http.h"
#include "stores/store.h"

typedef struct ch_store {
    store base;
    const ch_config *cfg;
    int mode;
    ch_endpoint entry;   /* url: every read */
    ch_endpoint *shards; /* cluster: one per shard_urls entry */
    char token[24];      /* this connection's part of staging table names */
    int guard;
    char guarded[256];
    /* The date being written. stage: the table the plugin writes (the
     * Distributed one with cluster); stage_local: on each server. */
    char table[256], column[256], date[16];
    char stage[340], stage_local[320];
    char stage_source[600]; /* db.table the staging table copies: the output (local) */
    char **staged;          /* staging tables made, dropped at close */
    int nstaged;
} ch_store;

/* Run the bound statement text on e (readonly: with readonly=1;
 * retry_safe: running it twice is harmless); rows to fn when given. On
 * failure records the error in cs and returns BF_ERROR_STORE. */
int ch_send(ch_store *cs, ch_endpoint *e, const char *text, int readonly, int retry_safe,
            store_row_fn fn, void *udata);

/* The driver's own idempotent statement (printf-style, no placeholders). */
int ch_run(ch_store *cs, ch_endpoint *e, store_row_fn fn, void *udata, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

/* The servers a write must reach: each shard, or the one server. */
int ch_nservers(const ch_store *cs);
ch_endpoint *ch_server(ch_store *cs, int i);

/* Row callback: the first column of the first row as an integer. */
int ch_take_int(void *udata, int ncols, const bf_value *values);

/* Write-audit-publish, ch_stage.c. */
int ch_date_begin(store *s, const char *table, const char *column, const char *date,
                  const char **write_table);
int ch_date_publish(store *s);
int ch_date_abort(store *s);
int ch_date_staged_rows(store *s, int64_t *rows);

#endif
