/* sqlite_stmt.c - a connection's prepared statements, kept for reuse.
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

sqlite3_stmt *sqlite_stmt_take(sqlite_store *ss, const char *sql)
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

void sqlite_stmt_give(sqlite_store *ss, const char *sql, sqlite3_stmt *st)
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
