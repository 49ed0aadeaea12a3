/* sqlite_guard.c - the SQLite driver's isolation: SQLite's own authorizer
 * is asked about every table a statement touches while the statement is
 * prepared, so a plugin's statement that would write anything but its
 * staging table (or, for prepare, create anything but its output table and
 * its indexes) never runs at all. Plugin calls other than those two write
 * nothing. Only the core's entry point (ss->core, set by sqlite.c for the
 * core's statements and the driver's own) is let through unchecked. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "stores/sqlite_store.h"

static const char *action_name(int action)
{
    switch (action) {
    case SQLITE_INSERT: return "INSERT into";
    case SQLITE_UPDATE: return "UPDATE of";
    case SQLITE_DELETE: return "DELETE from";
    case SQLITE_CREATE_TABLE:
    case SQLITE_CREATE_TEMP_TABLE: return "CREATE TABLE";
    case SQLITE_CREATE_INDEX:
    case SQLITE_CREATE_TEMP_INDEX: return "CREATE INDEX";
    case SQLITE_DROP_TABLE:
    case SQLITE_DROP_TEMP_TABLE: return "DROP TABLE";
    case SQLITE_DROP_INDEX:
    case SQLITE_DROP_TEMP_INDEX: return "DROP INDEX";
    case SQLITE_ALTER_TABLE: return "ALTER TABLE";
    case SQLITE_TRANSACTION: return "transaction control";
    case SQLITE_SAVEPOINT: return "SAVEPOINT";
    case SQLITE_ATTACH: return "ATTACH";
    case SQLITE_DETACH: return "DETACH";
    case SQLITE_PRAGMA: return "PRAGMA";
    default: return "a schema change";
    }
}

/* PRAGMAs that only read the schema; any other may change the connection
 * or the file. */
static int harmless_pragma(const char *name)
{
    static const char *const reads[] = {"table_info", "table_xinfo",   "index_list",
                                        "index_info", "index_xinfo",   "foreign_key_list",
                                        "table_list", "database_list", NULL};
    for (const char *const *r = reads; *r; r++)
        if (sqlite3_stricmp(*r, name) == 0)
            return 1;
    return 0;
}

static int same(const char *a, const char *b)
{
    return a && b && sqlite3_stricmp(a, b) == 0;
}

void sqlite_confine_reads(store *s, const char *const *tables)
{
    sqlite_store *ss = (sqlite_store *)s;
    size_t len = 1;
    for (const char *const *t = tables; t && *t; t++)
        len += strlen(*t) + 1;
    free(ss->readable);
    ss->readable = tables ? malloc(len) : NULL;
    char *p = ss->readable;
    for (const char *const *t = tables; p && *t; t++)
        p = stpcpy(p, *t) + 1;
    if (p)
        *p = '\0';
    /* A statement kept from before was authorized under other rules. */
    sqlite_stmt_forget(ss);
}

/* The plugin call the staging guard is on: a block's, or a date's. */
static const char *writer(const sqlite_store *ss)
{
    return ss->in_block ? "process_dates" : "process_date";
}

/* Whether a guarded statement may read table (through view, the innermost
 * view or trigger, if any). */
static int may_read(const sqlite_store *ss, const char *table, const char *dbname, const char *view)
{
    if (!ss->readable || ss->core || ss->guard == STORE_GUARD_PREPARE)
        return 1;
    if (same(dbname, "temp") || !table || sqlite3_strnicmp(table, "sqlite_", 7) == 0 ||
        sqlite3_strnicmp(table, "pragma_", 7) == 0)
        return 1; /* the staging tables, the schema */
    for (const char *p = ss->readable; *p; p += strlen(p) + 1)
        if (same(p, table) || same(p, view))
            return 1;
    return 0;
}

/* The rule each guard enforces; arg1/arg2 as sqlite3_set_authorizer
 * documents them per action. */
int sqlite_authorize(void *udata, int action, const char *arg1, const char *arg2,
                     const char *dbname, const char *trigger)
{
    sqlite_store *ss = udata;
    switch (action) {
    case SQLITE_READ:
        if (may_read(ss, arg1, dbname, trigger))
            return SQLITE_OK;
        if (ss->guard == STORE_GUARD_STAGE)
            snprintf(ss->denied, sizeof ss->denied,
                     "refused read of %s: %s may read only the tables its processor declares "
                     "(declare it in dependencies())",
                     arg1, writer(ss));
        else /* the read-only calls and the checks: whoever reports it names which */
            snprintf(ss->denied, sizeof ss->denied,
                     "refused read of %s: a processor may read only the tables it declares "
                     "(declare it in dependencies())",
                     arg1);
        return SQLITE_DENY;
    case SQLITE_SELECT:
    case SQLITE_FUNCTION:
    case SQLITE_RECURSIVE: return SQLITE_OK;
    default: break;
    }
    if (ss->core)
        return SQLITE_OK; /* the core's own entry point */
    const char *rule = NULL;
    char stage_rule[96];
    const char *object = arg1;
    if (action == SQLITE_PRAGMA) {
        if (harmless_pragma(arg1))
            return SQLITE_OK;
        rule = "plugins may not change pragmas";
    } else if (ss->guard == STORE_GUARD_STAGE) {
        int write = action == SQLITE_INSERT || action == SQLITE_UPDATE || action == SQLITE_DELETE;
        const char *staging = ss->in_block ? ss->block : ss->stage;
        if (write && same(dbname, "temp") && same(arg1, staging + strlen("temp.")))
            return SQLITE_OK;
        snprintf(stage_rule, sizeof stage_rule, "%s may %s bf_output_table(ctx)", writer(ss),
                 write ? "write only its staging table" : "only write rows into");
        rule = stage_rule;
    } else if (ss->guard == STORE_GUARD_READ) {
        rule = "only process_date and prepare may write (worker_init, validate_date, worker_fini "
               "and audits are read-only)";
    } else {
        /* prepare: CREATE TABLE and CREATE INDEX on the output table; the
         * schema row SQLite writes for them is part of the CREATE (a plugin
         * cannot write sqlite_master directly: that needs a pragma). */
        if ((action == SQLITE_CREATE_TABLE && same(arg1, ss->guarded)) ||
            (action == SQLITE_CREATE_INDEX && same(arg2, ss->guarded)) ||
            ((action == SQLITE_INSERT || action == SQLITE_UPDATE) && same(arg1, "sqlite_master")) ||
            action == SQLITE_REINDEX /* part of CREATE INDEX; rebuilds only */)
            return SQLITE_OK;
        if (action == SQLITE_CREATE_INDEX)
            object = arg2;
        rule = "prepare may only create the output table and indexes on it";
    }
    if (action == SQLITE_TRANSACTION || action == SQLITE_SAVEPOINT)
        object = NULL; /* arg1 is BEGIN, COMMIT, RELEASE...: in the SQL quoted */
    if (same(object, "sqlite_master") || same(object, "sqlite_temp_master")) {
        action = -1; /* the schema row of a CREATE, DROP or ALTER */
        object = NULL;
    }
    snprintf(ss->denied, sizeof ss->denied, "refused %s%s%s: %s", action_name(action),
             object ? " " : "", object ? object : "", rule);
    return SQLITE_DENY;
}
