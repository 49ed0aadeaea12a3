/* context.c - the service table behind bf_ctx, and the one place the core
 * calls a plugin's hooks. Everything a plugin can do to the store passes
 * through here, on the store's plugin entry point (store_exec, store_query:
 * held to the guard), so store errors are recorded for the checkpoint with
 * their class and every log line names the processor and the date. The
 * connection is under STORE_GUARD_READ but for the two calls that write
 * (context_process_date, context_prepare), which set it back when the
 * plugin returns. */
#include "plugin/context.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/log.h"
#include "base/safetext.h"
#include "plugin/plugin_config.h"

static run_ctx *core_of(bf_ctx *ctx)
{
    return (run_ctx *)ctx;
}

static int remember(run_ctx *c, int rc)
{
    if (rc != BF_OK) {
        snprintf(c->error, sizeof c->error, "%s", store_error(c->store));
        c->error_class = c->store->error_class ? c->store->error_class : BF_TRANSIENT;
    }
    return rc;
}

static int api_exec(bf_ctx *ctx, const char *sql, const bf_value *params, int n)
{
    run_ctx *c = core_of(ctx);
    return remember(c, store_exec(c->store, sql, params, n));
}

typedef struct first_int {
    int seen;
    int64_t value;
    const char *bad; /* why the value is not an integer */
} first_int;

static int take_first(void *udata, int ncols, const bf_value *values)
{
    first_int *f = udata;
    f->seen = 1;
    if (ncols < 1 || values[0].type == BF_NULL)
        return 1;
    if (values[0].type == BF_INT) {
        f->value = values[0].v.i;
    } else if (values[0].type == BF_REAL) {
        double d = values[0].v.d;
        /* 2^63 is exactly representable; anything at or past it is not an
         * int64_t. */
        if (d != floor(d) || d >= 9223372036854775808.0 || d < -9223372036854775808.0)
            f->bad = "a REAL that is not an integer";
        else
            f->value = (int64_t)d;
    } else {
        char *end;
        errno = 0;
        long long v = strtoll(values[0].v.s, &end, 10);
        if (end == values[0].v.s || *end || errno)
            f->bad = "TEXT that is not an integer";
        else
            f->value = v;
    }
    return 1;
}

static int api_query_int(bf_ctx *ctx, const char *sql, const bf_value *params, int n, int64_t *out)
{
    run_ctx *c = core_of(ctx);
    first_int f = {0, 0, NULL};
    int rc = remember(c, store_query(c->store, sql, params, n, take_first, &f));
    if (rc != BF_OK)
        return rc;
    if (!f.seen)
        return BF_ERROR_NOTFOUND;
    if (f.bad) {
        char cut[160];
        snprintf(c->error, sizeof c->error, "query_int read %s (in: %s)", f.bad,
                 store_abbrev(sql, cut, sizeof cut));
        c->error_class = BF_PERMANENT;
        return BF_ERROR_STORE;
    }
    *out = f.value;
    return BF_OK;
}

static int api_query(bf_ctx *ctx, const char *sql, const bf_value *params, int n, bf_row_fn fn,
                     void *udata)
{
    run_ctx *c = core_of(ctx);
    return remember(c, store_query(c->store, sql, params, n, fn, udata));
}

static int api_table_exists(bf_ctx *ctx, const char *table, int *exists)
{
    run_ctx *c = core_of(ctx);
    return remember(c, store_table_exists(c->store, table, exists));
}

static void api_vlog(bf_ctx *ctx, int level, const char *fmt, va_list ap)
{
    (void)ctx;
    if (level < BF_LOG_ERROR || level > BF_LOG_DEBUG)
        level = BF_LOG_INFO;
    log_vmsg(level, fmt, ap);
}

static int api_set_error(bf_ctx *ctx, int error_class, const char *fmt, va_list ap)
{
    run_ctx *c = core_of(ctx);
    char raw[sizeof c->error * 2];
    vsnprintf(raw, sizeof raw, fmt, ap);
    safetext(c->error, sizeof c->error, raw); /* shown on terminals, logs, webhooks */
    c->error_class = error_class == BF_PERMANENT ? BF_PERMANENT : BF_TRANSIENT;
    return BF_ERROR;
}

/* A config getter's failure: permanent, and the run ends with exit 2. */
static int config_failed(run_ctx *c, const char *why)
{
    log_error("%s", why);
    snprintf(c->error, sizeof c->error, "%s", why);
    c->error_class = BF_PERMANENT;
    c->config_error = 1;
    return BF_ERROR_CONFIG;
}

static int api_config_int(bf_ctx *ctx, const char *key, int64_t dflt, int64_t *out)
{
    run_ctx *c = core_of(ctx);
    plugin_value v = {.i = dflt};
    char why[512];
    if (plugin_config_get(c->cfg, c->plugin, key, BF_CONFIG_INT, &v, why, sizeof why) != 0)
        return config_failed(c, why);
    *out = v.i;
    return BF_OK;
}

static int api_config_real(bf_ctx *ctx, const char *key, double dflt, double *out)
{
    run_ctx *c = core_of(ctx);
    plugin_value v = {.d = dflt};
    char why[512];
    if (plugin_config_get(c->cfg, c->plugin, key, BF_CONFIG_REAL, &v, why, sizeof why) != 0)
        return config_failed(c, why);
    *out = v.d;
    return BF_OK;
}

static int api_config_string(bf_ctx *ctx, const char *key, const char *dflt, const char **out)
{
    run_ctx *c = core_of(ctx);
    plugin_value v = {.s = dflt};
    char why[512];
    if (plugin_config_get(c->cfg, c->plugin, key, BF_CONFIG_STRING, &v, why, sizeof why) != 0)
        return config_failed(c, why);
    *out = v.s;
    return BF_OK;
}

static const char *api_dialect(bf_ctx *ctx)
{
    return store_dialect(core_of(ctx)->store);
}

static const char *api_output_table(bf_ctx *ctx)
{
    run_ctx *c = core_of(ctx);
    return c->write_table ? c->write_table : c->plugin->desc->output_table;
}

static int api_should_stop(bf_ctx *ctx)
{
    run_ctx *c = core_of(ctx);
    return c->stop && atomic_load(c->stop);
}

static void *api_user_data(bf_ctx *ctx)
{
    return core_of(ctx)->user;
}

static const bf_api api = {
    .size = sizeof(bf_api),
    .abi_version = BF_ABI_VERSION,
    .exec = api_exec,
    .query_int = api_query_int,
    .vlog = api_vlog,
    .config_int = api_config_int,
    .config_real = api_config_real,
    .config_string = api_config_string,
    .dialect = api_dialect,
    .output_table = api_output_table,
    .set_error = api_set_error,
    .table_exists = api_table_exists,
    .query = api_query,
    .should_stop = api_should_stop,
    .user_data = api_user_data,
};

void context_init(run_ctx *ctx, store *s, const plugin *p, const bf_config *cfg)
{
    memset(ctx, 0, sizeof *ctx);
    ctx->pub.api = &api;
    ctx->store = s;
    ctx->plugin = p;
    ctx->cfg = cfg;
    /* What its calls may read: what it declares, the calendar, its table. */
    const char *readable[PLUGIN_DEPS_MAX + 3];
    size_t n = 0;
    for (size_t k = 0; k < p->ndeps && k < PLUGIN_DEPS_MAX; k++)
        readable[n++] = p->deps[k].table;
    if (cfg && cfg->calendar_table)
        readable[n++] = cfg->calendar_table;
    readable[n++] = p->desc->output_table;
    readable[n] = NULL;
    store_confine_reads(s, readable);
}

void context_clear_error(run_ctx *ctx)
{
    ctx->error[0] = '\0';
    ctx->error_class = 0;
}

int context_refused(run_ctx *ctx, int rc)
{
    const char *refused = store_refused(ctx->store);
    if (!refused || (rc != BF_OK && strstr(ctx->error, refused)))
        return 0; /* none, or the plugin failed with it: its own error says so */
    char plugin_error[sizeof ctx->error];
    snprintf(plugin_error, sizeof plugin_error, "%s", rc != BF_OK ? ctx->error : "");
    snprintf(ctx->error, sizeof ctx->error, "%.300s (the plugin ignored the error%s%.150s)",
             refused, plugin_error[0] ? ", then failed: " : "", plugin_error);
    ctx->error_class = BF_PERMANENT;
    return 1;
}

/* Every plugin call starts with no refusal on record. */
static void begin_call(run_ctx *ctx)
{
    store_clear_refused(ctx->store);
}

int context_open(run_ctx *ctx)
{
    if (!ctx->plugin->worker_init)
        return BF_OK;
    context_clear_error(ctx);
    begin_call(ctx);
    int rc = ctx->plugin->worker_init(&ctx->pub, &ctx->user);
    ctx->user_open = rc == BF_OK;
    if (context_refused(ctx, rc)) {
        /* Failed after all: worker_fini frees what worker_init made, and
         * the refusal stays the error. */
        char error[sizeof ctx->error];
        memcpy(error, ctx->error, sizeof error);
        context_close(ctx);
        memcpy(ctx->error, error, sizeof error);
        ctx->error_class = BF_PERMANENT;
        rc = BF_ERROR_STORE;
    }
    return rc;
}

int context_close(run_ctx *ctx)
{
    int rc = BF_OK;
    if (ctx->user_open && ctx->plugin->worker_fini) {
        context_clear_error(ctx);
        begin_call(ctx);
        ctx->plugin->worker_fini(&ctx->pub, ctx->user);
        if (context_refused(ctx, BF_OK))
            rc = BF_ERROR_STORE;
    }
    ctx->user_open = 0;
    ctx->user = NULL;
    return rc;
}

int context_prepare(run_ctx *ctx)
{
    context_clear_error(ctx);
    begin_call(ctx);
    store_guard(ctx->store, STORE_GUARD_PREPARE, ctx->plugin->desc->output_table);
    int rc = ctx->plugin->prepare(&ctx->pub);
    store_guard(ctx->store, STORE_GUARD_READ, NULL);
    return context_refused(ctx, rc) ? BF_ERROR_STORE : rc;
}

int context_process_date(run_ctx *ctx, const char *date)
{
    begin_call(ctx);
    store_guard(ctx->store, STORE_GUARD_STAGE, NULL);
    int rc = ctx->plugin->process_date(&ctx->pub, date);
    store_guard(ctx->store, STORE_GUARD_READ, NULL);
    return rc;
}

int context_process_dates(run_ctx *ctx, const char *const *dates, size_t n)
{
    begin_call(ctx);
    store_guard(ctx->store, STORE_GUARD_STAGE, NULL);
    int rc = ctx->plugin->process_dates(&ctx->pub, dates[0], dates[n - 1], dates, n);
    store_guard(ctx->store, STORE_GUARD_READ, NULL);
    return rc;
}

int context_expected_dates(run_ctx *ctx, const char *const *dates, size_t n, int64_t *expected)
{
    if (!ctx->plugin->expected_dates)
        return BF_ERROR;
    begin_call(ctx);
    int rc = ctx->plugin->expected_dates(&ctx->pub, dates, n, expected);
    for (size_t i = 0; rc == BF_OK && i < n; i++)
        if (expected[i] < 0)
            rc = BF_ERROR;
    return context_refused(ctx, rc) ? BF_ERROR_STORE : rc;
}

int context_validate_date(run_ctx *ctx, const char *date, bf_validation *out)
{
    begin_call(ctx);
    return ctx->plugin->validate_date(&ctx->pub, date, out);
}

const char *context_status_name(int status, char *buf, size_t size)
{
    static const char *const names[] = {"BF_OK", "BF_ERROR", "BF_ERROR_STORE", "BF_ERROR_CONFIG",
                                        "BF_ERROR_NOTFOUND"};
    if (status >= 0 && status < (int)(sizeof names / sizeof names[0]))
        return names[status];
    snprintf(buf, size, "status %d", status);
    return buf;
}
