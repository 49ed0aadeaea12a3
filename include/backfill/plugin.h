/* backfill/plugin.h - the whole SDK for writing a backfill processor.
 *
 * A processor is one shared object that exports, with C linkage:
 *
 *   backfill_magic        ABI block (define it with BF_PLUGIN_MAGIC)
 *   backfill_descriptor   const bf_descriptor *backfill_descriptor(void)
 *   dependencies          const bf_dependency *dependencies(size_t *count)
 *   process_date          int process_date(bf_ctx *ctx, const char *date)
 *   validate_date         int validate_date(bf_ctx *ctx, const char *date,
 *                                           bf_validation *out)
 *   prepare               optional: int prepare(bf_ctx *ctx), called once
 *                         per run after pre-flight passed and before the
 *                         first date, outside any date; the place for
 *                         CREATE TABLE IF NOT EXISTS of the output table
 *                         and CREATE INDEX on it (nothing else).
 *   worker_init           optional: int worker_init(bf_ctx *ctx, void **user)
 *   worker_fini           optional: void worker_fini(bf_ctx *ctx, void *user)
 *                         called once per worker (and per audit or prepare
 *                         context) before its first and after its last
 *                         call; *user is then bf_user_data(ctx). The core
 *                         frees nothing of it: worker_fini does.
 *   process_dates         optional: int process_dates(bf_ctx *ctx,
 *                             const char *first, const char *last,
 *                             const char *const *dates, size_t n)
 *                         compute a block of dates in one call (see
 *                         "Blocks of dates" below).
 *   expected_dates        optional: int expected_dates(bf_ctx *ctx,
 *                             const char *const *dates, size_t n,
 *                             int64_t *expected)
 *                         the rows each date of a block should hold, for
 *                         the whole block in one call (see "Blocks of
 *                         dates" below).
 *
 * Optional exports are looked up in the plugin file itself only, never in a
 * library it links.
 *
 * The core loads it with dlopen(RTLD_NOW | RTLD_LOCAL), compares the magic
 * block field by field before calling anything else, and refuses a plugin
 * with a missing symbol or a mismatched ABI.
 *
 * A plugin never opens the store, never commits, and writes nothing but
 * this date's rows into bf_output_table(ctx): a staging area that starts
 * empty for each attempt, while the published table keeps the date's
 * previous rows. validate_date counts from the same staging area; the core
 * alone then decides to publish (replace the date's rows in one
 * transaction) or roll back (discard the staging rows). A staged row of
 * another date fails the attempt.
 *
 * These rules are enforced by the store, not trusted (an attempt that
 * breaks one fails with a message naming the statement and the rule, and
 * is not retried):
 *   - process_date may INSERT, UPDATE and DELETE only bf_output_table(ctx)
 *     (on ClickHouse: INSERT INTO it only); any other write, any DDL,
 *     BEGIN/COMMIT/SAVEPOINT, ATTACH and PRAGMA writes are denied.
 *   - process_date and validate_date read only what the processor declares:
 *     its dependencies, the calendar table, its own output (and the
 *     store's schema); a read of any other table is refused, naming it
 *     ("declare it in dependencies()"). SQLite enforces it with its
 *     authorizer (a declared view may read what it reads); ClickHouse
 *     cannot, and does not.
 *   - validate_date is read-only; prepare may create only the output table
 *     and indexes on it (on ClickHouse: CREATE TABLE of the output, which
 *     must be PARTITION BY its date column).
 *   - one statement per call: a string holding two is refused, not half-run.
 *   - the core counts the staging area itself and fails a date whose count
 *     differs from the `actual` validate_date reported.
 *   - a processor never writes the calendar table or a table it reads.
 *
 * `backfill verify --audit` also calls validate_date, outside any date and
 * on a read-only connection: bf_output_table(ctx) is then the published
 * table. With thread_safe set, process_date and validate_date run on
 * several threads at once, each with its own ctx and store connection.
 *
 * Services reach the plugin through the function table behind the context
 * (ctx->api). The table only grows at its end; check api->size before using
 * an entry added after BF_ABI_VERSION 1. The static inline wrappers below
 * are the intended way to call it.
 *
 * This header is the only one a plugin includes. It uses nothing from the
 * core's internal headers and links against nothing from the core.
 */
#ifndef BACKFILL_PLUGIN_H
#define BACKFILL_PLUGIN_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Bumped on any change that is not an append. bf_api, bf_descriptor and
 * bf_dependency grow only at their end: the core reads a plugin built
 * against an older header with the fields it lacks as zero, and a plugin
 * checks BF_API_HAS before calling a service added after ABI 1. */
#define BF_ABI_VERSION 1

/* Status codes returned by plugin entry points and context calls. */
enum bf_status {
    BF_OK = 0,
    BF_ERROR = 1,         /* generic failure; details were logged */
    BF_ERROR_STORE = 2,   /* the store rejected a statement */
    BF_ERROR_CONFIG = 3,  /* a config value of the wrong type */
    BF_ERROR_NOTFOUND = 4 /* a query returned no row */
};

/* Error classes for bf_set_error. A transient error (the store was busy,
 * an upstream row not there yet) is retried with backoff; a permanent one
 * (an SQL syntax error, a missing table, a broken rule) fails the date at
 * once. The store classifies its own errors the same way. */
enum bf_error_class { BF_TRANSIENT = 1, BF_PERMANENT = 2 };

enum bf_log_level { BF_LOG_ERROR = 0, BF_LOG_WARN = 1, BF_LOG_INFO = 2, BF_LOG_DEBUG = 3 };

/* ---- ABI block ---------------------------------------------------------
 * Returned by a function (not exported as data) so dlsym always finds it.
 * The sizes catch a plugin built against a different layout of the
 * structs it shares with the core. */
typedef struct bf_magic {
    uint32_t size; /* sizeof(bf_magic) */
    uint32_t abi_version;
    uint32_t descriptor_size;
    uint32_t dependency_size;
    uint32_t validation_size;
    /* Appended after ABI 1 (absent from older plugins): */
    uint32_t check_size; /* sizeof(bf_check): the stride of descriptor.checks */
} bf_magic;

struct bf_descriptor;
struct bf_dependency;
struct bf_validation;
struct bf_check;

#define BF_PLUGIN_MAGIC                                                                            \
    const bf_magic *backfill_magic(void);                                                          \
    const bf_magic *backfill_magic(void)                                                           \
    {                                                                                              \
        static const bf_magic magic = {sizeof(bf_magic),                                           \
                                       BF_ABI_VERSION,                                             \
                                       sizeof(struct bf_descriptor),                               \
                                       sizeof(struct bf_dependency),                               \
                                       sizeof(struct bf_validation),                               \
                                       sizeof(struct bf_check)};                                   \
        return &magic;                                                                             \
    }

/* ---- Quality checks ----------------------------------------------------
 * Declared in descriptor.checks; the core, not the plugin, evaluates them on
 * the rows of the date's staging area after validate_date accepted its
 * counts, with SQL it builds itself (one grouped query per check), and
 * publishes only if every check passes. A violation rolls the date back and
 * is retried like an incomplete count (upstream may still fill in); the
 * checkpoint and the event log record every check's measured value.
 * `backfill verify --quality` measures them over the published rows of a
 * range. A config section may override a threshold or add checks:
 * processors.<name>.checks.<check name> = { max_null_share = 0.1; }. */
enum bf_check_kind {
    BF_CHECK_NOT_NULL = 1,  /* column NULL in at most max_null_share of the rows */
    BF_CHECK_UNIQUE = 2,    /* no two rows of a date share the key columns */
    BF_CHECK_RANGE = 3,     /* column within [min, max]; NULL is not_null's business */
    BF_CHECK_ROW_COUNT = 4, /* rows within [min, max] times validate_date's expected */
    BF_CHECK_SQL = 5,       /* sql counts failing rows: any fails the date */
    /* sql counts the failing rows of every date of a range at once: one
     * statement for a block of dates or a verify over years. Appended after
     * BF_ABI_VERSION 1: a core without it refuses the kind by name. */
    BF_CHECK_SQL_BY_DATE = 6
};

typedef struct bf_check {
    const char *name; /* NULL ends the list; a plain name, unique in the
                         processor: the config and the checkpoint use it */
    int kind;         /* enum bf_check_kind */
    /* not_null, range: a column of the output table; unique: the key
     * columns, comma-separated ("game_id, player_id"). */
    const char *column;
    /* not_null, unique, range: an optional SQL condition choosing the rows
     * checked ("minutes > 0"). */
    const char *filter;
    double max_null_share; /* not_null: 0-1; 0 = no NULL at all */
    double min, max;       /* range: bounds of column; row_count: of rows / expected */
    /* sql: one query counting the failing rows of the date: every %s is the
     * table checked (the staging area, or the published table for verify),
     * ?1 the date. sql_by_date: one query returning a row (date, failing
     * rows) for each date of ?1 to ?2 that fails (e.g. "SELECT game_date,
     * count(*) FROM %s WHERE game_date BETWEEN ?1 AND ?2 AND ... GROUP BY
     * game_date"); a date without a row, or a row of 0, fails nothing; a
     * row of failing rows whose date is not text of the range, as the
     * table holds it, fails the date measured (it would otherwise be
     * counted nowhere). */
    const char *sql;
} bf_check;

/* ---- Descriptor -------------------------------------------------------- */
/* A key of this processor's config section (processors.<name>). Every key
 * a plugin reads is declared: the core refuses a section holding any other
 * key, or a value of the wrong type or out of range, with FILE:LINE before
 * any date runs, and `backfill list -v NAME` shows the declarations. */
enum bf_config_type { BF_CONFIG_INT = 1, BF_CONFIG_REAL = 2, BF_CONFIG_STRING = 3 };

typedef struct bf_config_key {
    const char *name;        /* NULL ends the list */
    int type;                /* enum bf_config_type */
    const char *description; /* one line */
    /* The value when the key is absent, in the field of its type. */
    int64_t int_default;
    double real_default;
    const char *string_default;
    /* BF_CONFIG_INT and BF_CONFIG_REAL: inclusive bounds; both 0 = any. */
    double min, max;
} bf_config_key;

typedef struct bf_descriptor {
    const char *name;         /* must equal the file name without ".so" */
    const char *output_table; /* the one table this processor writes */
    const char *date_column;  /* its date column (TEXT 'YYYY-MM-DD') */
    const char *description;  /* one line, shown by `backfill list` */
    int bootstrap_days;       /* first N days of each season skipped;
                                 0 = the config's bootstrap_days,
                                 BF_NO_BOOTSTRAP = none */
    double min_completeness;  /* actual >= expected * this; 0 = 1.0 */
    int thread_safe;          /* nonzero: may run on several workers */
    /* Appended after ABI 1 (zero in older plugins): */
    const bf_config_key *config_keys; /* NULL: the section must be empty */
    const bf_check *checks;           /* quality checks, NULL-name terminated; NULL: none */
    /* The version of the code computing the rows (1-64 printable
     * characters, no space), recorded with every date it publishes; bump it
     * whenever a change alters rows. NULL: the core records a hash of the
     * plugin file's bytes instead, so any rebuild that changes the file
     * outdates every date, and a byte-identical rebuild none. */
    const char *version;
    /* Config keys that steer how a date runs, not which rows it writes
     * (timeouts, test hooks), comma-separated: left out of the config
     * fingerprint, so changing them outdates nothing. NULL: every key
     * counts. */
    const char *run_only_keys;
} bf_descriptor;

/* bootstrap_days values. Zero means "the default", like every other zero
 * field; a processor that needs no history says BF_NO_BOOTSTRAP. */
#define BF_DEFAULT_BOOTSTRAP 0
#define BF_NO_BOOTSTRAP      (-2)

/* ---- Dependencies ------------------------------------------------------ */
enum bf_requirement { BF_REQUIRED = 1, BF_OPTIONAL = 2 };

typedef struct bf_dependency {
    const char *table;       /* upstream table read by process_date */
    const char *date_column; /* its date column */
    int requirement;         /* BF_REQUIRED or BF_OPTIONAL */
    double min_coverage;     /* 0 = preflight.min_coverage from config */
    /* Appended after ABI 1 (zero in older plugins): */
    int lookback_days; /* process_date reads [date - lookback_days, date]:
                          pre-flight, blocking and staleness judge that
                          window, not the date alone; BF_LOOKBACK_SEASON:
                          every earlier date of the date's season */
} bf_dependency;

/* lookback_days value: process_date reads [first day of the date's season,
 * date] (a cumulative season average, days since the previous game): the
 * window grows through the season and starts again with the next. A date
 * outside every configured season reads the date alone. */
#define BF_LOOKBACK_SEASON (-1)

/* ---- Validation -------------------------------------------------------- */
typedef struct bf_validation {
    int64_t expected;      /* rows the date should hold, from upstream */
    int64_t actual;        /* rows the date holds now, in the output */
    int64_t failed_checks; /* rows failing a quality check; > 0 = reject */
    char detail[200];      /* optional: what the failed check saw */
} bf_validation;

/* ---- Values: bound to placeholders, and read back from rows ------------
 * One placeholder syntax on every store: '?' is the value after the
 * highest one used so far, '?N' is value N (1-based), so "?1" may appear
 * several times. A statement uses exactly params[0..n-1]. Placeholders in
 * string literals and comments are text. SQLite binds them natively; the
 * ClickHouse driver writes each value into the statement as a literal
 * (integers exactly, reals with 17 significant digits, text quoted and
 * escaped, NULL), so on ClickHouse '?' is never the ternary operator: use
 * if(c, a, b). Rows come back typed: integers as BF_INT, floating point
 * (and ClickHouse Decimal) as BF_REAL, NULL as BF_NULL, the rest (dates
 * included) as BF_TEXT. */
enum bf_value_type { BF_NULL = 0, BF_INT = 1, BF_REAL = 2, BF_TEXT = 3 };

typedef struct bf_value {
    int type; /* enum bf_value_type */
    union {
        int64_t i;
        double d;
        const char *s; /* borrowed for the duration of the call */
    } v;
} bf_value;

#define BF_V_INT(x)  ((bf_value){.type = BF_INT, .v = {.i = (x)}})
#define BF_V_REAL(x) ((bf_value){.type = BF_REAL, .v = {.d = (x)}})
#define BF_V_TEXT(x) ((bf_value){.type = BF_TEXT, .v = {.s = (x)}})

/* ---- Context and its services ------------------------------------------ */
typedef struct bf_ctx bf_ctx;

/* Called by bf_query once per result row with ncols typed values (TEXT
 * strings live until the callback returns). Return nonzero to stop early;
 * the query still returns BF_OK. */
typedef int (*bf_row_fn)(void *udata, int ncols, const bf_value *values);

typedef struct bf_api {
    uint32_t size; /* sizeof(bf_api) as the core built it */
    uint32_t abi_version;

    /* Run one statement with placeholders ('?', '?N') bound to
     * params[0..n-1]. */
    int (*exec)(bf_ctx *ctx, const char *sql, const bf_value *params, int n);
    /* Run a query and store the first column of its first row in *out.
     * BF_ERROR_NOTFOUND if no row; a NULL value reads as 0; a value that is
     * not an integer (REAL with a fraction or out of range, TEXT) is
     * BF_ERROR_STORE, never a guess. */
    int (*query_int)(bf_ctx *ctx, const char *sql, const bf_value *params, int n, int64_t *out);
    /* Log a line attributed to this processor and date. */
    void (*vlog)(bf_ctx *ctx, int level, const char *fmt, va_list ap);
    /* Typed getters over this processor's own config section
     * (processors.<name>). The core checked the section against
     * descriptor.config_keys before any date: a missing key reads as its
     * declared default (dflt applies only to plugins that declare no keys,
     * whose section must then be empty). A key that is not declared, or
     * declared with another type, is BF_ERROR_CONFIG: a permanent error
     * that stops the run with exit 2. Strings are owned by the core and live
     * until the run ends. */
    int (*config_int)(bf_ctx *ctx, const char *key, int64_t dflt, int64_t *out);
    int (*config_real)(bf_ctx *ctx, const char *key, double dflt, double *out);
    int (*config_string)(bf_ctx *ctx, const char *key, const char *dflt, const char **out);
    /* "sqlite" or "clickhouse": pick the SQL dialect. */
    const char *(*dialect)(bf_ctx *ctx);
    /* The table process_date writes into and validate_date counts from:
     * the store's staging area for the current date, not the descriptor's
     * output_table. Outside a date (in prepare) it is output_table. */
    const char *(*output_table)(bf_ctx *ctx);

    /* ---- Appended after ABI 1: check BF_API_HAS(ctx, name) first. ---- */

    /* Record why the current call fails, with its class; returns BF_ERROR
     * for `return bf_set_error(...)`. The message goes to the checkpoint. */
    int (*set_error)(bf_ctx *ctx, int error_class, const char *fmt, va_list ap);
    /* *exists = 1 if table (or view) exists in the store. */
    int (*table_exists)(bf_ctx *ctx, const char *table, int *exists);
    /* Run a query, calling fn once per row with typed values. */
    int (*query)(bf_ctx *ctx, const char *sql, const bf_value *params, int n, bf_row_fn fn,
                 void *udata);
    /* Nonzero once the run was interrupted: a long process_date may return
     * early (its date is rolled back and runs again on resume). */
    int (*should_stop)(bf_ctx *ctx);
    /* What worker_init stored for this context, or NULL. */
    void *(*user_data)(bf_ctx *ctx);
} bf_api;

/* Nonzero if the core's function table has member (a service added after
 * the plugin's oldest supported core). */
#define BF_API_HAS(ctx, member)                                                                    \
    (offsetof(bf_api, member) + sizeof(((bf_api *)0)->member) <= (ctx)->api->size)

/* The context starts with its function table; the rest is the core's. */
struct bf_ctx {
    const bf_api *api;
};

static inline int bf_exec(bf_ctx *ctx, const char *sql, const bf_value *params, int n)
{
    return ctx->api->exec(ctx, sql, params, n);
}

static inline int bf_query_int(bf_ctx *ctx, const char *sql, const bf_value *params, int n,
                               int64_t *out)
{
    return ctx->api->query_int(ctx, sql, params, n, out);
}

#if defined(__GNUC__)
__attribute__((format(printf, 3, 4)))
#endif
static inline void
bf_log(bf_ctx *ctx, int level, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    ctx->api->vlog(ctx, level, fmt, ap);
    va_end(ap);
}

static inline int bf_config_int(bf_ctx *ctx, const char *key, int64_t dflt, int64_t *out)
{
    return ctx->api->config_int(ctx, key, dflt, out);
}

static inline int bf_config_real(bf_ctx *ctx, const char *key, double dflt, double *out)
{
    return ctx->api->config_real(ctx, key, dflt, out);
}

static inline int bf_config_string(bf_ctx *ctx, const char *key, const char *dflt, const char **out)
{
    return ctx->api->config_string(ctx, key, dflt, out);
}

static inline const char *bf_dialect(bf_ctx *ctx)
{
    return ctx->api->dialect(ctx);
}

static inline const char *bf_output_table(bf_ctx *ctx)
{
    return ctx->api->output_table(ctx);
}

#if defined(__GNUC__)
__attribute__((format(printf, 3, 4)))
#endif
static inline int
bf_set_error(bf_ctx *ctx, int error_class, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int rc = BF_API_HAS(ctx, set_error) ? ctx->api->set_error(ctx, error_class, fmt, ap) : BF_ERROR;
    va_end(ap);
    return rc;
}

static inline int bf_table_exists(bf_ctx *ctx, const char *table, int *exists)
{
    return BF_API_HAS(ctx, table_exists) ? ctx->api->table_exists(ctx, table, exists) : BF_ERROR;
}

static inline int bf_query(bf_ctx *ctx, const char *sql, const bf_value *params, int n,
                           bf_row_fn fn, void *udata)
{
    return BF_API_HAS(ctx, query) ? ctx->api->query(ctx, sql, params, n, fn, udata) : BF_ERROR;
}

static inline int bf_should_stop(bf_ctx *ctx)
{
    return BF_API_HAS(ctx, should_stop) ? ctx->api->should_stop(ctx) : 0;
}

static inline void *bf_user_data(bf_ctx *ctx)
{
    return BF_API_HAS(ctx, user_data) ? ctx->api->user_data(ctx) : NULL;
}

/* ---- Blocks of dates ----------------------------------------------------
 * A processor that exports process_dates may be handed a block of dates at
 * once (run.batch_dates, --batch N; 1 never does). dates[0..n-1] are the
 * block, oldest first, first = dates[0] and last = dates[n-1]: dates next
 * to each other in the run's plan, so no date the run leaves alone
 * (blocked, skipped, complete) lies between them; a date the run did not
 * select (--dates D1,D3) may, so a processor writes only the listed dates
 * (or "BETWEEN first AND last" knowing such a block then fails and runs
 * date by date). It writes every date's rows,
 * with their date column, into bf_output_table(ctx): the block's staging
 * area, under the same rules as process_date. A row of a date outside the
 * list fails the whole block. The core then counts each date (one grouped
 * query), gives each date its own staging area holding its rows, and calls
 * validate_date, the quality checks and the publish rule per date exactly
 * as for process_date. A date that fails there, and every date of a block
 * whose process_dates failed, runs again alone through process_date with
 * the run's retries: one bad date never holds back its block. A processor
 * without process_dates (or a store without blocks) runs per date. Bump
 * the version when process_dates is added: its rows must be the rows
 * process_date writes.
 *
 * expected_dates, optional beside process_dates: expected[i] = the rows
 * dates[i] should hold, what validate_date would report as expected, for
 * every date of a block at once (one query, not one per date). With it a
 * date of a block is judged without validate_date: expected[i] against
 * the core's own count of the date's staged rows (actual), then the
 * quality checks, so a processor exports it only when its validate_date
 * reports nothing else (no failed_checks of its own). Not BF_OK: the
 * block's dates are judged by validate_date one by one, as without it. A
 * date alone is always judged by validate_date. */

/* Prototypes of the exports, so a plugin gets them checked by its compiler. */
const bf_magic *backfill_magic(void);
const bf_descriptor *backfill_descriptor(void);
const bf_dependency *dependencies(size_t *count);
int process_date(bf_ctx *ctx, const char *date);
int validate_date(bf_ctx *ctx, const char *date, bf_validation *out);
int prepare(bf_ctx *ctx);                  /* optional */
int worker_init(bf_ctx *ctx, void **user); /* optional */
void worker_fini(bf_ctx *ctx, void *user); /* optional */
int process_dates(bf_ctx *ctx, const char *first, const char *last, const char *const *dates,
                  size_t n); /* optional */
int expected_dates(bf_ctx *ctx, const char *const *dates, size_t n,
                   int64_t *expected); /* optional */

#ifdef __cplusplus
}
#endif

#endif /* BACKFILL_PLUGIN_H */
