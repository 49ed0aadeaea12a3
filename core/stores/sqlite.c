/* sqlite.c - the embedded store: one SQLite file, no server.
 *
 * Writers run in WAL mode with a busy handler so concurrent workers queue
 * for the write lock instead of failing a date on SQLITE_BUSY; readers
 * never wait for writers. A read-only connection never changes the file:
 * it is what pre-flight and dry runs use, so a refused run leaves the store
 * byte-identical.
 *
 * Isolation is SQLite's own authorizer (sqlite3_set_authorizer): it is
 * asked about every table a statement touches while the statement is
 * prepared, so a plugin's statement that would write anything but its
 * staging table never runs at all (sqlite_guard.c). */
#include "stores/sqlite_store.h"
#include "base/names.h"

#include "base/files.h"
#include "state/lock.h"

#include <fcntl.h>
#include <pthread.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>

/* store = { driver = "sqlite"; path = "FILE"; timeout_s = 60; }
 * timeout_s: how long a writer waits for another connection's write lock.
 * Dates are short transactions, so a long wait means something is stuck. */
typedef struct sqlite_config {
    char *path; /* resolved against the config file's directory */
    int timeout_s;
} sqlite_config;

static void sqlite_free_config(void *driver_cfg)
{
    sqlite_config *c = driver_cfg;
    if (c)
        free(c->path);
    free(c);
}

static int sqlite_parse_config(const config_setting_t *section, const store_conf *cfg,
                               void **driver_cfg, char *err, size_t errlen)
{
    static const char *const keys[] = {"driver", "path", "timeout_s", NULL};
    if (store_config_only_keys(section, cfg, keys, err, errlen) != 0)
        return -1;
    const config_setting_t *path = config_setting_get_member(section, "path");
    const config_setting_t *timeout = config_setting_get_member(section, "timeout_s");
    if (!path)
        return store_config_fail(cfg, section, "path", err, errlen, "missing");
    const char *p = config_setting_get_string(path);
    if (!p)
        return store_config_fail(cfg, path, "path", err, errlen, "expected a string");
    if (!*p)
        return store_config_fail(cfg, path, "path", err, errlen, "must not be empty");
    int t = 60;
    if (timeout) {
        if (config_setting_type(timeout) != CONFIG_TYPE_INT)
            return store_config_fail(cfg, timeout, "timeout_s", err, errlen, "expected an integer");
        t = config_setting_get_int(timeout);
        if (t < 1 || t > 86400)
            return store_config_fail(cfg, timeout, "timeout_s", err, errlen,
                                     "%d is out of range 1-86400", t);
    }
    sqlite_config *c = calloc(1, sizeof *c);
    if (c)
        c->path = name_resolve_path(cfg->dir, p);
    if (!c || !c->path) {
        sqlite_free_config(c);
        return store_config_fail(cfg, path, "path", err, errlen, "out of memory");
    }
    c->timeout_s = t;
    *driver_cfg = c;
    return 0;
}

static const char *sqlite_location(const void *driver_cfg)
{
    return ((const sqlite_config *)driver_cfg)->path;
}

static unsigned sqlite_caps(const void *driver_cfg)
{
    (void)driver_cfg;
    return STORE_CAP_ATOMIC_PUBLISH | STORE_CAP_GROUP_PUBLISH;
}

/* "a.b" as `a`.`b`: backticks, not double quotes, because SQLite reads a
 * double-quoted name that matches no column as a string literal, so a
 * misspelt column would pass unnoticed. Checked identifiers hold no
 * backtick, but one would be doubled as SQLite wants. */
static int sqlite_quote(const char *ident, char *buf, size_t size)
{
    size_t n = 0;
    for (const char *p = ident;; p++) {
        int start = p == ident || p[-1] == '.';
        if (start && n < size)
            buf[n++] = '`';
        if (*p == '.' || !*p) {
            if (n < size)
                buf[n++] = '`';
            if (!*p)
                break;
        }
        if (*p == '`' && n < size)
            buf[n++] = '`';
        if (n < size)
            buf[n++] = *p;
    }
    if (n >= size)
        return -1;
    buf[n] = '\0';
    return 0;
}

/* BACKFILL_SQL_TRACE=FILE appends every statement run, one per line: how
 * the tests count the queries a command makes. One write per line on an
 * O_APPEND descriptor, so lines of concurrent workers never interleave. */
static int trace_statement(unsigned type, void *udata, void *stmt, void *unused)
{
    (void)type;
    (void)unused;
    const char *sql = sqlite3_sql(stmt);
    char line[4096];
    int n = snprintf(line, sizeof line, "%s\n", sql ? sql : "");
    if (n > 0)
        (void)!write((int)(intptr_t)udata, line, (size_t)n < sizeof line ? (size_t)n : sizeof line);
    return 0;
}

static void trace_if_asked(sqlite_store *s)
{
    const char *path = getenv("BACKFILL_SQL_TRACE");
    if (!path || !*path)
        return;
    s->trace_fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC | O_NOFOLLOW, 0600);
    if (s->trace_fd >= 0)
        sqlite3_trace_v2(s->db, SQLITE_TRACE_STMT, trace_statement, (void *)(intptr_t)s->trace_fd);
}

/* Converting a rollback-journal file to WAL needs the file to itself, and
 * of two connections converting at once (a pipeline's processors starting
 * together) SQLite refuses one at once, SQLITE_BUSY without calling the
 * busy handler, to avoid a deadlock. That one tries again, as the busy
 * handler would, until timeout_s. */
static int enter_wal(sqlite_store *s, int timeout_s)
{
    for (int waited_ms = 0;; waited_ms += 10) {
        int rc = sqlite_exec(&s->base, "PRAGMA journal_mode=WAL", NULL, 0);
        if (rc == BF_OK || sqlite3_errcode(s->db) != SQLITE_BUSY || waited_ms >= timeout_s * 1000)
            return rc;
        sqlite3_sleep(10);
    }
}

/* The process's SQLite settings, before any other call into SQLite (a
 * store is opened first). Debian's SQLite is built without lookaside
 * memory, so every statement allocates through malloc; with memory
 * statistics on, its default, each allocation also takes one global mutex,
 * which the workers then contend for (the demo's pipeline in blocks at 2
 * workers spent about 10 % more CPU). Nothing here reads the statistics. */
static pthread_once_t process_once = PTHREAD_ONCE_INIT;
static void configure_process(void)
{
    sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}

static int sqlite_open(const store_conf *cfg, int mode, store **out, char *err, size_t errlen)
{
    sqlite_store *s = calloc(1, sizeof *s);
    if (!s) {
        snprintf(err, errlen, "out of memory");
        return BF_ERROR;
    }
    s->base.driver = &store_sqlite_driver;
    s->trace_fd = -1;
    s->lock_fd = -1;
    s->inner_fd = -1;
    const sqlite_config *c = cfg->driver_cfg;
    char why[512];
    if (file_check_regular(c->path, why, sizeof why) != 0) { /* a FIFO would hang */
        snprintf(err, errlen, "cannot open store %s", why);
        goto fail;
    }
    pthread_once(&process_once, configure_process);
    /* Never CREATE: a mistyped path must not become a new, empty store
     * that every dependency then "misses". */
    int flags = (mode == STORE_READ_WRITE ? SQLITE_OPEN_READWRITE : SQLITE_OPEN_READONLY) |
                SQLITE_OPEN_NOMUTEX;
    if (sqlite3_open_v2(c->path, &s->db, flags, NULL) != SQLITE_OK) {
        snprintf(err, errlen, "cannot open store %s: %s", c->path,
                 s->db ? sqlite3_errmsg(s->db) : "out of memory");
        goto fail;
    }
    sqlite3_busy_timeout(s->db, c->timeout_s * 1000);
    /* Any statement proves the file is a database; schema reads fail on a
     * file that is not one. */
    if (sqlite_exec(&s->base, "SELECT count(*) FROM sqlite_master", NULL, 0) != BF_OK ||
        (mode == STORE_READ_WRITE &&
         (enter_wal(s, c->timeout_s) != BF_OK ||
          sqlite_exec(&s->base, "PRAGMA synchronous=NORMAL", NULL, 0) != BF_OK ||
          sqlite_exec(&s->base, "PRAGMA temp.journal_mode=MEMORY", NULL, 0) != BF_OK))) {
        snprintf(err, errlen, "cannot open store %s: %s", c->path, s->base.error);
        goto fail;
    }
    trace_if_asked(s);
    if (sqlite_register_checksum(s->db) != SQLITE_OK ||
        sqlite3_set_authorizer(s->db, sqlite_authorize, s) != SQLITE_OK) {
        snprintf(err, errlen, "cannot open store %s: %s", c->path, sqlite3_errmsg(s->db));
        goto fail;
    }
    s->writable = mode == STORE_READ_WRITE;
    *out = &s->base;
    return BF_OK;
fail:
    sqlite_stmt_forget(s); /* sqlite3_close refuses while statements live */
    sqlite3_close(s->db);
    if (s->trace_fd >= 0)
        close(s->trace_fd);
    free(s);
    return BF_ERROR;
}

static void sqlite_unlock(store *s);

static void sqlite_close(store *s)
{
    sqlite_store *ss = (sqlite_store *)s;
    sqlite_unlock(s);
    free(ss->readable);
    ss->readable = NULL;
    /* Only the last connection to close folds the WAL into the database
     * file, and a read-only one cannot: a run whose last close is its
     * read-only view would leave published rows in FILE-wal alone, and a
     * copy of FILE would lack them. A writer folds it now. PASSIVE: it
     * takes no lock another connection would wait for (a TRUNCATE holds
     * the write lock while it waits for readers, and a connection opening
     * meanwhile could fail "database is locked"). */
    if (ss->writable)
        sqlite3_wal_checkpoint_v2(ss->db, NULL, SQLITE_CHECKPOINT_PASSIVE, NULL, NULL);
    sqlite_stmt_forget(ss);
    sqlite3_close(ss->db); /* an open transaction rolls back; so does a pending group */
    free(ss->pending);
    if (ss->trace_fd >= 0)
        close(ss->trace_fd);
    free(ss);
}

static int note_row(void *udata, int ncols, const bf_value *values)
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
    /* A plugin asks this too, naming the table: its statement, held to the
     * guard (it only reads). */
    return sqlite_plugin_query(s, sql, &name, 1, note_row, exists);
}

static void sqlite_guard(store *s, int guard, const char *table)
{
    sqlite_store *ss = (sqlite_store *)s;
    ss->guard = guard;
    snprintf(ss->guarded, sizeof ss->guarded, "%s", table ? table : "");
}

/* Two locks: one inside the database file (lock_in_file: a byte per
 * processor far past its pages), which deleting files cannot break; then
 * an flock on DB.<processor>.lock beside it, whose content names the
 * holder. Neither writes anything into the database, and the kernel drops
 * both when the holder dies. A database this process may not write keeps
 * the flock alone (a run could not publish there anyway). */
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
    int inner = lock_in_file(db, processor, &ss->inner_fd, why, sizeof why);
    int fd = lock_take(path, NULL, why, sizeof why);
    if (inner == -2 && fd >= 0) {
        /* The holder's lock file was removed: this run made a new one,
         * which would name it; removed again while still flocked. */
        unlink(path);
        lock_release(fd);
        snprintf(err, errlen,
                 "another run of %s on store %s holds it: holder unknown: %s was removed while "
                 "it ran",
                 processor, db, path);
        return -2;
    }
    if (fd == -2)
        snprintf(err, errlen, "another run of %s on store %s holds %s: %s", processor, db, path,
                 why);
    else if (fd < 0)
        snprintf(err, errlen, "store lock: %s", why);
    if (fd < 0) {
        lock_in_file_release(ss->inner_fd, processor);
        ss->inner_fd = -1;
        return fd;
    }
    ss->lock_fd = fd;
    snprintf(ss->locked, sizeof ss->locked, "%s", processor);
    return 0;
}

/* Both locks of sqlite_lock, released (the connection is closing). */
static void sqlite_unlock(store *s)
{
    sqlite_store *ss = (sqlite_store *)s;
    lock_in_file_release(ss->inner_fd, ss->locked);
    ss->inner_fd = -1;
    lock_release(ss->lock_fd);
    ss->lock_fd = -1;
}

const store_driver store_sqlite_driver = {
    .name = "sqlite",
    .parse_config = sqlite_parse_config,
    .free_config = sqlite_free_config,
    .location = sqlite_location,
    .quote = sqlite_quote,
    .caps = sqlite_caps,
    .open = sqlite_open,
    .close = sqlite_close,
    .exec = sqlite_plugin_exec,
    .query = sqlite_plugin_query,
    .core_exec = sqlite_exec,
    .core_query = sqlite_query,
    .table_exists = sqlite_table_exists,
    .date_begin = sqlite_date_begin,
    .date_publish = sqlite_date_publish,
    .date_defer = sqlite_date_defer,
    .commit_group = sqlite_commit_group,
    .date_abort = sqlite_date_abort,
    .date_staged_rows = sqlite_date_staged_rows,
    .guard = sqlite_guard,
    .lock = sqlite_lock,
    .confine_reads = sqlite_confine_reads,
    .block_begin = sqlite_block_begin,
    .block_end = sqlite_block_end,
    .block_rows = sqlite_block_rows,
    .date_begin_block = sqlite_date_begin_block,
};
