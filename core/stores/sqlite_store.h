/* sqlite_store.h - the SQLite driver's connection, shared by its files
 * (sqlite.c, sqlite_guard.c, sqlite_stmt.c, sqlite_publish.c); nothing
 * outside core/stores/ includes it. */
#ifndef BF_SQLITE_STORE_H
#define BF_SQLITE_STORE_H

#include <sqlite3.h>

#include "stores/store.h"

/* A prepared statement kept for reuse (sqlite_stmt.c). */
typedef struct sqlite_kept_stmt {
    char *sql;
    int guard; /* the guard it was prepared, and so authorized, under; SQLITE_CORE_KEY
                  for the core's */
    int busy;  /* taken: a nested call with the same SQL prepares its own */
    unsigned long used;
    sqlite3_stmt *st;
} sqlite_kept_stmt;

#define SQLITE_KEPT_STMTS 16
#define SQLITE_CORE_KEY   (-1)

typedef struct sqlite_store {
    store base;
    sqlite3 *db;
    /* The date being written: its output table, staging table, date; and
     * the table of validated dates waiting for the group commit, which
     * holds the rows of the dates in pending. */
    char table[256], stage[300], ready[300], column[256], date[16];
    /* A block of dates (sqlite_block.c): its staging table, and whether the
     * plugin's writes now go there instead of stage. */
    char block[300];
    int in_block;
    /* The date now staged came from a block, and runs in the block's
     * transaction (sqlite_block.c): its deferral writes the ready table in
     * that transaction. ready_open: the open transaction wrote the ready
     * table; ready_lost: such a transaction was rolled back, so the ready
     * table lacks pending dates and the group must fail. block_txn: the
     * block's transaction is still open; block_lost: it ended without
     * committing, so the block's rows are gone with it. */
    int block_date, ready_open, ready_lost, block_txn, block_lost;
    char (*pending)[16];
    size_t npending, pending_cap;
    int guard;         /* enum store_guard of the plugin's statements */
    int core;          /* nonzero while the core's own statement runs */
    char guarded[256]; /* STORE_GUARD_PREPARE: the output table */
    char denied[512];  /* why the authorizer refused the last statement */
    char *readable;    /* guarded reads: names, each NUL-ended, "" last; NULL: any */
    int trace_fd;      /* BACKFILL_SQL_TRACE, or -1 */
    int lock_fd;       /* store_lock's flock, or -1 */
    int inner_fd;      /* store_lock's lock inside the database file, or -1 */
    char locked[256];  /* the processor store_lock locked, "" if none */
    int writable;      /* opened STORE_READ_WRITE */
    sqlite_kept_stmt kept[SQLITE_KEPT_STMTS];
    unsigned long uses;
} sqlite_store;

/* sqlite_stmt.c: one of the core's own statements (store_core_exec and
 * store_core_query; the guard does not apply), its parameters bound, run
 * through the kept statements. */
int sqlite_exec(store *s, const char *sql, const bf_value *params, int n);
int sqlite_query(store *s, const char *sql, const bf_value *params, int n, store_row_fn fn,
                 void *udata);
/* sqlite_stmt.c: one of the plugin's statements (store_exec, store_query):
 * the authorizer holds it to the guard. */
int sqlite_plugin_exec(store *s, const char *sql, const bf_value *params, int n);
int sqlite_plugin_query(store *s, const char *sql, const bf_value *params, int n, store_row_fn fn,
                        void *udata);

/* sqlite_stmt.c: forget every kept statement. */
void sqlite_stmt_forget(sqlite_store *ss);

/* sqlite_publish.c: write-audit-publish (store.h's date_* calls). */
int sqlite_date_begin(store *s, const char *table, const char *column, const char *date,
                      const char **write_table);
int sqlite_date_defer(store *s);
int sqlite_commit_group(store *s);
int sqlite_date_publish(store *s);
int sqlite_date_abort(store *s);
int sqlite_date_staged_rows(store *s, int64_t *rows);
/* sqlite_publish.c: end the date's transaction, if one is open (COMMIT;
 * ROLLBACK if that fails), returning the COMMIT's status. */
int sqlite_date_end(store *s);
/* sqlite_publish.c: temp.bf_<what>_<table>, dots made underscores. */
void sqlite_temp_name(char *buf, size_t size, const char *what, const char *table);

/* sqlite_block.c: blocks of dates (store.h's block_* calls). */
int sqlite_block_begin(store *s, const char *table, const char *column, const char *first,
                       const char *last, const char **write_table);
int sqlite_block_end(store *s);
int sqlite_block_rows(store *s, store_row_fn fn, void *udata);
int sqlite_date_begin_block(store *s, const char *date, const char **write_table);

/* The authorizer behind the guards (sqlite3_set_authorizer's callback,
 * udata the sqlite_store): SQLITE_OK or SQLITE_DENY, with the statement's
 * fault and the rule it broke in denied. */
int sqlite_authorize(void *udata, int action, const char *arg1, const char *arg2,
                     const char *dbname, const char *trigger);

/* Register the aggregate bf_checksum(col, ...) on db (sqlite_checksum.c):
 * the sum modulo 2^64 of a 64-bit hash of each row's values, the same
 * whatever order the rows come in. Returns an SQLite result code. */
int sqlite_register_checksum(sqlite3 *db);

/* sqlite_guard.c: store_confine_reads, and its memory at close. */
void sqlite_confine_reads(store *s, const char *const *tables);

#endif
