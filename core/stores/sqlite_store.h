/* sqlite_store.h - the SQLite driver's connection, shared by its files
 * (sqlite.c, sqlite_guard.c); nothing outside core/stores/ includes it. */
#ifndef BF_SQLITE_STORE_H
#define BF_SQLITE_STORE_H

#include <sqlite3.h>

#include "stores/store.h"

typedef struct sqlite_store {
    store base;
    sqlite3 *db;
    /* The date being written: its output table, staging table, date. */
    char table[256], stage[300], column[256], date[16];
    int guard;         /* enum store_guard */
    char guarded[256]; /* STORE_GUARD_PREPARE: the output table */
    char denied[512];  /* why the authorizer refused the last statement */
    int trace_fd;      /* BACKFILL_SQL_TRACE, or -1 */
    int lock_fd;       /* store_lock's flock, or -1 */
    int writable;      /* opened STORE_READ_WRITE */
} sqlite_store;

/* The authorizer behind the guards (sqlite3_set_authorizer's callback,
 * udata the sqlite_store): SQLITE_OK or SQLITE_DENY, with the statement's
 * fault and the rule it broke in denied. */
int sqlite_authorize(void *udata, int action, const char *arg1, const char *arg2,
                     const char *dbname, const char *trigger);

#endif
