/* sqlite.c - the embedded store: one SQLite file, no server.
 *
 * Writers run in WAL mode with a busy handler so concurrent workers queue
 * for the write lock instead of failing a date on SQLITE_BUSY; readers
 * never wait for writers. A read-only
 * connection never changes the file: it is what pre-flight and dry runs
 * use, so a refused run leaves the store byte-identical. */
#include "stores/store.h"

#include "files.h"
#include "lock.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* How long a writer waits for another connection's write lock. Dates are
 * short transactions, so a long wait means something is stuck. */
#define SQLITE_BUSY_TIMEOUT_MS 60000

typedef struct sqlite_store {
    store base;
    sqlite3 *db;
    /* The date being written: its output table, staging table, date. */
    char table[256], stage[300], column[256], date[16];
    int lock_fd; /* store_lock's flock, or -1 */
} sqlite_store;

static sqlite3 *db_of(store *s)
{
    return ((sqlite_store *)s)->db;
}

static int prepare_bound(store *s, const char *sql, const bf_value *params, int n,
                         sqlite3_stmt **out)
{
    sqlite3 *db = db_of(s);
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
        return store_fail(s, "%s (in: %.200s)", sqlite3_errmsg(db), sql);
    if (sqlite3_bind_parameter_count(st) != n) {
        sqlite3_finalize(st);
        return store_fail(s, "statement has %d placeholders, %d values given (in: %.200s)",
                          sqlite3_bind_parameter_count(st), n, sql);
    }
    for (int i = 0; i < n; i++) {
        int rc;
        switch (params[i].type) {
        case BF_INT: rc = sqlite3_bind_int64(st, i + 1, params[i].v.i); break;
        case BF_REAL: rc = sqlite3_bind_double(st, i + 1, params[i].v.d); break;
        case BF_TEXT: rc = sqlite3_bind_text(st, i + 1, params[i].v.s, -1, SQLITE_STATIC); break;
        case BF_NULL: rc = sqlite3_bind_null(st, i + 1); break;
        default:
            sqlite3_finalize(st);
            return store_fail(s, "parameter %d has unknown type %d", i + 1, params[i].type);
        }
        if (rc != SQLITE_OK) {
            sqlite3_finalize(st);
            return store_fail(s, "binding parameter %d: %s", i + 1, sqlite3_errmsg(db));
        }
    }
    *out = st;
    return BF_OK;
}

static int sqlite_query(store *s, const char *sql, const bf_value *params, int n, store_row_fn fn,
                        void *udata)
{
    sqlite3_stmt *st = NULL;
    int rc = prepare_bound(s, sql, params, n, &st);
    if (rc != BF_OK)
        return rc;
    int ncols = sqlite3_column_count(st);
    const char *values[64];
    if (ncols > 64)
        ncols = 64;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        for (int i = 0; i < ncols; i++)
            values[i] = (const char *)sqlite3_column_text(st, i);
        if (fn && fn(udata, ncols, values)) {
            rc = SQLITE_DONE;
            break;
        }
    }
    if (rc != SQLITE_DONE) {
        store_fail(s, "%s (in: %.200s)", sqlite3_errmsg(db_of(s)), sql);
        sqlite3_finalize(st);
        return BF_ERROR_STORE;
    }
    sqlite3_finalize(st);
    return BF_OK;
}

static int sqlite_exec(store *s, const char *sql, const bf_value *params, int n)
{
    return sqlite_query(s, sql, params, n, NULL, NULL);
}

static int sqlite_open(const bf_config *cfg, int mode, store **out, char *err, size_t errlen)
{
    sqlite_store *s = calloc(1, sizeof *s);
    if (!s) {
        snprintf(err, errlen, "out of memory");
        return BF_ERROR;
    }
    s->base.driver = &store_sqlite_driver;
    s->lock_fd = -1;
    char why[512];
    if (file_check_regular(cfg->store_path, why, sizeof why) != 0) { /* a FIFO would hang */
        snprintf(err, errlen, "cannot open store %s", why);
        goto fail;
    }
    /* Never CREATE: a mistyped path must not become a new, empty store
     * that every dependency then "misses". */
    int flags = (mode == STORE_READ_WRITE ? SQLITE_OPEN_READWRITE : SQLITE_OPEN_READONLY) |
                SQLITE_OPEN_NOMUTEX;
    if (sqlite3_open_v2(cfg->store_path, &s->db, flags, NULL) != SQLITE_OK) {
        snprintf(err, errlen, "cannot open store %s: %s", cfg->store_path,
                 s->db ? sqlite3_errmsg(s->db) : "out of memory");
        goto fail;
    }
    sqlite3_busy_timeout(s->db, SQLITE_BUSY_TIMEOUT_MS);
    /* Any statement proves the file is a database; schema reads fail on a
     * file that is not one. */
    if (sqlite_exec(&s->base, "SELECT count(*) FROM sqlite_master", NULL, 0) != BF_OK ||
        (mode == STORE_READ_WRITE &&
         (sqlite_exec(&s->base, "PRAGMA journal_mode=WAL", NULL, 0) != BF_OK ||
          sqlite_exec(&s->base, "PRAGMA synchronous=NORMAL", NULL, 0) != BF_OK))) {
        snprintf(err, errlen, "cannot open store %s: %s", cfg->store_path, s->base.error);
        goto fail;
    }
    *out = &s->base;
    return BF_OK;
fail:
    sqlite3_close(s->db);
    free(s);
    return BF_ERROR;
}

static void sqlite_close(store *s)
{
    sqlite_store *ss = (sqlite_store *)s;
    lock_release(ss->lock_fd);
    sqlite3_close(ss->db); /* an open transaction rolls back */
    free(ss);
}

static int note_row(void *udata, int ncols, const char *const *values)
{
    (void)ncols;
    (void)values;
    *(int *)udata = 1;
    return 1;
}

static int sqlite_table_exists(store *s, const char *table, int *exists)
{
    *exists = 0;
    const char *dot = strchr(table, '.');
    char sql[256];
    bf_value name = BF_V_TEXT(dot ? dot + 1 : table);
    /* A "schema.table" name asks that attached schema's catalogue. */
    snprintf(sql, sizeof sql,
             "SELECT 1 FROM %.*s%ssqlite_master WHERE type IN ('table','view')"
             " AND name = ? COLLATE NOCASE", /* as SQLite itself resolves names */
             dot ? (int)(dot - table) : 0, table, dot ? "." : "");
    return sqlite_query(s, sql, &name, 1, note_row, exists);
}

/* Write-audit-publish through a staging table in the connection's private
 * temp schema: process_date writes there without holding the database's
 * single write lock, so workers compute dates in parallel and queue only
 * for the short publish. Publish swaps the date's rows in one IMMEDIATE
 * transaction; abort just empties the staging table, leaving the published
 * rows untouched. */
static int sqlite_date_begin(store *s, const char *table, const char *column, const char *date,
                             const char **write_table)
{
    sqlite_store *ss = (sqlite_store *)s;
    char sql[1024];
    int rc = BF_OK;
    snprintf(ss->column, sizeof ss->column, "%s", column);
    snprintf(ss->date, sizeof ss->date, "%s", date);
    if (strcmp(ss->table, table) != 0) {
        /* First date of this table on this connection: make its staging
         * table, same columns in the same order, so publish can copy with
         * SELECT *. */
        snprintf(ss->table, sizeof ss->table, "%s", table);
        snprintf(ss->stage, sizeof ss->stage, "temp.bf_stage_%s", table);
        for (char *c = ss->stage + strlen("temp."); *c; c++)
            if (*c == '.')
                *c = '_';
        snprintf(sql, sizeof sql, "CREATE TABLE IF NOT EXISTS %s AS SELECT * FROM %s WHERE 0",
                 ss->stage, table);
        rc = sqlite_exec(s, sql, NULL, 0);
    }
    /* The one place the staging table is emptied: whatever an earlier
     * attempt left there, published or not, is gone. */
    if (rc == BF_OK) {
        snprintf(sql, sizeof sql, "DELETE FROM %s", ss->stage);
        rc = sqlite_exec(s, sql, NULL, 0);
    }
    if (rc == BF_OK)
        *write_table = ss->stage;
    return rc;
}

static int sqlite_date_publish(store *s)
{
    sqlite_store *ss = (sqlite_store *)s;
    char sql[1024];
    bf_value d = BF_V_TEXT(ss->date);
    int other = 0;
    snprintf(sql, sizeof sql, "SELECT 1 FROM %s WHERE %s IS NOT ? LIMIT 1", ss->stage, ss->column);
    int rc = sqlite_query(s, sql, &d, 1, note_row, &other);
    if (rc == BF_OK && other)
        rc = store_fail(s, "process_date wrote rows for other dates than %s into %s", ss->date,
                        ss->table);
    if (rc == BF_OK)
        rc = sqlite_exec(s, "BEGIN IMMEDIATE", NULL, 0);
    if (rc == BF_OK) {
        snprintf(sql, sizeof sql, "DELETE FROM %s WHERE %s = ?", ss->table, ss->column);
        rc = sqlite_exec(s, sql, &d, 1);
        if (rc == BF_OK) {
            snprintf(sql, sizeof sql, "INSERT INTO %s SELECT * FROM %s", ss->table, ss->stage);
            rc = sqlite_exec(s, sql, NULL, 0);
        }
        if (rc == BF_OK)
            rc = sqlite_exec(s, "COMMIT", NULL, 0);
        if (rc != BF_OK && !sqlite3_get_autocommit(ss->db))
            sqlite3_exec(ss->db, "ROLLBACK", NULL, NULL, NULL);
    }
    return rc;
}

static int sqlite_date_abort(store *s)
{
    /* Nothing to undo: the published table was never touched, and the
     * staged rows are dropped when the next date begins. */
    (void)s;
    return BF_OK;
}

/* An flock on DB.<processor>.lock beside the database: outside the
 * database, so taking it writes nothing there, and the kernel drops it when
 * the holder dies. */
static int sqlite_lock(store *s, const char *processor, char *err, size_t errlen)
{
    sqlite_store *ss = (sqlite_store *)s;
    char path[4096], why[1024];
    const char *db = sqlite3_db_filename(ss->db, "main");
    if (ss->lock_fd >= 0 || !db || !*db) {
        snprintf(err, errlen, "store lock of %s: %s", processor,
                 ss->lock_fd >= 0 ? "already taken on this connection" : "no database file");
        return -1;
    }
    snprintf(path, sizeof path, "%s.%s.lock", db, processor);
    int fd = lock_take(path, NULL, why, sizeof why);
    if (fd == -2)
        snprintf(err, errlen, "another run of %s on store %s holds %s: %s", processor, db, path,
                 why);
    else if (fd < 0)
        snprintf(err, errlen, "store lock: %s", why);
    else
        ss->lock_fd = fd;
    return fd < 0 ? fd : 0;
}

static void sqlite_unlock(store *s)
{
    sqlite_store *ss = (sqlite_store *)s;
    lock_release(ss->lock_fd);
    ss->lock_fd = -1;
}

const store_driver store_sqlite_driver = {
    .name = "sqlite",
    .open = sqlite_open,
    .close = sqlite_close,
    .exec = sqlite_exec,
    .query = sqlite_query,
    .table_exists = sqlite_table_exists,
    .date_begin = sqlite_date_begin,
    .date_publish = sqlite_date_publish,
    .date_abort = sqlite_date_abort,
    .lock = sqlite_lock,
    .unlock = sqlite_unlock,
};
