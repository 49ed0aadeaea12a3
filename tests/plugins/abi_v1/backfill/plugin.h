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
 *                         CREATE TABLE IF NOT EXISTS.
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

/* Bumped on any change that is not an append to bf_api. */
#define BF_ABI_VERSION 1

/* Status codes returned by plugin entry points and context calls. */
enum bf_status {
    BF_OK = 0,
    BF_ERROR = 1,         /* generic failure; details were logged */
    BF_ERROR_STORE = 2,   /* the store rejected a statement */
    BF_ERROR_CONFIG = 3,  /* a config value of the wrong type */
    BF_ERROR_NOTFOUND = 4 /* a query returned no row */
};

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
} bf_magic;

struct bf_descriptor;
struct bf_dependency;
struct bf_validation;

#define BF_PLUGIN_MAGIC                                                                            \
    const bf_magic *backfill_magic(void);                                                          \
    const bf_magic *backfill_magic(void)                                                           \
    {                                                                                              \
        static const bf_magic magic = {sizeof(bf_magic), BF_ABI_VERSION,                           \
                                       sizeof(struct bf_descriptor), sizeof(struct bf_dependency), \
                                       sizeof(struct bf_validation)};                              \
        return &magic;                                                                             \
    }

/* ---- Descriptor -------------------------------------------------------- */
typedef struct bf_descriptor {
    const char *name;         /* must equal the file name without ".so" */
    const char *output_table; /* the one table this processor writes */
    const char *date_column;  /* its date column (TEXT 'YYYY-MM-DD') */
    const char *description;  /* one line, shown by `backfill list` */
    int bootstrap_days;       /* first N days of each season skipped;
                                 BF_DEFAULT_BOOTSTRAP = config value */
    double min_completeness;  /* actual >= expected * this; 0 = 1.0 */
    int thread_safe;          /* nonzero: may run on several workers */
} bf_descriptor;

#define BF_DEFAULT_BOOTSTRAP (-1)

/* ---- Dependencies ------------------------------------------------------ */
enum bf_requirement { BF_REQUIRED = 1, BF_OPTIONAL = 2 };

typedef struct bf_dependency {
    const char *table;       /* upstream table read by process_date */
    const char *date_column; /* its date column */
    int requirement;         /* BF_REQUIRED or BF_OPTIONAL */
    double min_coverage;     /* 0 = preflight.min_coverage from config */
} bf_dependency;

/* ---- Validation -------------------------------------------------------- */
typedef struct bf_validation {
    int64_t expected;      /* rows the date should hold, from upstream */
    int64_t actual;        /* rows the date holds now, in the output */
    int64_t failed_checks; /* quality checks that failed; > 0 = reject */
    char detail[200];      /* optional: what the failed check saw */
} bf_validation;

/* ---- Values bound to '?' placeholders ---------------------------------- */
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

typedef struct bf_api {
    uint32_t size; /* sizeof(bf_api) as the core built it */
    uint32_t abi_version;

    /* Run one statement with '?' placeholders bound to params[0..n-1]. */
    int (*exec)(bf_ctx *ctx, const char *sql, const bf_value *params, int n);
    /* Run a query and store the first column of its first row in *out.
     * BF_ERROR_NOTFOUND if no row; a NULL value reads as 0. */
    int (*query_int)(bf_ctx *ctx, const char *sql, const bf_value *params, int n, int64_t *out);
    /* Log a line attributed to this processor and date. */
    void (*vlog)(bf_ctx *ctx, int level, const char *fmt, va_list ap);
    /* Typed getters over this processor's own config section
     * (processors.<name>). Missing key: *out = dflt, BF_OK. Wrong type:
     * BF_ERROR_CONFIG and a logged line naming file:line and key.
     * Strings are owned by the core and live until the run ends. */
    int (*config_int)(bf_ctx *ctx, const char *key, int64_t dflt, int64_t *out);
    int (*config_real)(bf_ctx *ctx, const char *key, double dflt, double *out);
    int (*config_string)(bf_ctx *ctx, const char *key, const char *dflt, const char **out);
    /* "sqlite" or "clickhouse": pick the SQL dialect. */
    const char *(*dialect)(bf_ctx *ctx);
    /* The table process_date writes into and validate_date counts from:
     * the store's staging area for the current date, not the descriptor's
     * output_table. Outside a date (in prepare) it is output_table. */
    const char *(*output_table)(bf_ctx *ctx);
} bf_api;

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

/* Prototypes of the exports, so a plugin gets them checked by its compiler. */
const bf_magic *backfill_magic(void);
const bf_descriptor *backfill_descriptor(void);
const bf_dependency *dependencies(size_t *count);
int process_date(bf_ctx *ctx, const char *date);
int validate_date(bf_ctx *ctx, const char *date, bf_validation *out);
int prepare(bf_ctx *ctx); /* optional */

#ifdef __cplusplus
}
#endif

#endif /* BACKFILL_PLUGIN_H */
