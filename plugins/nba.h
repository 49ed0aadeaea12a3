/* nba.h - what the demo processors share. Each processor is its SQL, one
 * set per store dialect, plus its descriptor, dependencies and quality
 * checks; this header turns that into the plugin entry points. ?1 is the
 * date being written; %s in insert is the table to write to. */
#ifndef NBA_H
#define NBA_H

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <backfill/plugin.h>

typedef struct nba_sql {
    const char *columns; /* CREATE TABLE column list, game_date first */
    /* After the column list, e.g. ClickHouse's ENGINE clause. When set, no
     * CREATE INDEX is issued: the engine orders and partitions instead. */
    const char *table_options;
    const char *indexes[3]; /* extra index column lists, NULL-terminated */
    const char *insert;     /* INSERT INTO %s ... WHERE game_date = ?1 */
    const char *expected;   /* one number: the rows ?1 should hold, from upstream */
    /* An optional input that may not exist at all, and a WITH clause that
     * stands in for it, empty, so insert still runs: the fallback the
     * optional dependency promises. */
    const char *optional_table;
    const char *optional_empty;
    /* Or, for a dialect without such a WITH clause: the insert to run
     * instead while optional_table is missing. */
    const char *optional_insert;
    /* Blocks of dates: insert for every date of a block in one statement,
     * each date with its own window. ?1 and ?2 are the block's first and
     * last date, ?3 its dates as ",D1,D2,...,": write only those. NULL, or
     * optional_table missing: insert runs once per date of the block. */
    const char *insert_block;
} nba_sql;

/* The rows of a block's date d (a column or expression) only: the dates
 * the list ?3 (",d1,d2,...,") names, split into rows (SQLite). An IN over
 * those rows, so that the planner looks each date up as it would one date
 * alone (a range over ?1..?2 lets it drive the joins from the wrong
 * table, and an instr() filter reads every row of the range). */
#define SQLITE_IN_BLOCK(d)                                                                         \
    " " d " IN (WITH RECURSIVE bf_list(v, rest) AS (SELECT NULL, substr(?3, 2) UNION ALL"          \
    "   SELECT substr(rest, 1, instr(rest, ',') - 1), substr(rest, instr(rest, ',') + 1)"          \
    "   FROM bf_list WHERE rest <> '') SELECT v FROM bf_list WHERE v IS NOT NULL)"

/* The same for ClickHouse (?3 a String). */
#define CLICKHOUSE_IN_BLOCK(d)                                                                     \
    " " d " BETWEEN toDate(?1) AND toDate(?2)"                                                     \
    " AND position(?3, concat(',', toString(" d "), ',')) > 0"

/* ClickHouse, for every date of a block: COLUMNS of the rows of TABLE in
 * the 30 days before each date d of the block, as rows (d AS game_date,
 * COLUMNS), which the caller groups by game_date and its keys, then joins
 * on (game_date, keys). Each row of the window is repeated once for each
 * date whose window holds it (18.16 joins on equal keys only, so the window
 * cannot be a join condition). TABLE may be a subquery. The caller's
 * d AS game_date hides TABLE's own game_date: COLUMNS renames it where the
 * caller needs it (game_date AS s_date). The expansion ends in a WHERE
 * condition: the caller may add its own with AND. */
#define CLICKHOUSE_LAST_30_DAYS_BLOCK(COLUMNS, TABLE)                                              \
    " (SELECT " COLUMNS ", arrayJoin(arrayMap(k -> game_date + k + 1, range(30))) AS d"            \
    "  FROM " TABLE " WHERE game_date >= toDate(?1) - 30 AND game_date < toDate(?2))"              \
    " WHERE" CLICKHOUSE_IN_BLOCK("d")

/* SQLITE_PLAYER_LAST_30_DAYS for every date of a block: each date's own
 * 30 days before it. */
#define SQLITE_PLAYER_LAST_30_DAYS_BLOCK                                                           \
    " FROM player_game_summary p LEFT JOIN player_game_summary w"                                  \
    "   ON w.player_id = p.player_id AND w.game_date < p.game_date"                                \
    "   AND w.game_date >= date(p.game_date, '-30 days')"                                          \
    " WHERE" SQLITE_IN_BLOCK("p.game_date") " GROUP BY p.game_date, p.player_id, p.team"

/* SQLite: each player who played on ?1 (p), with his games of the 30 days
 * before it (w), one group per player. */
#define SQLITE_PLAYER_LAST_30_DAYS                                                                 \
    " FROM player_game_summary p LEFT JOIN player_game_summary w"                                  \
    "   ON w.player_id = p.player_id AND w.game_date < ?1"                                         \
    "   AND w.game_date >= date(?1, '-30 days')"                                                   \
    " WHERE p.game_date = ?1 GROUP BY p.game_date, p.player_id, p.team"

typedef struct nba_dialect {
    const char *name; /* as bf_dialect() says it */
    const nba_sql *sql;
} nba_dialect;

static inline const nba_sql *nba_sql_for(bf_ctx *ctx, const nba_dialect *d, size_t n)
{
    const char *dialect = bf_dialect(ctx);
    for (size_t i = 0; dialect && i < n; i++)
        if (strcmp(d[i].name, dialect) == 0)
            return d[i].sql;
    bf_log(ctx, BF_LOG_ERROR, "no SQL for the %s dialect", dialect ? dialect : "(unnamed)");
    return NULL;
}

/* Format one statement into buf; a statement that does not fit is an
 * error, never a truncated statement. */
#if defined(__GNUC__)
__attribute__((format(printf, 4, 5)))
#endif
static inline int
nba_statement(bf_ctx *ctx, char *buf, size_t size, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(buf, size, fmt, ap);
    va_end(ap);
    if (n >= 0 && (size_t)n < size)
        return BF_OK;
    bf_log(ctx, BF_LOG_ERROR, "a statement is longer than %zu bytes", size);
    return BF_ERROR;
}

#define NBA_STATEMENT_MAX 8192

static inline int nba_prepare(bf_ctx *ctx, const nba_sql *sql)
{
    char stmt[NBA_STATEMENT_MAX];
    const char *table = bf_output_table(ctx);
    if (!sql)
        return BF_ERROR;
    int rc = nba_statement(ctx, stmt, sizeof stmt, "CREATE TABLE IF NOT EXISTS %s (%s)%s%s", table,
                           sql->columns, sql->table_options ? " " : "",
                           sql->table_options ? sql->table_options : "");
    if (rc == BF_OK)
        rc = bf_exec(ctx, stmt, NULL, 0);
    if (rc != BF_OK || sql->table_options)
        return rc;
    rc = nba_statement(ctx, stmt, sizeof stmt,
                       "CREATE INDEX IF NOT EXISTS %s_date ON %s (game_date)", table, table);
    if (rc == BF_OK)
        rc = bf_exec(ctx, stmt, NULL, 0);
    for (int i = 0; rc == BF_OK && i < 3 && sql->indexes[i]; i++) {
        rc = nba_statement(ctx, stmt, sizeof stmt, "CREATE INDEX IF NOT EXISTS %s_i%d ON %s (%s)",
                           table, i, table, sql->indexes[i]);
        if (rc == BF_OK)
            rc = bf_exec(ctx, stmt, NULL, 0);
    }
    return rc;
}

static inline int nba_process(bf_ctx *ctx, const nba_sql *sql, const char *date)
{
    char stmt[NBA_STATEMENT_MAX];
    bf_value d = BF_V_TEXT(date);
    int exists = 1;
    if (!sql ||
        (sql->optional_table && bf_table_exists(ctx, sql->optional_table, &exists) != BF_OK))
        return BF_ERROR;
    const char *insert = !exists && sql->optional_insert ? sql->optional_insert : sql->insert;
    const char *with = !exists && !sql->optional_insert ? sql->optional_empty : "";
    size_t n = strlen(with);
    if (n >= sizeof stmt)
        return BF_ERROR;
    memcpy(stmt, with, n);
    if (nba_statement(ctx, stmt + n, sizeof stmt - n, insert, bf_output_table(ctx)) != BF_OK)
        return BF_ERROR;
    return bf_exec(ctx, stmt, &d, 1);
}

/* A block of dates: insert_block once, or insert once per date. */
static inline int nba_process_block(bf_ctx *ctx, const nba_sql *sql, const char *first,
                                    const char *last, const char *const *dates, size_t n)
{
    char stmt[NBA_STATEMENT_MAX], list[NBA_STATEMENT_MAX];
    int exists = 1;
    if (!sql ||
        (sql->optional_table && bf_table_exists(ctx, sql->optional_table, &exists) != BF_OK))
        return BF_ERROR;
    if (!sql->insert_block || !exists) {
        int rc = BF_OK;
        for (size_t i = 0; rc == BF_OK && i < n; i++)
            rc = nba_process(ctx, sql, dates[i]);
        return rc;
    }
    size_t used = 0;
    list[used++] = ',';
    for (size_t i = 0; i < n; i++) {
        size_t len = strlen(dates[i]);
        if (used + len + 2 > sizeof list)
            return BF_ERROR;
        memcpy(list + used, dates[i], len);
        used += len;
        list[used++] = ',';
    }
    list[used] = '\0';
    if (nba_statement(ctx, stmt, sizeof stmt, sql->insert_block, bf_output_table(ctx)) != BF_OK)
        return BF_ERROR;
    bf_value p[3] = {BF_V_TEXT(first), BF_V_TEXT(last), BF_V_TEXT(list)};
    return bf_exec(ctx, stmt, p, 3);
}

static inline int nba_validate(bf_ctx *ctx, const nba_sql *sql, const char *date,
                               bf_validation *out)
{
    char stmt[NBA_STATEMENT_MAX];
    const char *table = bf_output_table(ctx);
    bf_value d = BF_V_TEXT(date);
    if (!sql)
        return BF_ERROR;
    int rc = bf_query_int(ctx, sql->expected, &d, 1, &out->expected);
    if (rc == BF_OK)
        rc = nba_statement(ctx, stmt, sizeof stmt, "SELECT count(*) FROM %s WHERE game_date = ?1",
                           table);
    if (rc == BF_OK)
        rc = bf_query_int(ctx, stmt, &d, 1, &out->actual);
    return rc;
}

typedef struct nba_expected_rows {
    int64_t *expected;
    const char *const *dates;
    size_t n;
    int bad;
} nba_expected_rows;

/* A row (date, rows) of the grouped form: the rows of the block's date it
 * names (a date of the range the block does not list is left alone). */
static inline int nba_take_grouped(void *udata, int ncols, const bf_value *v)
{
    nba_expected_rows *r = udata;
    if (ncols < 2 || v[0].type != BF_TEXT || v[1].type != BF_INT) {
        r->bad = 1;
        return 0;
    }
    for (size_t i = 0; i < r->n; i++)
        if (strcmp(r->dates[i], v[0].v.s) == 0)
            r->expected[i] = v[1].v.i;
    return 0;
}

/* expected "SELECT e FROM t WHERE game_date = ?1 rest" as one grouped
 * query over the block, "SELECT game_date, e FROM t WHERE game_date
 * BETWEEN ?1 AND ?2 rest GROUP BY game_date" (e an aggregate such as
 * count(*), rest more AND conditions): BF_OK, or BF_ERROR_NOTFOUND when
 * expected has another shape. A date without rows expects 0. */
static inline int nba_expected_grouped(bf_ctx *ctx, const nba_sql *sql, const char *const *dates,
                                       size_t n, int64_t *expected)
{
    static const char key[] = " WHERE game_date = ?1";
    const char *e = sql->expected, *w = strstr(e, key);
    if (strncmp(e, "SELECT ", 7) != 0 || !w || strstr(w + sizeof key - 1, "?") ||
        strstr(e, " GROUP BY ") || strstr(e, " UNION "))
        return BF_ERROR_NOTFOUND;
    char stmt[NBA_STATEMENT_MAX];
    int len =
        snprintf(stmt, sizeof stmt,
                 "SELECT game_date, %.*s WHERE game_date BETWEEN ?1 AND ?2%s GROUP BY game_date",
                 (int)(w - e - 7), e + 7, w + sizeof key - 1);
    if (len < 0 || (size_t)len >= sizeof stmt)
        return BF_ERROR_NOTFOUND;
    nba_expected_rows r = {expected, dates, n, 0};
    for (size_t i = 0; i < n; i++)
        expected[i] = 0;
    bf_value p[2] = {BF_V_TEXT(dates[0]), BF_V_TEXT(dates[n - 1])};
    int rc = bf_query(ctx, stmt, p, 2, nba_take_grouped, &r);
    return rc == BF_OK && r.bad ? BF_ERROR : rc;
}

static inline int nba_take_expected(void *udata, int ncols, const bf_value *v)
{
    nba_expected_rows *r = udata;
    if (ncols < 2 || v[0].type != BF_INT || v[0].v.i < 0 || (size_t)v[0].v.i >= r->n)
        r->bad = 1;
    else
        r->expected[v[0].v.i] = v[1].type == BF_INT ? v[1].v.i : -1;
    return 0;
}

/* The expected rows of every date of a block in one statement: the
 * grouped form of expected when it has the usual shape, else expected once
 * per date, each a scalar subquery with the date as its own parameter,
 * "SELECT 0, (expected) UNION ALL SELECT 1, (...) ...". */
static inline int nba_expected_block(bf_ctx *ctx, const nba_sql *sql, const char *const *dates,
                                     size_t n, int64_t *expected)
{
    if (!sql || n == 0 || n > 999)
        return BF_ERROR;
    int grouped = nba_expected_grouped(ctx, sql, dates, n, expected);
    if (grouped != BF_ERROR_NOTFOUND)
        return grouped;
    size_t size = n * (strlen(sql->expected) + 64) + 1, used = 0;
    char *stmt = malloc(size);
    bf_value *params = malloc(n * sizeof *params);
    int rc = stmt && params ? BF_OK : BF_ERROR;
    for (size_t i = 0; rc == BF_OK && i < n; i++) {
        used += (size_t)snprintf(stmt + used, size - used, "%sSELECT %zu AS bf_k, (",
                                 i ? " UNION ALL " : "", i);
        for (const char *s = sql->expected; *s; s++) {
            if (s[0] == '?' && s[1] == '1' && !(s[2] >= '0' && s[2] <= '9')) {
                used += (size_t)snprintf(stmt + used, size - used, "?%zu", i + 1);
                s++;
            } else
                stmt[used++] = *s;
        }
        used += (size_t)snprintf(stmt + used, size - used, ") AS bf_n");
        params[i] = BF_V_TEXT(dates[i]);
        expected[i] = -1;
    }
    nba_expected_rows r = {expected, dates, n, 0};
    if (rc == BF_OK)
        rc = bf_query(ctx, stmt, params, (int)n, nba_take_expected, &r);
    free(stmt);
    free(params);
    for (size_t i = 0; rc == BF_OK && i < n; i++)
        if (expected[i] < 0)
            r.bad = 1;
    return rc == BF_OK && r.bad ? BF_ERROR : rc;
}

/* The version a build declares (cc '-DNBA_VERSION="2"'); NULL: the core
 * records a hash of the plugin file instead. */
#ifndef NBA_VERSION
#define NBA_VERSION NULL
#endif

/* The entry points of processor NAME from its dialects[] and deps[], with
 * quality checks CHECKS (an array ending with {0}, or NULL) that the core
 * evaluates on every date. */
#define NBA_PROCESSOR(NAME, DESCRIPTION, BOOTSTRAP)                                                \
    NBA_CHECKED_PROCESSOR(NAME, DESCRIPTION, BOOTSTRAP, NULL)
#define NBA_CHECKED_PROCESSOR(NAME, DESCRIPTION, BOOTSTRAP, CHECKS)                                \
    BF_PLUGIN_MAGIC                                                                                \
    static const bf_descriptor descriptor = {                                                      \
        .name = NAME,                                                                              \
        .output_table = NAME,                                                                      \
        .date_column = "game_date",                                                                \
        .description = DESCRIPTION,                                                                \
        .bootstrap_days = BOOTSTRAP,                                                               \
        .thread_safe = 1,                                                                          \
        .checks = CHECKS,                                                                          \
        .version = NBA_VERSION,                                                                    \
    };                                                                                             \
    const bf_descriptor *backfill_descriptor(void)                                                 \
    {                                                                                              \
        return &descriptor;                                                                        \
    }                                                                                              \
    const bf_dependency *dependencies(size_t *count)                                               \
    {                                                                                              \
        *count = sizeof deps / sizeof deps[0];                                                     \
        return deps;                                                                               \
    }                                                                                              \
    static const nba_sql *sql_of(bf_ctx *ctx)                                                      \
    {                                                                                              \
        return nba_sql_for(ctx, dialects, sizeof dialects / sizeof dialects[0]);                   \
    }                                                                                              \
    int prepare(bf_ctx *ctx)                                                                       \
    {                                                                                              \
        return nba_prepare(ctx, sql_of(ctx));                                                      \
    }                                                                                              \
    int process_date(bf_ctx *ctx, const char *date)                                                \
    {                                                                                              \
        return nba_process(ctx, sql_of(ctx), date);                                                \
    }                                                                                              \
    int validate_date(bf_ctx *ctx, const char *date, bf_validation *out)                           \
    {                                                                                              \
        return nba_validate(ctx, sql_of(ctx), date, out);                                          \
    }                                                                                              \
    int process_dates(bf_ctx *ctx, const char *first, const char *last, const char *const *dates,  \
                      size_t n)                                                                    \
    {                                                                                              \
        return nba_process_block(ctx, sql_of(ctx), first, last, dates, n);                         \
    }                                                                                              \
    int expected_dates(bf_ctx *ctx, const char *const *dates, size_t n, int64_t *expected)         \
    {                                                                                              \
        return nba_expected_block(ctx, sql_of(ctx), dates, n, expected);                           \
    }

#endif
