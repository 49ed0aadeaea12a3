/* sqlite_stmt.c - a connection's statements: prepared (or taken from the
 * kept ones), bound and run, as the core's (sqlite_exec, sqlite_query) or
 * the plugin's (sqlite_plugin_exec, sqlite_plugin_query).
 *
 * A run sends the same few statements for every date: the plugin's
 * INSERT ... SELECT and counts, the core's staging and publish statements.
 * Preparing each again cost a fifth of a cheap processor's run. The
 * authorizer judges a statement while it is prepared, under the guard of
 * that moment (or as the core's own), so a kept statement is reused only
 * under the same guard, a core statement only by the core,
 * never under STORE_GUARD_PREPARE (whose rule names a table), and all are
 * forgotten when the tables the guards name change (sqlite_date_begin).
 * After a schema change SQLite prepares a kept statement again by itself,
 * asking the authorizer again under the guard of that moment: the same. */
#include <stdlib.h>
#include <string.h>

#include "stores/sqlite_store.h"

/* A statement is kept under the rule it was authorized by: the core's
 * entry point, or the plugin's guard. */
static int key_of(const sqlite_store *ss)
{
    return ss->core ? SQLITE_CORE_KEY : ss->guard;
}

/* The kept statement for sql under the current rule, marked busy, or
 * NULL. */
static sqlite3_stmt *sqlite_stmt_take(sqlite_store *ss, const char *sql)
{
    for (int i = 0; i < SQLITE_KEPT_STMTS; i++) {
        sqlite_kept_stmt *k = &ss->kept[i];
        if (k->st && !k->busy && k->guard == key_of(ss) && strcmp(k->sql, sql) == 0) {
            k->busy = 1;
            k->used = ++ss->uses;
            return k->st;
        }
    }
    return NULL;
}

static void drop(sqlite_kept_stmt *k)
{
    sqlite3_finalize(k->st);
    free(k->sql);
    memset(k, 0, sizeof *k);
}

/* Give back a statement after use (reset, its bindings cleared), keeping
 * it if it may be kept. */
static void sqlite_stmt_give(sqlite_store *ss, const char *sql, sqlite3_stmt *st)
{
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    sqlite_kept_stmt *victim = NULL;
    for (int i = 0; i < SQLITE_KEPT_STMTS; i++) {
        sqlite_kept_stmt *k = &ss->kept[i];
        if (k->st == st) {
            k->busy = 0;
            return;
        }
        if (!k->busy && (!victim || k->used < victim->used))
            victim = k; /* free slots have used 0: taken first */
    }
    char *copy = key_of(ss) != STORE_GUARD_PREPARE && victim ? strdup(sql) : NULL;
    if (!copy) {
        sqlite3_finalize(st);
        return;
    }
    drop(victim);
    *victim = (sqlite_kept_stmt){.sql = copy, .guard = key_of(ss), .used = ++ss->uses, .st = st};
}

void sqlite_stmt_forget(sqlite_store *ss)
{
    for (int i = 0; i < SQLITE_KEPT_STMTS; i++)
        if (ss->kept[i].st && !ss->kept[i].busy)
            drop(&ss->kept[i]);
}

static sqlite3 *db_of(store *s)
{
    return ((sqlite_store *)s)->db;
}

/* Retrying cannot help these: the statement or the schema is wrong. */
static int error_class_of(int code)
{
    switch (code & 0xff) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
    case SQLITE_IOERR:
    case SQLITE_NOMEM:
    case SQLITE_FULL:
    case SQLITE_PROTOCOL:
    case SQLITE_CANTOPEN: return BF_TRANSIENT;
    default: return BF_PERMANENT;
    }
}

static int fail_sql(store *s, int code, const char *what, const char *sql)
{
    char cut[160];
    return store_fail(s, error_class_of(code), "%s (in: %s)", what,
                      store_abbrev(sql, cut, sizeof cut));
}

/* Prepare exactly one statement, or take the kept one, and bind its
 * parameters. The caller gives it back with sqlite_stmt_give. */
static int prepare_bound(store *s, const char *sql, const bf_value *params, int n,
                         sqlite3_stmt **out)
{
    sqlite_store *ss = (sqlite_store *)s;
    sqlite3 *db = db_of(s);
    sqlite3_stmt *st = sqlite_stmt_take(ss, sql), *next = NULL;
    const char *tail = NULL;
    int rc;
    ss->denied[0] = '\0';
    if (!st) {
        rc = sqlite3_prepare_v2(db, sql, -1, &st, &tail);
        if (rc != SQLITE_OK && ss->denied[0])
            return store_refuse(s, ss->denied, sql);
        if (rc != SQLITE_OK)
            return fail_sql(s, rc, sqlite3_errmsg(db), sql);
        if (!st)
            return fail_sql(s, SQLITE_ERROR, "no statement", sql);
    }
    /* Whatever follows the first statement must be nothing, or only
     * comments: a second statement is refused, never silently dropped. */
    if (tail && *tail) {
        int trc = sqlite3_prepare_v2(db, tail, -1, &next, NULL);
        sqlite3_finalize(next);
        if (trc != SQLITE_OK || next) {
            sqlite3_finalize(st);
            return fail_sql(s, SQLITE_ERROR, "more than one statement in one call", sql);
        }
    }
    if (sqlite3_bind_parameter_count(st) != n) {
        int want = sqlite3_bind_parameter_count(st);
        sqlite_stmt_give(ss, sql, st);
        char what[96];
        snprintf(what, sizeof what, "statement has %d placeholders, %d values given", want, n);
        return fail_sql(s, SQLITE_ERROR, what, sql);
    }
    for (int i = 0; i < n; i++) {
        switch (params[i].type) {
        case BF_INT: rc = sqlite3_bind_int64(st, i + 1, params[i].v.i); break;
        case BF_REAL: rc = sqlite3_bind_double(st, i + 1, params[i].v.d); break;
        case BF_TEXT: rc = sqlite3_bind_text(st, i + 1, params[i].v.s, -1, SQLITE_STATIC); break;
        case BF_NULL: rc = sqlite3_bind_null(st, i + 1); break;
        default:
            sqlite_stmt_give(ss, sql, st);
            return store_fail(s, BF_PERMANENT, "parameter %d has unknown type %d", i + 1,
                              params[i].type);
        }
        if (rc != SQLITE_OK) {
            sqlite_stmt_give(ss, sql, st);
            return store_fail(s, error_class_of(rc), "binding parameter %d: %s", i + 1,
                              sqlite3_errmsg(db));
        }
    }
    *out = st;
    return BF_OK;
}

/* Columns beyond this many are not handed to row callbacks. */
#define MAX_COLUMNS 64

/* One statement under the rule of the moment (ss->core, ss->guard). */
static int run_sql(store *s, const char *sql, const bf_value *params, int n, store_row_fn fn,
                   void *udata)
{
    sqlite3_stmt *st = NULL;
    int rc = prepare_bound(s, sql, params, n, &st);
    if (rc != BF_OK)
        return rc;
    int ncols = sqlite3_column_count(st);
    bf_value values[MAX_COLUMNS];
    if (ncols > MAX_COLUMNS)
        ncols = MAX_COLUMNS;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        for (int i = 0; fn && i < ncols; i++) {
            switch (sqlite3_column_type(st, i)) {
            case SQLITE_INTEGER: values[i] = BF_V_INT(sqlite3_column_int64(st, i)); break;
            case SQLITE_FLOAT: values[i] = BF_V_REAL(sqlite3_column_double(st, i)); break;
            case SQLITE_NULL: values[i] = (bf_value){.type = BF_NULL}; break;
            default: values[i] = BF_V_TEXT((const char *)sqlite3_column_text(st, i)); break;
            }
        }
        if (fn && fn(udata, ncols, values)) {
            rc = SQLITE_DONE;
            break;
        }
    }
    if (rc != SQLITE_DONE) {
        /* A kept statement SQLite prepared again after a schema change is
         * authorized again, and may be refused then. */
        if (((sqlite_store *)s)->denied[0])
            store_refuse(s, ((sqlite_store *)s)->denied, sql);
        else
            fail_sql(s, rc, sqlite3_errmsg(db_of(s)), sql);
        sqlite_stmt_give((sqlite_store *)s, sql, st);
        return BF_ERROR_STORE;
    }
    sqlite_stmt_give((sqlite_store *)s, sql, st);
    return BF_OK;
}

/* Run sql as the core's (core nonzero) or the plugin's: the authorizer
 * lets the core's through, and holds the plugin's to the guard. */
static int run_as(store *s, int core, const char *sql, const bf_value *params, int n,
                  store_row_fn fn, void *udata)
{
    sqlite_store *ss = (sqlite_store *)s;
    int was = ss->core;
    ss->core = core;
    int rc = run_sql(s, sql, params, n, fn, udata);
    ss->core = was;
    return rc;
}

int sqlite_query(store *s, const char *sql, const bf_value *params, int n, store_row_fn fn,
                 void *udata)
{
    return run_as(s, 1, sql, params, n, fn, udata);
}

int sqlite_exec(store *s, const char *sql, const bf_value *params, int n)
{
    return run_as(s, 1, sql, params, n, NULL, NULL);
}

int sqlite_plugin_query(store *s, const char *sql, const bf_value *params, int n, store_row_fn fn,
                        void *udata)
{
    return run_as(s, 0, sql, params, n, fn, udata);
}

int sqlite_plugin_exec(store *s, const char *sql, const bf_value *params, int n)
{
    return run_as(s, 0, sql, params, n, NULL, NULL);
}
