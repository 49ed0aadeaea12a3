/* plugin_sql - print the SQL a processor runs, for the benchmark baselines.
 *
 *   plugin_sql PLUGIN.so [DB]
 *
 * Loads the plugin and calls prepare, process_date and validate_date once
 * each through a context that runs nothing: it records every statement and
 * prints it on one line, tab-separated after the entry point that sent it,
 * after a first line naming the output table and its date column:
 *
 *   output    t  game_date
 *   prepare   CREATE TABLE IF NOT EXISTS t (...)
 *   process   INSERT INTO t SELECT ... WHERE game_date = ?1
 *   validate  SELECT 2 * count(*) FROM schedule WHERE game_date = ?1
 *
 * The output table is the descriptor's own (there is no staging area), so
 * the statements run as they are against the store. Every per-date
 * statement must bind exactly one value, the date; anything else is refused
 * (exit 2), since the baselines bind only the date. bf_table_exists answers
 * from DB when given (read-only), else "exists". Queries return no row
 * values: 0 for query_int, no call of the row callback. */
#include <dlfcn.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include <backfill/plugin.h>

#define PROBE_DATE "2000-01-01"

typedef struct probe_ctx {
    bf_ctx base; /* first: the plugin sees a bf_ctx */
    const bf_descriptor *desc;
    const char *phase; /* "prepare", "process", "validate" */
    sqlite3 *db;       /* NULL: every table exists */
    int failed;
    void *user;
} probe_ctx;

static probe_ctx *probe(bf_ctx *ctx)
{
    return (probe_ctx *)ctx;
}

/* Print sql on one line after its phase; per-date statements must bind the
 * date alone. */
static int record(bf_ctx *ctx, const char *sql, const bf_value *params, int n)
{
    probe_ctx *p = probe(ctx);
    int per_date = strcmp(p->phase, "prepare") != 0;
    if (per_date ? (n != 1 || params[0].type != BF_TEXT || strcmp(params[0].v.s, PROBE_DATE) != 0)
                 : n != 0) {
        fprintf(stderr, "plugin_sql: %s: %s binds other values than the date: %s\n", p->desc->name,
                p->phase, sql);
        p->failed = 1;
        return BF_ERROR;
    }
    printf("%s\t", p->phase);
    for (const char *c = sql; *c; c++)
        putchar(*c == '\n' || *c == '\t' || *c == '\r' ? ' ' : *c);
    putchar('\n');
    return BF_OK;
}

static int probe_exec(bf_ctx *ctx, const char *sql, const bf_value *params, int n)
{
    return record(ctx, sql, params, n);
}

static int probe_query_int(bf_ctx *ctx, const char *sql, const bf_value *params, int n,
                           int64_t *out)
{
    *out = 0;
    return record(ctx, sql, params, n);
}

static int probe_query(bf_ctx *ctx, const char *sql, const bf_value *params, int n, bf_row_fn fn,
                       void *udata)
{
    (void)fn;
    (void)udata;
    return record(ctx, sql, params, n);
}

static void probe_vlog(bf_ctx *ctx, int level, const char *fmt, va_list ap)
{
    (void)level;
    fprintf(stderr, "plugin_sql: %s: ", probe(ctx)->desc->name);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
}

static int probe_set_error(bf_ctx *ctx, int error_class, const char *fmt, va_list ap)
{
    probe_vlog(ctx, error_class, fmt, ap);
    probe(ctx)->failed = 1;
    return BF_ERROR;
}

/* Config: every key reads as its declared default. */
static const bf_config_key *declared(bf_ctx *ctx, const char *key, int type)
{
    const bf_config_key *k = probe(ctx)->desc->config_keys;
    for (; k && k->name; k++)
        if (strcmp(k->name, key) == 0 && k->type == type)
            return k;
    return NULL;
}

static int probe_config_int(bf_ctx *ctx, const char *key, int64_t dflt, int64_t *out)
{
    const bf_config_key *k = declared(ctx, key, BF_CONFIG_INT);
    *out = k ? k->int_default : dflt;
    return BF_OK;
}

static int probe_config_real(bf_ctx *ctx, const char *key, double dflt, double *out)
{
    const bf_config_key *k = declared(ctx, key, BF_CONFIG_REAL);
    *out = k ? k->real_default : dflt;
    return BF_OK;
}

static int probe_config_string(bf_ctx *ctx, const char *key, const char *dflt, const char **out)
{
    const bf_config_key *k = declared(ctx, key, BF_CONFIG_STRING);
    *out = k && k->string_default ? k->string_default : dflt;
    return BF_OK;
}

static const char *probe_dialect(bf_ctx *ctx)
{
    (void)ctx;
    return "sqlite";
}

static const char *probe_output_table(bf_ctx *ctx)
{
    return probe(ctx)->desc->output_table;
}

static int probe_table_exists(bf_ctx *ctx, const char *table, int *exists)
{
    sqlite3 *db = probe(ctx)->db;
    sqlite3_stmt *st = NULL;
    *exists = 1;
    if (!db)
        return BF_OK;
    if (sqlite3_prepare_v2(db, "SELECT 1 FROM sqlite_master WHERE name = ?1", -1, &st, NULL) !=
        SQLITE_OK)
        return BF_ERROR;
    sqlite3_bind_text(st, 1, table, -1, SQLITE_STATIC);
    *exists = sqlite3_step(st) == SQLITE_ROW;
    sqlite3_finalize(st);
    return BF_OK;
}

static int probe_should_stop(bf_ctx *ctx)
{
    (void)ctx;
    return 0;
}

static void *probe_user_data(bf_ctx *ctx)
{
    return probe(ctx)->user;
}

static const bf_api probe_api = {
    .size = sizeof(bf_api),
    .abi_version = BF_ABI_VERSION,
    .exec = probe_exec,
    .query_int = probe_query_int,
    .vlog = probe_vlog,
    .config_int = probe_config_int,
    .config_real = probe_config_real,
    .config_string = probe_config_string,
    .dialect = probe_dialect,
    .output_table = probe_output_table,
    .set_error = probe_set_error,
    .table_exists = probe_table_exists,
    .query = probe_query,
    .should_stop = probe_should_stop,
    .user_data = probe_user_data,
};

typedef const bf_magic *(*magic_fn)(void);
typedef const bf_descriptor *(*descriptor_fn)(void);
typedef int (*prepare_fn)(bf_ctx *);
typedef int (*process_fn)(bf_ctx *, const char *);
typedef int (*validate_fn)(bf_ctx *, const char *, bf_validation *);
typedef int (*init_fn)(bf_ctx *, void **);
typedef void (*fini_fn)(bf_ctx *, void *);

/* dlsym into a function pointer type without a cast from void *. */
static void *symbol(void *lib, const char *name)
{
    return dlsym(lib, name);
}

/* Run the three entry points; 0 if every call succeeded. */
static int dump(void *lib, const char *path, sqlite3 *db)
{
    magic_fn magic;
    descriptor_fn descriptor;
    process_fn process;
    validate_fn validate;
    *(void **)&magic = symbol(lib, "backfill_magic");
    *(void **)&descriptor = symbol(lib, "backfill_descriptor");
    *(void **)&process = symbol(lib, "process_date");
    *(void **)&validate = symbol(lib, "validate_date");
    if (!magic || !descriptor || !process || !validate || magic()->abi_version != BF_ABI_VERSION) {
        fprintf(stderr, "plugin_sql: %s: not a processor of ABI %d\n", path, BF_ABI_VERSION);
        return 1;
    }
    prepare_fn prep;
    init_fn init;
    fini_fn fini;
    *(void **)&prep = symbol(lib, "prepare");
    *(void **)&init = symbol(lib, "worker_init");
    *(void **)&fini = symbol(lib, "worker_fini");
    probe_ctx p = {.base = {.api = &probe_api}, .desc = descriptor(), .phase = "prepare", .db = db};
    bf_validation v = {0};
    int rc = BF_OK;
    printf("output\t%s\t%s\n", p.desc->output_table, p.desc->date_column);
    if (init)
        rc = init(&p.base, &p.user);
    if (rc == BF_OK && prep)
        rc = prep(&p.base);
    p.phase = "process";
    if (rc == BF_OK)
        rc = process(&p.base, PROBE_DATE);
    /* The callbacks read p.phase through the context. */
    // cppcheck-suppress [redundantAssignment, unreadVariable]
    p.phase = "validate";
    if (rc == BF_OK)
        rc = validate(&p.base, PROBE_DATE, &v);
    if (fini)
        fini(&p.base, p.user);
    return rc != BF_OK || p.failed;
}

int main(int argc, char **argv)
{
    if (argc < 2 || argc > 3) {
        fprintf(stderr, "usage: plugin_sql PLUGIN.so [DB]\n");
        return 2;
    }
    sqlite3 *db = NULL;
    if (argc == 3 && sqlite3_open_v2(argv[2], &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK) {
        fprintf(stderr, "plugin_sql: %s: %s\n", argv[2], db ? sqlite3_errmsg(db) : "cannot open");
        sqlite3_close(db);
        return 2;
    }
    void *lib = dlopen(argv[1], RTLD_NOW | RTLD_LOCAL);
    if (!lib) {
        fprintf(stderr, "plugin_sql: %s\n", dlerror());
        sqlite3_close(db);
        return 2;
    }
    int failed = dump(lib, argv[1], db);
    dlclose(lib);
    sqlite3_close(db);
    return failed ? 2 : 0;
}
